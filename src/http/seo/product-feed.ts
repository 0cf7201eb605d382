// /feeds/products.xml: the catalog as a Google Merchant Center product feed (RSS 2.0 with
// the g: namespace, https://support.google.com/merchants/answer/7052112), one item per
// variant, variants of one product grouped by g:item_group_id. Hidden products are left out.
import type { FeedProduct, FeedVariant } from '../../domain/catalog/catalog-listing-repo.ts';
import type { StoreSettings } from '../../domain/settings/store-settings.ts';
import { decimalAmount } from '../../domain/shared/money.ts';
import { absoluteUrl } from '../pages/head.ts';
import { productBrand } from '../pages/structured-data.ts';
import { optionText } from '../pages/views/catalog-views.tsx';
import { xmlElement } from './xml.ts';

/** Google's limits: a title of 150 characters, a description of 5,000, 10 extra pictures. */
const TITLE_MAX = 150;
const DESCRIPTION_MAX = 5000;
const EXTRA_IMAGES_MAX = 10;

/** "12.00 USD", the form g:price takes. */
const feedPrice = (cents: number, currency: string) => `${decimalAmount(cents)} ${currency}`;

/** Option names shops use for the attributes Google knows by name. */
const OPTION_ATTRIBUTES: Record<string, string> = { colour: 'g:color', color: 'g:color', size: 'g:size', material: 'g:material', pattern: 'g:pattern' };

export function productFeedXml(settings: StoreSettings, publicUrl: string, products: FeedProduct[]): string {
  const items = products.flatMap((p) => p.variants.map((v) => feedItem(publicUrl, p, v)));
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">\n<channel>' +
    xmlElement('title', settings.storeName) +
    xmlElement('link', absoluteUrl(publicUrl, '/')) +
    xmlElement('description', `Products of ${settings.storeName}`) +
    '\n' +
    items.join('\n') +
    '\n</channel>\n</rss>\n'
  );
}

function feedItem(publicUrl: string, p: FeedProduct, v: FeedVariant): string {
  const grouped = p.variants.length > 1;
  const options = optionText(v.options);
  const title = grouped && options ? `${p.name} (${options})` : p.name;
  // A sale shows as the regular price struck through: Google wants the regular price in g:price.
  const onSale = v.compareAtPrice !== null && v.compareAtPrice > v.price;
  const brand = productBrand(p);
  const [image, ...more] = p.imageUrls.map((u) => absoluteUrl(publicUrl, u));
  const fields = [
    xmlElement('g:id', v.sku),
    xmlElement('g:title', title.slice(0, TITLE_MAX)),
    xmlElement('g:description', (p.description || p.name).slice(0, DESCRIPTION_MAX)),
    xmlElement('g:link', absoluteUrl(publicUrl, `/products/${encodeURIComponent(p.slug)}`)),
    xmlElement('g:image_link', image),
    ...more.slice(0, EXTRA_IMAGES_MAX).map((u) => xmlElement('g:additional_image_link', u)),
    xmlElement('g:price', feedPrice(onSale ? v.compareAtPrice! : v.price, v.currency)),
    onSale ? xmlElement('g:sale_price', feedPrice(v.price, v.currency)) : '',
    xmlElement('g:availability', v.stock > 0 ? 'in_stock' : 'out_of_stock'),
    xmlElement('g:condition', 'new'),
    xmlElement('g:brand', brand),
    // The shop keeps no GTIN or MPN; saying so keeps Merchant Center from refusing the item.
    xmlElement('g:identifier_exists', 'no'),
    xmlElement('g:product_type', p.categoryName),
    grouped ? xmlElement('g:item_group_id', p.slug) : '',
    ...Object.entries(v.options).map(([name, value]) => {
      const attribute = OPTION_ATTRIBUTES[name.trim().toLowerCase()];
      return attribute ? xmlElement(attribute, value) : '';
    }),
    v.weightGrams ? xmlElement('g:shipping_weight', `${v.weightGrams} g`) : '',
  ];
  return `<item>${fields.join('')}</item>`;
}
