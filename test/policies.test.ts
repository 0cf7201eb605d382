// Policy pages follow the store settings.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from './helpers/test-app.ts';

describe('policy pages', () => {
  let t: TestApp;
  before(async () => (t = await testApp('pglite')));
  after(() => t?.close());

  it('shows each policy with the shop’s facts and settings, linked from the footer', async () => {
    for (const slug of ['order-information', 'shipping', 'returns', 'privacy']) {
      const res = await t.app.inject(`/policies/${slug}`);
      assert.equal(res.statusCode, 200, slug);
      assert.match(res.body, new RegExp(`href="/policies/${slug}"`), 'footer links every policy');
      assert.match(res.body, /<meta name="description" content="[^"]{40,}">/, `${slug} has a description for search results`);
    }
    assert.match((await t.app.inject('/policies/returns')).body, /within 30 days of delivery/);
    assert.match((await t.app.inject('/policies/returns')).body, /<meta name="description" content="[^"]*within 30 days of delivery/);
    assert.match((await t.app.inject('/policies/shipping')).body, /free from \$75\.00/);
    assert.match((await t.app.inject('/policies/order-information')).body, /\+1 \(681\) 510-1126/);
    assert.equal((await t.app.inject({ url: '/policies/nope', headers: { accept: 'text/html' } })).statusCode, 404);
  });
});
