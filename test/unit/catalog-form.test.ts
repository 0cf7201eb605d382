// The catalog form's readers (dollars, "name=value" options, specification rows), the
// product and variant field rules, and the shop's "today" and "this week".
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { centsOf, formToVariant, optionsText, parseOptions, specRows, withSpecRows } from '../../src/http/admin/catalog-form.ts';
import { productProblems, slugify, variantProblems } from '../../src/domain/catalog/catalog-admin.ts';
import { shopPeriods } from '../../src/domain/reporting/dashboard-queries.ts';

describe('catalog form', () => {
  it('reads dollars into cents, with commas only as thousands separators', () => {
    assert.equal(centsOf('48'), 4800);
    assert.equal(centsOf(' $1,249.5 '), 124950);
    assert.equal(centsOf('0.99'), 99);
    for (const bad of ['48,0', '12.345', '-5', 'ten', '', '1.2.3']) assert.equal(typeof centsOf(bad), 'string', bad);
  });

  it('reads options as name=value pairs and writes them back the same way', () => {
    assert.deepEqual(parseOptions('colour=Oat, size = M'), { colour: 'Oat', size: 'M' });
    assert.deepEqual(parseOptions(''), {});
    assert.match(String(parseOptions('colour')), /needs a name and a value/);
    assert.match(String(parseOptions('size=M, size=L')), /given twice/);
    assert.equal(optionsText({ colour: 'Oat', size: 'M' }), 'colour=Oat, size=M');
  });

  it('keeps typed specification rows through "Add a row" and "Remove", renumbered without blanks', () => {
    const form = { specRows: '4', 'specifications.0.name': 'A', 'specifications.0.value': '1', 'specifications.2.name': 'C', 'specifications.2.value': '3' };
    const added = withSpecRows(form, 'add-spec');
    assert.deepEqual(specRows(added).slice(0, 2), [{ name: 'A', value: '1' }, { name: 'C', value: '3' }]);
    assert.equal(specRows(added).length, 5);
    assert.deepEqual(specRows(withSpecRows(form, 'remove-spec:0')).slice(0, 1), [{ name: 'C', value: '3' }]);
  });

  it('reports unreadable variant fields under their prefixed names', () => {
    const { errors, openingStock } = formToVariant({ 'v-1.sku': 'X', 'v-1.price': 'abc', 'v-1.openingStock': '5' }, 'v-1.');
    assert.deepEqual(Object.keys(errors), ['v-1.price']);
    assert.equal(openingStock, 5);
  });
});

describe('catalog rules', () => {
  it('makes web addresses from names', () => {
    assert.equal(slugify('Linen Table Lamp (Oat) & Shade'), 'linen-table-lamp-oat-and-shade');
    assert.equal(slugify('Café crème'), 'cafe-creme');
  });

  it('names every product and variant problem by field', () => {
    const product = productProblems({ name: '', slug: 'Bad Slug', categorySlug: '', description: '', featured: false, active: true, specifications: [{ name: 'A', value: '' }, { name: 'a', value: '2' }] });
    assert.deepEqual(Object.keys(product).sort(), ['category', 'name', 'slug', 'specifications.0', 'specifications.1'].sort(), 'a blank value, and a name listed twice in any case');
    const variant = variantProblems({ sku: 'has space', options: { '': 'x' }, price: -1, compareAtPrice: 5 });
    assert.deepEqual(Object.keys(variant).sort(), ['options', 'price', 'sku']);
    assert.match(variantProblems({ sku: 'OK-1', options: {}, price: 500, compareAtPrice: 500 }).compareAtPrice!, /higher than the price/);
  });
});

describe('shop periods', () => {
  it('starts today and the week (Monday) at midnight in the shop’s time zone', () => {
    // 03:00 UTC on Monday is still Sunday evening in New York.
    const p = shopPeriods(new Date('2025-03-03T03:00:00Z'), 'America/New_York');
    assert.equal(p.today.from.toISOString(), '2025-03-02T05:00:00.000Z');
    assert.equal(p.week.from.toISOString(), '2025-02-24T05:00:00.000Z');
    assert.equal(p.week.to.toISOString(), '2025-03-03T05:00:00.000Z');
    // The day daylight saving time starts is 23 hours long.
    const dst = shopPeriods(new Date('2025-03-09T12:00:00Z'), 'America/New_York');
    assert.equal(dst.today.to.getTime() - dst.today.from.getTime(), 23 * 3600_000);
  });
});
