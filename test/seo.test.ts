// Search engines and shopping sites: old product addresses answer 301, pages carry canonical
// and link-preview tags and schema.org JSON-LD, robots.txt, the sitemap and the product feed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { products, variants } from '../src/db/schema.ts';
import { createProduct, updateProduct, type ProductInput } from '../src/domain/catalog/catalog-admin.ts';
import { getAdminProduct } from '../src/domain/catalog/catalog-admin-queries.ts';
import { jsonForScript } from '../src/http/pages/html.tsx';
import { DB_KINDS } from './helpers/databases.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { checkJsonLd } from './helpers/schema-org.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

const BASE = 'http://127.0.0.1:3000';

/** Catalog changes reach the app's caches through NOTIFY: ask again until they have. */
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  let v = await read();
  for (let i = 0; i < 300 && !ok(v); i++) {
    await new Promise((r) => setTimeout(r, 10));
    v = await read();
  }
  return v;
}

const jsonLd = (html: string) => [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].map((m) => JSON.parse(m[1]!));
const metaContent = (html: string, key: string) => html.match(new RegExp(`<meta (?:name|property)="${key.replace(/[.:]/g, '\\$&')}" content="([^"]*)">`))?.[1];
const canonical = (html: string) => html.match(/<link rel="canonical" href="([^"]*)">/)?.[1];

describe('jsonForScript', () => {
  it('keeps a closing script tag, an HTML comment and line separators from ending or bending the script element', () => {
    const value = { name: '</script><script>alert(1)</script> <!-- & \u2028' };
    const out = jsonForScript(value);
    assert.doesNotMatch(out, /[<>&\u2028]/);
    assert.deepEqual(JSON.parse(out), value);
  });
});

describe('the schema.org checker', () => {
  it('refuses a property its type does not have, a wrong enumeration member and a relative URL', () => {
    const problems = checkJsonLd({
      '@context': 'https://schema.org',
      '@type': 'Product',
      name: 'Lamp',
      stock: 3,
      offers: [{ '@type': 'Offer', price: '12.00', availability: 'in stock', url: '/products/lamp' }],
    });
    assert.deepEqual(problems, [
      'Product.stock: not a schema.org property of Product',
      'Product.offers[0].availability: "in stock" is not one of ItemAvailability',
      'Product.offers[0].url: "/products/lamp" is not one of URL',
    ]);
  });
});

