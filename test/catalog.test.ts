// Scenario tests: browsing the catalog through the HTTP API and pages, on PGlite and PostgreSQL.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DB_KINDS } from './helpers/databases.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';

for (const { kind, skip } of DB_KINDS) {
  describe(`catalog on ${kind}`, { skip }, () => {
    let t: TestApp;
    before(async () => {
      t = await testApp(kind);
      await addProducts(t.ctx, basicCatalog);
    });
    after(() => t?.close());

    it('lists products with price, image and stock flag', async () => {
      const res = await t.app.inject('/api/v1/products?sort=price_asc');
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.total, 3);
      assert.deepEqual(
        body.items.map((i: { slug: string }) => i.slug),
        ['test-mug', 'test-vase', 'test-lamp'],
      );
      const vase = body.items.find((i: { slug: string }) => i.slug === 'test-vase');
      assert.equal(vase.inStock, false);
      assert.deepEqual(vase.price, { amount: 3000, currency: 'USD' });
      assert.match(vase.image, /^\/images\/img\/.+\/thumb\.webp$/);
    });

    it('searches, filters by category and paginates', async () => {
      assert.equal((await t.app.inject('/api/v1/products?q=mug')).json().total, 1);
      assert.equal((await t.app.inject('/api/v1/products?q=%25')).json().total, 0, 'a literal % matches nothing');
      assert.equal((await t.app.inject('/api/v1/products?category=lighting')).json().items[0].slug, 'test-lamp');
      const page2 = (await t.app.inject('/api/v1/products?limit=2&page=2')).json();
      assert.equal(page2.items.length, 1);
      assert.equal(page2.total, 3);
    });

    it('returns one product with images, specifications and variants', async () => {
      const res = await t.app.inject('/api/v1/products/test-lamp');
      assert.equal(res.statusCode, 200);
      const p = res.json();
      assert.equal(p.variants.length, 2);
      assert.deepEqual(p.variants[1], { sku: 'LAMP-2', options: { colour: 'Rust' }, price: { amount: 5500, currency: 'USD' }, stock: 2, weightGrams: null, dimensionsMm: null });
      assert.equal(p.specifications[0].name, 'Material');
      assert.equal(p.images.length, 1);
      const img = await t.app.inject(p.images[0].url);
      assert.equal(img.statusCode, 200);
      assert.equal(img.headers['content-type'], 'image/webp');
      assert.match(String(img.headers['cache-control']), /immutable/);
    });

    it('answers unknown products and bad queries with the one error shape', async () => {
      const missing = await t.app.inject('/api/v1/products/nope');
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().error.code, 'not_found');
      const bad = await t.app.inject('/api/v1/products?limit=abc&sort=cheapest');
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, 'validation_failed');
      assert.ok(bad.json().error.details.fields.limit);
      assert.ok(bad.json().error.details.fields.sort);
    });

    it('renders the storefront pages and a real 404', async () => {
      const home = await t.app.inject('/');
      assert.equal(home.statusCode, 200);
      assert.match(home.body, /Test Lamp/);
      const product = await t.app.inject('/products/test-lamp');
      assert.match(product.body, /<label for="quantity">Quantity<\/label>/);
      assert.match(product.body, /Add to cart/);
      assert.match(product.body, /Only 2 left/);
      assert.match(product.body, /<table class="specs">/);
      const missing = await t.app.inject({ url: '/no/such/page', headers: { accept: 'text/html' } });
      assert.equal(missing.statusCode, 404);
      assert.match(missing.body, /couldn’t find/);
    });

    // What Lighthouse found on the listing and on a first visit (npm run audit measures the rest).
    it('gives every listing a description and headings in order, and answers the browser’s favicon request', async () => {
      const all = (await t.app.inject('/products')).body;
      assert.match(all, /<meta name="description" content="All products at [^"]+: [^"]*Lighting/);
      assert.match((await t.app.inject('/products?q=mug')).body, /<meta name="description" content="Products matching “mug” at /);
      // Card titles are one level below the heading above them: h2 under the listing's h1, h3 under the home page's h2s.
      assert.match(all, /<h2 class="card-title">Test Lamp<\/h2>/);
      assert.doesNotMatch(all, /<h3/);
      assert.match((await t.app.inject('/')).body, /<h3 class="card-title">Test Lamp<\/h3>/);
      const icon = await t.app.inject('/favicon.ico');
      assert.equal(icon.statusCode, 200);
      assert.equal(icon.headers['content-type'], 'image/svg+xml');
    });

    it('drops cached pages when the catalog changes', async () => {
      assert.match((await t.app.inject('/products/test-mug')).body, /In stock/);
      const { variants } = await import('../src/db/schema.ts');
      const { eq } = await import('drizzle-orm');
      const { announceChange } = await import('../src/domain/shared/change-bus.ts');
      await t.ctx.db.transaction(async (tx) => {
        await tx.update(variants).set({ stock: 0 }).where(eq(variants.sku, 'MUG-1'));
        await announceChange(tx, 'catalog');
      });
      // NOTIFY is delivered asynchronously after commit.
      let body = '';
      for (let i = 0; i < 50 && !/Out of stock/.test(body); i++) {
        await new Promise((r) => setTimeout(r, 20));
        body = (await t.app.inject('/products/test-mug')).body;
      }
      assert.match(body, /Out of stock/);
    });

    it('sends cached pages compressed as the client asks, with an entity tag, and the cart count from the cookie', async () => {
      const plain = await t.app.inject('/products/test-lamp');
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.match(String(plain.headers.vary), /Accept-Encoding/);
      const etag = String(plain.headers.etag);
      assert.match(etag, /^W\/"/);
      const { brotliDecompressSync, gunzipSync } = await import('node:zlib');
      const br = await t.app.inject({ url: '/products/test-lamp', headers: { 'accept-encoding': 'gzip, br' } });
      assert.equal(br.headers['content-encoding'], 'br');
      assert.equal(brotliDecompressSync(br.rawPayload).toString(), plain.body);
      const gz = await t.app.inject({ url: '/products/test-lamp', headers: { 'accept-encoding': 'gzip, br;q=0' } });
      assert.equal(gz.headers['content-encoding'], 'gzip');
      assert.equal(gunzipSync(gz.rawPayload).toString(), plain.body);
      const again = await t.app.inject({ url: '/products/test-lamp', headers: { 'if-none-match': etag } });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');
      // The cart count is the one per-visitor part: another count is another page and another tag.
      const withCart = await t.app.inject({ url: '/products/test-lamp', headers: { cookie: 'theme=x; cart_n=3', 'if-none-match': etag } });
      assert.equal(withCart.statusCode, 200);
      assert.notEqual(withCart.headers.etag, etag);
      assert.match(withCart.body, /data-cart-count="true">3</);
      const missing = await t.app.inject({ url: '/products/nope', headers: { 'if-none-match': etag } });
      assert.equal(missing.statusCode, 404);
    });

    it('sends the stylesheet and script compressed as the client asks, cacheable for a year', async () => {
      const { brotliDecompressSync, gunzipSync } = await import('node:zlib');
      const home = (await t.app.inject('/')).body;
      for (const url of [/href="(\/assets\/[^"]+\/store\.css)"/.exec(home)![1]!, /src="(\/assets\/[^"]+\/store\.js)"/.exec(home)![1]!]) {
        const plain = await t.app.inject(url);
        assert.equal(plain.headers['content-encoding'], undefined, url);
        assert.match(String(plain.headers['cache-control']), /immutable/);
        assert.match(String(plain.headers.vary), /Accept-Encoding/);
        const br = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
        assert.equal(br.headers['content-encoding'], 'br');
        assert.ok(br.rawPayload.length < plain.rawPayload.length / 2, `${url} is smaller compressed`);
        assert.equal(brotliDecompressSync(br.rawPayload).toString(), plain.body);
        const gz = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
        assert.equal(gunzipSync(gz.rawPayload).toString(), plain.body);
      }
    });

    it('reports health with database reachability and memory', async () => {
      const res = await t.app.inject('/healthz');
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().database.reachable, true);
      assert.ok(res.json().rssBytes > 0);
    });

    it('serves an OpenAPI document', async () => {
      const res = await t.app.inject('/api/openapi.json');
      assert.equal(res.statusCode, 200);
      assert.ok(res.json().paths['/api/v1/products/{slug}']);
    });
  });
}

describe('metrics', () => {
  it('exposes request, order and outbox metrics to this machine only', async () => {
    const t = await testApp('pglite');
    try {
      await t.app.inject('/');
      const res = await t.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /http_request_duration_seconds_bucket\{.*route="\/"/);
      assert.match(res.body, /casanova_orders|casanova_outbox_rows/);
      const outside = await t.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9' });
      assert.equal(outside.statusCode, 403);
    } finally {
      await t.close();
    }
  });
});
