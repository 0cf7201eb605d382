// The demo catalog for CasanovaSpace: 5 categories, 26 products. Prices in cents.
import type { ArtKind } from './placeholder-art.ts';

export type SeedVariant = { sku: string; options?: Record<string, string>; price: number; compareAt?: number; stock: number; colour?: string };
export type SeedProduct = {
  slug: string;
  name: string;
  category: string;
  art: ArtKind;
  colour: string;
  featured?: boolean;
  description: string;
  specs: [string, string][];
  variants: SeedVariant[];
};

export const seedCategories = [
  { slug: 'lighting', name: 'Lighting', description: 'Lamps, pendants and candles for a warm room.' },
  { slug: 'textiles', name: 'Textiles', description: 'Cushions, throws and towels in natural fibres.' },
  { slug: 'kitchen', name: 'Kitchen & Dining', description: 'Stoneware, boards and pots for every day.' },
  { slug: 'decor', name: 'Decor', description: 'Vases, frames and clocks that finish a room.' },
  { slug: 'storage', name: 'Storage', description: 'Baskets, jars and planters that keep things in order.' },
];

const v = (sku: string, price: number, stock: number, extra: Partial<SeedVariant> = {}): SeedVariant => ({ sku, price, stock, ...extra });

export const seedProducts: SeedProduct[] = [
  {
    slug: 'linen-table-lamp', name: 'Linen Table Lamp', category: 'lighting', art: 'lamp', colour: '#e8dcc4', featured: true,
    description: 'A turned oak base under a pleated linen shade that softens the light into an even glow.\n\nTakes one E26 bulb up to 60 W (LED recommended). Fabric cord with an inline switch.',
    specs: [['Material', 'Oak base, linen shade'], ['Dimensions', '14 × 14 × 22 in'], ['Weight', '4.2 lb'], ['Bulb', 'E26, max 60 W'], ['Care', 'Dust with a dry cloth']],
    variants: [v('LMP-LIN-NAT', 8900, 14, { options: { shade: 'Natural' } }), v('LMP-LIN-CHR', 8900, 3, { options: { shade: 'Charcoal' }, colour: '#4a4a4a' })],
  },
  {
    slug: 'rattan-pendant-light', name: 'Rattan Pendant Light', category: 'lighting', art: 'pendant', colour: '#c49a5a', featured: true,
    description: 'Hand-woven rattan dome that throws a patterned light across the ceiling. Hardwired; includes a ceiling canopy and 60 in of adjustable cord.',
    specs: [['Material', 'Natural rattan, steel fittings'], ['Diameter', '18 in'], ['Cord length', '60 in, adjustable'], ['Installation', 'Hardwired, by an electrician']],
    variants: [v('PND-RAT-18', 12900, 8, { compareAt: 15900 })],
  },
  {
    slug: 'brass-reading-lamp', name: 'Brass Reading Lamp', category: 'lighting', art: 'lamp', colour: '#c9a44c',
    description: 'A slim floor-standing reader with a pivoting brass shade aimed exactly where you need it.',
    specs: [['Material', 'Brushed brass, steel'], ['Height', '52 in'], ['Weight', '7.5 lb'], ['Bulb', 'E12, max 40 W']],
    variants: [v('LMP-BRS-01', 14900, 0)],
  },
  {
    slug: 'soy-candle-cedar', name: 'Soy Candle, Cedar & Smoke', category: 'lighting', art: 'candle', colour: '#8a6f55',
    description: 'Hand-poured soy wax with a cotton wick, scented with cedarwood, vetiver and a trace of smoke. Burns about 50 hours.',
    specs: [['Wax', '100% soy'], ['Burn time', 'About 50 hours'], ['Net weight', '9 oz'], ['Care', 'Trim the wick to 1/4 in before each burn']],
    variants: [v('CND-CDR-9', 3200, 40), v('CND-CDR-3PK', 8600, 12, { options: { pack: '3 candles' } })],
  },
  {
    slug: 'beeswax-taper-candles', name: 'Beeswax Taper Candles', category: 'lighting', art: 'candle', colour: '#e9c46a',
    description: 'A pair of dripless tapers rolled from pure beeswax. They burn clean with a faint honey scent.',
    specs: [['Material', 'Pure beeswax'], ['Length', '10 in'], ['Burn time', 'About 8 hours each'], ['Pack', '2 candles']],
    variants: [v('CND-BWX-IVR', 1800, 60, { options: { colour: 'Honey' } }), v('CND-BWX-WHT', 1800, 25, { options: { colour: 'Ivory' }, colour: '#f3ecd9' })],
  },
  {
    slug: 'stoneware-pendant-small', name: 'Stoneware Pendant, Small', category: 'lighting', art: 'pendant', colour: '#d9d2c5',
    description: 'A matte stoneware shade glazed inside for a warm reflected light. Suits a kitchen island in a row of three.',
    specs: [['Material', 'Stoneware, cotton cord'], ['Diameter', '9 in'], ['Cord length', '48 in'], ['Installation', 'Hardwired']],
    variants: [v('PND-STN-09', 7900, 5)],
  },
  {
    slug: 'washed-linen-cushion', name: 'Washed Linen Cushion', category: 'textiles', art: 'cushion', colour: '#9bb0a5', featured: true,
    description: 'Stonewashed European linen over a feather-down insert. Softens with every wash.',
    specs: [['Material', '100% linen cover, feather-down insert'], ['Size', '20 × 20 in'], ['Closure', 'Hidden zip'], ['Care', 'Cover machine washable, 40 °C']],
    variants: [
      v('CSH-LIN-SGE', 5400, 22, { options: { colour: 'Sage' } }),
      v('CSH-LIN-OAT', 5400, 18, { options: { colour: 'Oat' }, colour: '#d8cbb3' }),
      v('CSH-LIN-RST', 5400, 0, { options: { colour: 'Rust' }, colour: '#b5603a' }),
    ],
  },
  {
    slug: 'wool-throw-blanket', name: 'Wool Throw Blanket', category: 'textiles', art: 'throw', colour: '#7d8c9a', featured: true,
    description: 'Woven in New England from soft lambswool, finished with a hand-knotted fringe.',
    specs: [['Material', '100% lambswool'], ['Size', '50 × 70 in'], ['Weight', '2.6 lb'], ['Care', 'Dry clean or hand wash cold']],
    variants: [v('THR-WOL-SLT', 13800, 9, { options: { colour: 'Slate' } }), v('THR-WOL-CML', 13800, 2, { options: { colour: 'Camel' }, colour: '#c19a6b' })],
  },
  {
    slug: 'waffle-bath-towel', name: 'Waffle Bath Towel', category: 'textiles', art: 'towel', colour: '#f1ece3',
    description: 'Quick-drying Turkish cotton in a deep waffle weave. Light, absorbent and gets softer over time.',
    specs: [['Material', '100% Turkish cotton'], ['Size', '30 × 56 in'], ['Weight', '450 g/m²'], ['Care', 'Machine wash warm, tumble dry low']],
    variants: [v('TWL-WAF-WHT', 3600, 50, { options: { colour: 'White' } }), v('TWL-WAF-CLY', 3600, 30, { options: { colour: 'Clay' }, colour: '#c98b6b' })],
  },
  {
    slug: 'cotton-hand-towels-set', name: 'Cotton Hand Towels, Set of 2', category: 'textiles', art: 'towel', colour: '#b7c4cf',
    description: 'Plush long-staple cotton hand towels with a woven herringbone border.',
    specs: [['Material', '100% cotton'], ['Size', '16 × 28 in'], ['Pack', '2 towels'], ['Care', 'Machine wash warm']],
    variants: [v('TWL-HND-2PK', 2800, 35)],
  },
  {
    slug: 'chunky-knit-cushion', name: 'Chunky Knit Cushion', category: 'textiles', art: 'cushion', colour: '#e6e0d4',
    description: 'A cable-knit cotton cover in a cosy, chunky gauge, with a recycled polyester insert.',
    specs: [['Material', 'Cotton cover, recycled insert'], ['Size', '18 × 18 in'], ['Closure', 'Buttons'], ['Care', 'Hand wash cold']],
    variants: [v('CSH-KNT-CRM', 4600, 0, { compareAt: 5800 })],
  },
  {
    slug: 'speckled-stoneware-mug', name: 'Speckled Stoneware Mug', category: 'kitchen', art: 'mug', colour: '#e4ddd0', featured: true,
    description: 'Wheel-thrown stoneware with a speckled glaze and a handle that fits three fingers.',
    specs: [['Material', 'Stoneware'], ['Capacity', '12 fl oz'], ['Dishwasher safe', 'Yes'], ['Microwave safe', 'Yes']],
    variants: [v('MUG-SPK-12', 2400, 80), v('MUG-SPK-4PK', 8800, 15, { options: { pack: 'Set of 4' } })],
  },
  {
    slug: 'serving-bowl-large', name: 'Large Serving Bowl', category: 'kitchen', art: 'bowl', colour: '#5c7a6e',
    description: 'A generous bowl for salads and pasta, glazed a deep celadon green.',
    specs: [['Material', 'Stoneware'], ['Diameter', '11 in'], ['Capacity', '3.5 qt'], ['Dishwasher safe', 'Yes']],
    variants: [v('BWL-SRV-11', 5800, 12, { compareAt: 6800 })],
  },
  {
    slug: 'dinner-plates-set', name: 'Dinner Plates, Set of 4', category: 'kitchen', art: 'plate', colour: '#efe9df',
    description: 'Everyday plates with a softly raised rim and a satin glaze that resists scratches.',
    specs: [['Material', 'Porcelain'], ['Diameter', '10.5 in'], ['Pack', '4 plates'], ['Dishwasher safe', 'Yes']],
    variants: [v('PLT-DIN-4', 7200, 20)],
  },
  {
    slug: 'walnut-cutting-board', name: 'Walnut Cutting Board', category: 'kitchen', art: 'board', colour: '#6b4a33',
    description: 'End-grain black walnut that is kind to knife edges, finished with food-safe oil.',
    specs: [['Material', 'Black walnut'], ['Dimensions', '16 × 11 × 1.25 in'], ['Weight', '5 lb'], ['Care', 'Hand wash, oil monthly']],
    variants: [v('BRD-WAL-16', 8400, 4)],
  },
  {
    slug: 'cast-iron-teapot', name: 'Cast Iron Teapot', category: 'kitchen', art: 'teapot', colour: '#3d4a4f',
    description: 'A traditional cast iron pot with an enamel interior and a stainless infuser.',
    specs: [['Material', 'Cast iron, enamel lining'], ['Capacity', '30 fl oz'], ['Includes', 'Stainless steel infuser'], ['Care', 'Hand wash, dry at once']],
    variants: [v('TEA-CST-30', 6400, 0)],
  },
  {
    slug: 'olive-wood-salad-servers', name: 'Olive Wood Salad Servers', category: 'kitchen', art: 'board', colour: '#b08a5a',
    description: 'A pair of servers carved from a single piece of olive wood each, with its own grain.',
    specs: [['Material', 'Olive wood'], ['Length', '12 in'], ['Pack', '2 pieces'], ['Care', 'Hand wash, oil occasionally']],
    variants: [v('SRV-OLV-12', 3400, 26)],
  },
  {
    slug: 'ribbed-glass-vase', name: 'Ribbed Glass Vase', category: 'decor', art: 'vase', colour: '#9fc2c0', featured: true,
    description: 'Mouth-blown glass with fine vertical ribs that catch the light. Lovely with a few stems.',
    specs: [['Material', 'Mouth-blown glass'], ['Height', '10 in'], ['Opening', '3 in'], ['Care', 'Hand wash']],
    variants: [v('VAS-RIB-AQU', 4200, 16, { options: { colour: 'Aqua' } }), v('VAS-RIB-AMB', 4200, 7, { options: { colour: 'Amber' }, colour: '#c98f3c' })],
  },
  {
    slug: 'terracotta-bud-vase', name: 'Terracotta Bud Vase', category: 'decor', art: 'vase', colour: '#c4724f',
    description: 'Small, raw-finished terracotta vase for a single stem or dried grasses.',
    specs: [['Material', 'Unglazed terracotta'], ['Height', '6 in'], ['Opening', '0.75 in'], ['Note', 'Not watertight for fresh flowers']],
    variants: [v('VAS-TRC-06', 1900, 45)],
  },
  {
    slug: 'oak-picture-frame', name: 'Oak Picture Frame', category: 'decor', art: 'frame', colour: '#c8a77a',
    description: 'Solid oak frame with a white mat and shatter-resistant acrylic front. Hangs either way.',
    specs: [['Material', 'Solid oak, acrylic'], ['Photo size', '8 × 10 in'], ['Outer size', '12 × 14 in'], ['Mounting', 'Wall or tabletop']],
    variants: [v('FRM-OAK-810', 3800, 30, { options: { size: '8 × 10 in' } }), v('FRM-OAK-1114', 5200, 11, { options: { size: '11 × 14 in' } })],
  },
  {
    slug: 'minimal-wall-clock', name: 'Minimal Wall Clock', category: 'decor', art: 'clock', colour: '#2f3e46', featured: true,
    description: 'A silent sweep movement behind a clean face: no ticking, no numbers, no fuss.',
    specs: [['Material', 'Aluminium case, glass front'], ['Diameter', '12 in'], ['Movement', 'Silent sweep, 1 × AA'], ['Weight', '1.3 lb']],
    variants: [v('CLK-MIN-BLK', 6800, 10, { options: { colour: 'Charcoal' } }), v('CLK-MIN-WHT', 6800, 1, { options: { colour: 'Chalk' }, colour: '#e9e6df' })],
  },
  {
    slug: 'sculptural-candle-holder', name: 'Sculptural Candle Holder', category: 'decor', art: 'candle', colour: '#a89f91',
    description: 'A weighty cast concrete holder for a single taper, sealed against wax.',
    specs: [['Material', 'Sealed concrete'], ['Height', '4 in'], ['Fits', 'Standard 7/8 in tapers'], ['Weight', '1.1 lb']],
    variants: [v('HLD-CON-04', 2600, 19)],
  },
  {
    slug: 'seagrass-storage-basket', name: 'Seagrass Storage Basket', category: 'storage', art: 'basket', colour: '#b99c6b', featured: true,
    description: 'Hand-woven seagrass with sturdy handles, for throws, toys or laundry.',
    specs: [['Material', 'Seagrass'], ['Dimensions', '16 × 16 × 14 in'], ['Handles', 'Woven, reinforced'], ['Care', 'Wipe with a damp cloth']],
    variants: [v('BSK-SEA-M', 4800, 20, { options: { size: 'Medium' } }), v('BSK-SEA-L', 6200, 6, { options: { size: 'Large' } })],
  },
  {
    slug: 'glass-pantry-jars', name: 'Glass Pantry Jars, Set of 3', category: 'storage', art: 'jar', colour: '#cfd8d6',
    description: 'Borosilicate jars with airtight bamboo lids in three heights for grains, pasta and coffee.',
    specs: [['Material', 'Borosilicate glass, bamboo lids'], ['Capacity', '27, 40 and 54 fl oz'], ['Pack', '3 jars'], ['Care', 'Jars dishwasher safe; wipe lids']],
    variants: [v('JAR-PAN-3', 4400, 0, { compareAt: 5200 })],
  },
  {
    slug: 'ceramic-planter-medium', name: 'Ceramic Planter, Medium', category: 'storage', art: 'planter', colour: '#d9cbb8',
    description: 'A drainage-hole planter with its own saucer, in a reactive glaze no two of which are alike.',
    specs: [['Material', 'Glazed ceramic'], ['Diameter', '7 in'], ['Drainage', 'Hole with saucer'], ['Fits', 'Nursery pots up to 6 in']],
    variants: [v('PLN-CER-07', 3900, 24), v('PLN-CER-10', 5600, 8, { options: { size: 'Large, 10 in' } })],
  },
  {
    slug: 'cotton-rope-basket', name: 'Cotton Rope Basket', category: 'storage', art: 'basket', colour: '#e2dccf',
    description: 'Soft coiled cotton rope stitched into a foldable basket with leather handles.',
    specs: [['Material', 'Cotton rope, leather handles'], ['Dimensions', '13 × 13 × 11 in'], ['Foldable', 'Yes'], ['Care', 'Spot clean']],
    variants: [v('BSK-RPE-13', 3500, 33)],
  },
];