for (const { kind, skip } of DB_KINDS) {
  describe(`SEO and feeds on ${kind}`, { skip }, () => {
    let t: TestApp;
    const get = (url: string) => t.app.inject({ url });
    const productId = async (slug: string) => (await t.ctx.db.select({ id: products.id }).from(products).where(eq(products.slug, slug)))[0]!.id;
    async function rename(slug: string, to: string, change: Partial<ProductInput> = {}) {
      const id = await productId(slug);
      const p = await getAdminProduct(t.ctx.db, id);
      await updateProduct(t.ctx, id, { name: p.name, slug: to, categorySlug: p.categorySlug, description: p.description, featured: p.featured, active: p.active, specifications: p.specifications, ...change });
    }

    before(async () => {
      t = await testApp(kind);
      await addProducts(t.ctx, [
        ...basicCatalog,
        { slug: 'linen-throw', name: 'Linen Throw & <Blanket>', category: 'textiles', description: 'Stone-washed "linen".', variants: [{ sku: 'THROW-1', price: 1999, compareAt: 2500, stock: 4 }], specs: [['Brand', 'Casa & Co']] },
        { slug: 'evil-lamp', name: '</script><script>alert(1)</script>', category: 'lighting', variants: [{ sku: 'EVIL-1', price: 100, stock: 1 }] },
        { slug: 'secret-draft', name: 'Secret Draft', category: 'decor', variants: [{ sku: 'DRAFT-1', price: 900, stock: 5 }] },
      ]);
      await t.ctx.db.update(products).set({ active: false }).where(eq(products.slug, 'secret-draft'));
      await t.ctx.db.update(variants).set({ weightGrams: 1200 }).where(eq(variants.sku, 'MUG-1'));
    });
    after(() => t?.close());

    it('a renamed product answers 301 from every old address to the current one in one hop, keeping the query', async () => {
      await rename('test-lamp', 'lamp-a');
      await rename('lamp-a', 'lamp-b');
      const fromFirst = await eventually(() => get('/products/test-lamp?utm_source=mail'), (r) => r.statusCode === 301);
      assert.equal(fromFirst.statusCode, 301);
      assert.equal(fromFirst.headers.location, '/products/lamp-b?utm_source=mail');
      const fromSecond = await get('/products/lamp-a');
      assert.equal(fromSecond.statusCode, 301);
      assert.equal(fromSecond.headers.location, '/products/lamp-b');
      assert.equal((await get('/products/lamp-b')).statusCode, 200);

      // Back to an old name: that address is the product's own again, and the other one redirects.
      await rename('lamp-b', 'lamp-a');
      assert.equal((await eventually(() => get('/products/lamp-a'), (r) => r.statusCode === 200)).statusCode, 200);
      assert.equal((await get('/products/lamp-b')).headers.location, '/products/lamp-a');
      assert.equal((await get('/products/test-lamp')).headers.location, '/products/lamp-a');

      // A new product taking an old address wins over the redirect.
      await createProduct(t.ctx, {
        product: { name: 'New Test Lamp', slug: 'test-lamp', categorySlug: 'lighting', description: 'A new lamp.', featured: false, active: true, specifications: [] },
        variant: { sku: 'NEWLAMP-1', options: {}, price: 4000, compareAtPrice: null },
      });
      const taken = await eventually(() => get('/products/test-lamp'), (r) => r.statusCode === 200);
      assert.equal(taken.statusCode, 200);
      assert.match(taken.body, /New Test Lamp/);
      assert.equal((await get('/products/lamp-b')).headers.location, '/products/lamp-a', 'the rest of the chain still resolves');
      assert.equal((await get('/products/never-existed')).statusCode, 404);
    });

    it('product pages carry an absolute canonical, Open Graph and Twitter tags with the product picture', async () => {
      const page = await get('/products/test-mug?utm_source=x&gclid=1');
      assert.equal(page.statusCode, 200);
      assert.equal(canonical(page.body), `${BASE}/products/test-mug`);
      assert.equal(metaContent(page.body, 'og:url'), `${BASE}/products/test-mug`);
      assert.equal(metaContent(page.body, 'og:type'), 'product');
      assert.equal(metaContent(page.body, 'og:title'), 'Test Mug');
      assert.equal(metaContent(page.body, 'description'), 'Test Mug, made to last.');
      assert.equal(metaContent(page.body, 'og:description'), 'Test Mug, made to last.');
      const image = metaContent(page.body, 'og:image')!;
      assert.match(image, /^http:\/\/127\.0\.0\.1:3000\/images\/.+\/large\.webp$/);
      assert.equal(metaContent(page.body, 'twitter:card'), 'summary_large_image');
      assert.equal(metaContent(page.body, 'twitter:image'), image);
      assert.equal((await get(image.slice(BASE.length))).statusCode, 200, 'the picture is served at that address');
      assert.equal(metaContent(page.body, 'robots'), undefined);
    });

    it('listing pages are canonical without sort and tracking parameters; search results are noindex', async () => {
      assert.equal(canonical((await get('/products?sort=price_asc&utm_campaign=x')).body), `${BASE}/products`);
      assert.equal(canonical((await get('/products?category=kitchen&sort=name&page=2&fbclid=y')).body), `${BASE}/products?category=kitchen&amp;page=2`);
      assert.equal(canonical((await get('/')).body), `${BASE}/`);
      const search = await get('/products?q=mug');
      assert.equal(metaContent(search.body, 'robots'), 'noindex');
      assert.equal(canonical(search.body), undefined);
      for (const url of ['/', '/products', '/policies/returns', '/contact']) {
        const body = (await get(url)).body;
        assert.ok(metaContent(body, 'description'), `${url} has a description`);
        assert.equal(metaContent(body, 'robots'), undefined, `${url} is indexable`);
        assert.ok(canonical(body)?.startsWith(BASE), `${url} has an absolute canonical`);
      }
    });

    it('cart, checkout, tracking, account and returns pages are noindex, with no canonical', async () => {
      const added = await t.app.inject({ method: 'POST', url: '/cart/items', payload: { sku: 'MUG-1', quantity: '1' } });
      const cookies = Object.fromEntries(added.cookies.map((c) => [c.name, c.value]));
      for (const url of ['/cart', '/checkout', '/track', '/account', '/returns']) {
        const res = await t.app.inject({ url, cookies });
        assert.equal(res.statusCode, 200, url);
        assert.equal(metaContent(res.body, 'robots'), 'noindex', `${url} is noindex`);
        assert.equal(canonical(res.body), undefined, url);
        assert.ok(metaContent(res.body, 'description'), `${url} has a description`);
      }
    });

    it('product JSON-LD has one offer per variant with decimal prices and schema.org availability, and passes the vocabulary check', async () => {
      await addProducts(t.ctx, [{ slug: 'duo-vase', name: 'Duo Vase', category: 'decor', variants: [{ sku: 'DUO-S', price: 1250, stock: 3, options: { size: 'S' } }, { sku: 'DUO-L', price: 100005, stock: 0, options: { size: 'L' } }] }]);
      const page = await eventually(() => get('/products/duo-vase'), (r) => r.statusCode === 200);
      const [product, breadcrumb] = jsonLd(page.body);
      assert.deepEqual(checkJsonLd(product), []);
      assert.deepEqual(checkJsonLd(breadcrumb), []);
      assert.deepEqual(
        breadcrumb.itemListElement.map((i: { position: number; name: string; item: { '@id': string } }) => [i.position, i.name, i.item['@id']]),
        [
          [1, 'Home', `${BASE}/`],
          [2, 'Decor', `${BASE}/products?category=decor`],
          [3, 'Duo Vase', `${BASE}/products/duo-vase`],
        ],
      );
      assert.equal(product['@type'], 'Product');
      assert.equal(product.name, 'Duo Vase');
      assert.equal(product.url, `${BASE}/products/duo-vase`);
      assert.match(product.image[0], /^http:\/\/127\.0\.0\.1:3000\/images\//);
      assert.deepEqual(
        product.offers.map((o: Record<string, string>) => [o.sku, o.price, o.priceCurrency, o.availability]),
        [
          ['DUO-S', '12.50', 'USD', 'https://schema.org/InStock'],
          ['DUO-L', '1000.05', 'USD', 'https://schema.org/OutOfStock'],
        ],
      );
      const single = jsonLd((await get('/products/linen-throw')).body)[0];
      assert.deepEqual(checkJsonLd(single), []);
      assert.equal(single.sku, 'THROW-1');
      assert.deepEqual(single.brand, { '@type': 'Brand', name: 'Casa & Co' });
    });

    it('a product name with a closing script tag stays inside the JSON-LD and reads back whole', async () => {
      const page = await get('/products/evil-lamp');
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /<script>alert/);
      const scripts = jsonLd(page.body);
      assert.equal(scripts.length, 2);
      assert.equal(scripts[0].name, '</script><script>alert(1)</script>');
      assert.equal(scripts[1].itemListElement[2].name, '</script><script>alert(1)</script>');
    });

    it('the home page describes the shop from settings: address, contact, opening hours and return policy', async () => {
      const [store] = jsonLd((await get('/')).body);
      assert.deepEqual(checkJsonLd(store), []);
      assert.deepEqual(jsonLd((await get('/contact')).body), [store], 'the contact page describes the shop the same way');
      assert.equal(store['@type'], 'Store');
      assert.equal(store.name, 'CasanovaSpace');
      assert.equal(store.telephone, '+1 (681) 510-1126');
      assert.equal(store.email, 'globalhelpwzq@casanovaspace.com');
      assert.deepEqual(store.address, {
        '@type': 'PostalAddress',
        streetAddress: '3850 Central Ave Apt 19',
        addressLocality: 'Parkersburg',
        addressRegion: 'WV',
        postalCode: '26104',
        addressCountry: 'US',
      });
      const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'].map((d) => `https://schema.org/${d}`);
      assert.deepEqual(store.openingHoursSpecification, [
        { '@type': 'OpeningHoursSpecification', dayOfWeek: weekdays, opens: '09:00', closes: '12:00' },
        { '@type': 'OpeningHoursSpecification', dayOfWeek: weekdays, opens: '14:00', closes: '18:00' },
      ]);
      assert.deepEqual(store.hasMerchantReturnPolicy, {
        '@type': 'MerchantReturnPolicy',
        applicableCountry: 'US',
        returnPolicyCategory: 'https://schema.org/MerchantReturnFiniteReturnWindow',
        merchantReturnDays: 30,
        returnMethod: 'https://schema.org/ReturnByMail',
        merchantReturnLink: `${BASE}/policies/returns`,
      });
    });

    it('robots.txt keeps crawlers out of personal and staff pages and names the absolute sitemap', async () => {
      const res = await get('/robots.txt');
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /^text\/plain/);
      for (const path of ['/cart', '/checkout', '/account', '/track', '/admin', '/api/']) assert.match(res.body, new RegExp(`^Disallow: ${path}$`, 'm'));
      assert.match(res.body, /^User-agent: \*$/m);
      assert.match(res.body, new RegExp(`^Sitemap: ${BASE}/sitemap.xml$`, 'm'));
    });

    it('the sitemap lists every visible product with its last change and no hidden one, and follows hiding and renaming', async () => {
      const sitemap = async () => {
        const res = await get('/sitemap.xml');
        assert.equal(res.statusCode, 200);
        assert.equal(XMLValidator.validate(res.body), true);
        const urls = new XMLParser().parse(res.body).urlset.url as { loc: string; lastmod?: string }[];
        return new Map(urls.map((u) => [u.loc, u.lastmod]));
      };
      const visible = await t.ctx.db.select({ slug: products.slug, updatedAt: products.updatedAt }).from(products).where(eq(products.active, true));
      let urls = await eventually(sitemap, (m) => visible.every((p) => m.has(`${BASE}/products/${p.slug}`)));
      for (const p of visible) assert.equal(urls.get(`${BASE}/products/${p.slug}`), p.updatedAt.toISOString(), p.slug);
      assert.equal([...urls.keys()].filter((u) => u.startsWith(`${BASE}/products/`)).length, visible.length);
      assert.ok(!urls.has(`${BASE}/products/secret-draft`), 'a hidden product is never listed');
      for (const path of ['/', '/products', '/products?category=kitchen', '/policies/shipping', '/policies/returns', '/contact']) assert.ok(urls.has(`${BASE}${path}`), path);

      await rename('test-mug', 'stoneware-mug');
      urls = await eventually(sitemap, (m) => m.has(`${BASE}/products/stoneware-mug`));
      assert.ok(urls.has(`${BASE}/products/stoneware-mug`));
      assert.ok(!urls.has(`${BASE}/products/test-mug`), 'the old address leaves the sitemap');

      await rename('stoneware-mug', 'stoneware-mug', { active: false });
      urls = await eventually(sitemap, (m) => !m.has(`${BASE}/products/stoneware-mug`));
      assert.ok(!urls.has(`${BASE}/products/stoneware-mug`), 'a product hidden by staff leaves the sitemap');
      await rename('stoneware-mug', 'stoneware-mug', { active: true });
      await eventually(sitemap, (m) => m.has(`${BASE}/products/stoneware-mug`));
    });

    it('the product feed is well-formed RSS with one item per variant, prices to the cent, and no hidden product', async () => {
      const res = await eventually(() => get('/feeds/products.xml'), (r) => r.body.includes('DUO-S') && r.body.includes('stoneware-mug'));
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /xml/);
      assert.equal(XMLValidator.validate(res.body), true);
      assert.match(res.body, /<rss version="2.0" xmlns:g="http:\/\/base.google.com\/ns\/1.0">/);
      const channel = new XMLParser({ parseTagValue: false }).parse(res.body).rss.channel;
      const items = new Map<string, Record<string, string>>((channel.item as Record<string, string>[]).map((i) => [i['g:id']!, i]));
      assert.ok(!items.has('DRAFT-1'), 'hidden products are left out');

      const throw_ = items.get('THROW-1')!;
      assert.equal(throw_['g:title'], 'Linen Throw & <Blanket>');
      assert.equal(throw_['g:description'], 'Stone-washed "linen".');
      assert.equal(throw_['g:price'], '25.00 USD', 'the regular price');
      assert.equal(throw_['g:sale_price'], '19.99 USD');
      assert.equal(throw_['g:brand'], 'Casa & Co');
      assert.equal(throw_['g:availability'], 'in_stock');
      assert.equal(throw_['g:condition'], 'new');
      assert.equal(throw_['g:link'], `${BASE}/products/linen-throw`);
      assert.match(throw_['g:image_link']!, /^http:\/\/127\.0\.0\.1:3000\/images\/.+\/large\.webp$/);
      assert.equal(throw_['g:item_group_id'], undefined, 'a product sold in one version is not a group');

      const [small, large] = [items.get('DUO-S')!, items.get('DUO-L')!];
      assert.deepEqual([small['g:price'], small['g:availability'], small['g:item_group_id'], small['g:size'], small['g:title']], ['12.50 USD', 'in_stock', 'duo-vase', 'S', 'Duo Vase (Size: S)']);
      assert.deepEqual([large['g:price'], large['g:availability'], large['g:item_group_id']], ['1000.05 USD', 'out_of_stock', 'duo-vase']);
      assert.equal(items.get('MUG-1')!['g:shipping_weight'], '1200 g');
      assert.equal(items.get('MUG-1')!['g:link'], `${BASE}/products/stoneware-mug`);
      assert.equal(items.get('THROW-1')!['g:shipping_weight'], undefined);
    });
  });
}
