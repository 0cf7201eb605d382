// CSV exports: the catalog in Casanova's import columns (so an export edited in a spreadsheet
// imports back), and customers as the orders know them (one row per email).
import { asc, eq, sql } from 'drizzle-orm';
import type { Conn } from '../../db/client.ts';
import { rows } from '../../db/client.ts';
import { categories, products, variants } from '../../db/schema.ts';
import { CASANOVA_COLUMNS } from './import-rows.ts';

const dollars = (c: number | null) => (c === null ? '' : (c / 100).toFixed(2));

export async function productExport(conn: Conn): Promise<{ header: string[]; rows: (string | number)[][] }> {
  const list = await conn
    .select({ handle: products.slug, name: products.name, category: categories.slug, description: products.description, sku: variants.sku, options: variants.options, price: variants.price, compareAt: variants.compareAtPrice, stock: variants.stock, weightGrams: variants.weightGrams, lengthMm: variants.lengthMm, widthMm: variants.widthMm, heightMm: variants.heightMm })
    .from(variants)
    .innerJoin(products, eq(products.id, variants.productId))
    .innerJoin(categories, eq(categories.id, products.categoryId))
    .orderBy(asc(products.slug), asc(variants.position));
  return {
    header: [...CASANOVA_COLUMNS],
    rows: list.map((v) => [v.handle, v.name, v.category, v.description, v.sku, Object.entries(v.options).map(([k, val]) => `${k}=${val}`).join(';'), dollars(v.price), dollars(v.compareAt), v.stock, v.weightGrams ?? '', v.lengthMm ?? '', v.widthMm ?? '', v.heightMm ?? '']),
  };
}

export async function customerExport(conn: Conn): Promise<{ header: string[]; rows: (string | number)[][] }> {
  const list = await rows<{ email: string; name: string; phone: string; orders: number; spent: number; first: Date; last: Date }>(
    conn,
    sql`select email,
          (array_agg(shipping_address->>'name' order by created_at desc))[1] as name,
          (array_agg(phone order by created_at desc))[1] as phone,
          count(*)::int as orders, sum(total)::int as spent, min(created_at) as first, max(created_at) as last
        from orders group by email order by max(created_at) desc`,
  );
  return {
    header: ['email', 'name', 'phone', 'orders', 'total_spent', 'first_order', 'last_order'],
    rows: list.map((c) => [c.email, c.name, c.phone, c.orders, dollars(c.spent), new Date(c.first).toISOString(), new Date(c.last).toISOString()]),
  };
}
