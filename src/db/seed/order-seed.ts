// `npm run seed -- --orders N`: fills a PostgreSQL database with N realistic orders to
// measure the back office and tracking at scale. Everything is generated inside the
// database (generate_series + INSERT … SELECT, one transaction per batch), so a million
// orders take minutes, not hours: orders spread over the last year, their lines, the
// timeline (placed plus every stage they went through), payments, refunds of cancelled
// orders and shipments of shipped ones.
import type { Client } from 'pg';
import { READABLE_ALPHABET } from '../../domain/shared/ids.ts';

export type OrderSeedOptions = {
  /** How many orders to add. */
  orders: number;
  /** Order number prefix from the store settings, e.g. "CS-". */
  prefix: string;
  /** Orders per transaction. */
  batchSize?: number;
  /** Called after each batch (progress bar). */
  onBatch?: (done: number, total: number) => void;
};

/**
 * Order numbers come from a bijection of the sequence number onto the 31^8 readable codes
 * (an affine map modulo 31^8 with a multiplier prime to 31), so seeded numbers are unique
 * without checking, look random, and never repeat across seed runs (each run starts after
 * the orders already there). The rare clash with a real random number is skipped.
 */
const CODE_SPACE = 31n ** 8n;
const MULTIPLIER = 387_420_489_017n; // not a multiple of 31
const OFFSET = 104_729_000_003n;

const FIRST = ['Jane', 'John', 'Maria', 'James', 'Linda', 'Robert', 'Patricia', 'Michael', 'Barbara', 'William', 'Elizabeth', 'David', 'Jennifer', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Daniel', 'Nancy', 'Matthew', 'Lisa', 'Anthony', 'Betty', 'Mark', 'Sandra', 'Steven', 'Ashley', 'Paul', 'Emily', 'Andrew', 'Donna', 'Joshua', 'Michelle', 'Kevin', 'Carol', 'Brian', 'Amanda', 'George', 'Melissa', 'Timothy', 'Deborah', 'Ronald', 'Laura', 'Jason', 'Rebecca', 'Edward', 'Sharon', 'Ryan', 'Cynthia', 'Jacob', 'Kathleen', 'Gary', 'Amy', 'Nicholas', 'Angela', 'Eric', 'Rosa', 'Chen', 'Aisha', 'Mateo', 'Priya', 'Omar', 'Yuki', 'Sofia', 'Ivan', 'Noor'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Kowalski', 'Okafor', 'Haddad', 'Novak', 'Ivanova', 'Tanaka', 'Schmidt', 'Dubois', 'Rossi', 'Silva'];
const STREETS = ['Market', 'Juliana', 'Ann', 'Murdoch', 'Grand Central', 'Division', 'Emerson', 'Pike', 'Seventh', 'Washington', 'Lincoln', 'Oak', 'Maple', 'Cedar', 'Elm', 'Park', 'Lake', 'Hill', 'River', 'Church'];
/** City, state, ZIP: mostly West Virginia and its neighbours, some further away (no tax there). */
const PLACES = [
  ['Parkersburg', 'WV', '26101'], ['Vienna', 'WV', '26105'], ['Charleston', 'WV', '25301'], ['Morgantown', 'WV', '26505'], ['Huntington', 'WV', '25701'],
  ['Wheeling', 'WV', '26003'], ['Marietta', 'OH', '45750'], ['Columbus', 'OH', '43215'], ['Pittsburgh', 'PA', '15222'], ['Richmond', 'VA', '23219'],
  ['Lexington', 'KY', '40507'], ['Baltimore', 'MD', '21201'], ['Chicago', 'IL', '60601'], ['Austin', 'TX', '78701'], ['Denver', 'CO', '80202'],
  ['Portland', 'OR', '97201'], ['Atlanta', 'GA', '30303'], ['Boston', 'MA', '02108'], ['Seattle', 'WA', '98101'], ['Phoenix', 'AZ', '85004'],
];
const AREA_CODES = ['304', '681', '740', '412', '614', '703', '859', '410', '312', '512'];
const DOMAINS = ['example.com', 'example.net', 'example.org', 'mail.example.com'];

const arr = (xs: string[]) => `array[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]`;

/** The statuses an order reaches in turn, given where it ended; used for its timeline. */
const PATHS: Record<string, string[]> = {
  paid: [],
  verified: ['verified'],
  on_hold: ['on_hold'],
  preparing: ['verified', 'preparing'],
  packed: ['verified', 'preparing', 'packed'],
  shipped: ['verified', 'preparing', 'packed', 'shipped'],
  delivered: ['verified', 'preparing', 'packed', 'shipped', 'delivered'],
  cancelled: ['cancelled'],
};

/** Adds `opts.orders` orders in batches; the catalog must have variants (seed it first). */
export async function seedOrders(client: Client, opts: OrderSeedOptions): Promise<{ inserted: number }> {
  const batchSize = opts.batchSize ?? 20_000;
  const q = (text: string, values?: unknown[]) => client.query(text, values);
  // Generated data can be made again: not waiting for each commit to reach the disk halves the time.
  await q('set synchronous_commit = off');

  const { rows: vrows } = await q('select count(*)::int as n from variants');
  if (vrows[0].n === 0) throw new Error('The catalog has no products: seed the catalog first.');
  const { rows: crows } = await q('select count(*)::bigint as n from orders');
  const start = BigInt(crows[0].n);

  // Lookup tables for the generator, kept for this session only.
  await q(`create temp table if not exists seed_variants as
             select (row_number() over (order by v.sku) - 1)::int as n, v.id, v.sku, v.price, v.options, p.name as product_name, p.slug as product_slug
             from variants v join products p on p.id = v.product_id`);
  await q(`create temp table if not exists seed_paths (status text primary key, steps text[] not null)`);
  await q('truncate seed_paths');
  for (const [status, steps] of Object.entries(PATHS)) await q('insert into seed_paths values ($1, $2)', [status, steps]);
  const nVariants = (await q('select count(*)::int as n from seed_variants')).rows[0].n as number;

  let inserted = 0;
  const batches = Math.ceil(opts.orders / batchSize);
  for (let b = 0; b < batches; b++) {
    const from = start + BigInt(b * batchSize);
    const count = Math.min(batchSize, opts.orders - b * batchSize);
    await q('begin');
    try {
      inserted += await seedBatch(q, { from, count, prefix: opts.prefix, nVariants });
      await q('commit');
    } catch (err) {
      await q('rollback');
      throw err;
    }
    opts.onBatch?.(b + 1, batches);
  }
  await q('analyze orders, order_items, order_events, payments, refunds, shipments');
  return { inserted };
}

type Query = (text: string, values?: unknown[]) => Promise<{ rows: any[]; rowCount: number | null }>;

async function seedBatch(q: Query, a: { from: bigint; count: number; prefix: string; nVariants: number }): Promise<number> {
  const digit = (j: number) => `substr('${READABLE_ALPHABET}', ((code / ${31n ** BigInt(j)}) % 31)::int + 1, 1)`;
  // 1. The orders of this batch: who, where, when and how far they got.
  await q('drop table if exists seed_orders');
  await q(
    `create temp table seed_orders as
     with g as (
       select k, ((k::numeric * ${MULTIPLIER} + ${OFFSET}) % ${CODE_SPACE})::bigint as code,
              -- Age in days, skewed towards recent orders (the shop grows).
              365 * power(random(), 1.3) as age_days, random() as r, random() as r2
       from generate_series($1::bigint, $1::bigint + $2 - 1) as k
     ), named as (
       -- ${FIRST.length} × ${LAST.length} names, each pairing as common as the next.
       select g.*, (${arr(FIRST)})[1 + (k % ${FIRST.length})] as first, (${arr(LAST)})[1 + ((k / ${FIRST.length}) % ${LAST.length})] as last,
              (k * 17 % ${PLACES.length}) + 1 as place
       from g
     )
     select gen_random_uuid() as id,
            $3 || ${[7, 6, 5, 4].map(digit).join(' || ')} || '-' || ${[3, 2, 1, 0].map(digit).join(' || ')} as number,
            now() - age_days * interval '1 day' as created_at,
            age_days,
            case
              when age_days < 2 then case when r < .30 then 'paid' when r < .45 then 'verified' when r < .57 then 'preparing' when r < .65 then 'packed'
                                          when r < .68 then 'on_hold' when r < .95 then 'shipped' else 'cancelled' end
              when age_days < 8 then case when r < .35 then 'shipped' when r < .95 then 'delivered' when r < .99 then 'cancelled' else 'on_hold' end
              else case when r < .955 then 'delivered' when r < .995 then 'cancelled' else 'shipped' end
            end as status,
            first || ' ' || last as name,
            lower(first) || '.' || lower(last) || (k % 997) || '@' || (${arr(DOMAINS)})[1 + (k % ${DOMAINS.length})] as email,
            -- About ten orders per phone number: customers come back.
            '+1' || (${arr(AREA_CODES)})[1 + (k % ${AREA_CODES.length})] || '555' || lpad(((k / ${AREA_CODES.length}) * 7919 % 10000)::text, 4, '0') as phone,
            jsonb_build_object('name', first || ' ' || last, 'line1', (100 + k % 8900) || ' ' || (${arr(STREETS)})[1 + (k % ${STREETS.length})] || ' St',
                               'city', (${arr(PLACES.map((p) => p[0]!))})[place], 'state', (${arr(PLACES.map((p) => p[1]!))})[place],
                               'postalCode', (${arr(PLACES.map((p) => p[2]!))})[place], 'country', 'US')
              || case when k % 9 = 0 then jsonb_build_object('line2', 'Apt ' || (1 + k % 40)) else '{}'::jsonb end as address,
            case when r2 < .12 then 'express' else 'standard' end as shipping_method,
            case when (${arr(PLACES.map((p) => p[1]!))})[place] = 'WV' then 600 else 0 end as tax_rate_bp,
            1 + (k % 3)::int as n_lines, k
     from named`,
    [a.from.toString(), a.count, a.prefix],
  );
  // A real order may already hold a generated number: leave that one out.
  await q('delete from seed_orders s using orders o where o.number = s.number');
  await q('analyze seed_orders');

  // 2. Their lines: 1–3 catalog variants each, at the catalog price, with this line's tax.
  await q('drop table if exists seed_lines');
  await q(
    `create temp table seed_lines as
     select o.id as order_id, line - 1 as position, v.id as variant_id, v.sku, v.product_name, v.product_slug, v.options, v.price as unit_price,
            1 + ((o.k + line) % 5 = 0)::int as quantity,
            v.price * (1 + ((o.k + line) % 5 = 0)::int) as line_total,
            round(v.price * (1 + ((o.k + line) % 5 = 0)::int) * o.tax_rate_bp / 10000.0)::int as tax
     from seed_orders o cross join lateral generate_series(1, o.n_lines) as line
     join seed_variants v on v.n = ((o.k * 31 + line * 7) % $1)::int`,
    [a.nVariants],
  );
  await q('analyze seed_lines');

  // 3. The orders, with totals from their lines (free standard shipping from $75, as the default settings say).
  const inserted = await q(
    `insert into orders (id, number, status, email, phone, shipping_address, shipping_method, currency, subtotal, shipping, tax, total, tax_rate_bp, hold_reason, created_at, updated_at)
     select o.id, o.number, o.status, o.email, o.phone, o.address, o.shipping_method, 'USD', t.subtotal, t.shipping, t.tax, t.subtotal + t.shipping + t.tax, o.tax_rate_bp,
            case when o.status = 'on_hold' then 'Address needs checking with the customer' end,
            o.created_at, o.created_at + (cardinality(p.steps)) * least(o.age_days * interval '1 day', interval '5 days') / (cardinality(p.steps) + 1)
     from seed_orders o
     join seed_paths p on p.status = o.status
     join (
       select l.order_id, sum(l.line_total)::int as subtotal, sum(l.tax)::int as tax,
              case when bool_or(x.shipping_method = 'express') then 1895 when sum(l.line_total) >= 7500 then 0 else 695 end as shipping
       from seed_lines l join seed_orders x on x.id = l.order_id group by l.order_id
     ) t on t.order_id = o.id`,
  );
  await q(
    `insert into order_items (order_id, variant_id, sku, product_name, product_slug, options, unit_price, quantity, line_total, tax, position)
     select order_id, variant_id, sku, product_name, product_slug, options, unit_price, quantity, line_total, tax, position from seed_lines`,
  );

  // 4. Payment (captured), and the refund of a cancelled order.
  await q(
    `insert into payments (order_id, provider, provider_transaction_id, amount, amount_captured, currency, status, card_brand, card_last4, card_exp_month, card_exp_year, idempotency_key, created_at, updated_at)
     select o.id, 'sandbox', 'sbx_seed_' || o.k, r.total, r.total, 'USD', 'captured', case when o.k % 3 = 0 then 'mastercard' else 'visa' end,
            case when o.k % 3 = 0 then '4444' else '4242' end, 1 + (o.k % 12)::int, 2027 + (o.k % 5)::int, 'seed:' || o.k, o.created_at, o.created_at
     from seed_orders o join orders r on r.id = o.id`,
  );
  // The sandbox processor's own record of each payment, so staff refunds of seeded orders work.
  await q(
    `insert into sandbox_payments (id, reference, idempotency_key, amount, currency, capture_method, status, amount_captured, amount_refunded, return_url, cancel_url, card_brand, card_last4, created_at)
     select p.provider_transaction_id, p.id::text, 'seed:' || p.id, p.amount, 'USD', 'automatic', 'captured', p.amount, case when o.status = 'cancelled' then p.amount else 0 end,
            '', '', p.card_brand, p.card_last4, p.created_at
     from seed_orders o join payments p on p.order_id = o.id`,
  );
  await q(
    `insert into refunds (order_id, payment_id, amount, currency, status, reason, source, idempotency_key, provider_refund_id, attempts, created_at, updated_at)
     select p.order_id, p.id, p.amount, 'USD', 'succeeded', 'Order cancelled', 'cancellation', 'seed-cancel:' || p.order_id, 'sbx_rf_' || p.provider_transaction_id, 1,
            o.created_at + interval '3 hours', o.created_at + interval '3 hours'
     from seed_orders o join payments p on p.order_id = o.id where o.status = 'cancelled'`,
  );

  // 5. The timeline: placed, then each stage at even steps (at most five days in all).
  await q(
    `insert into order_events (order_id, type, from_status, to_status, actor, details, created_at)
     select o.id, 'placed', null, 'paid', 'customer', jsonb_build_object('total', r.total, 'currency', 'USD'), o.created_at
     from seed_orders o join orders r on r.id = o.id`,
  );
  await q(
    `insert into order_events (order_id, type, from_status, to_status, actor, details, created_at)
     select o.id, 'transition', coalesce(p.steps[s.i - 1], 'paid'), s.step,
            case when s.step = 'delivered' then 'system:carrier' else 'warehouse@casanovaspace.com' end,
            case when s.step = 'on_hold' then jsonb_build_object('reason', 'Address needs checking with the customer') else '{}'::jsonb end,
            o.created_at + s.i * least(o.age_days * interval '1 day', interval '5 days') / (cardinality(p.steps) + 1)
     from seed_orders o join seed_paths p on p.status = o.status
     cross join lateral unnest(p.steps) with ordinality as s(step, i)`,
  );

  // 6. Shipments of shipped and delivered orders, handed over when the order moved to shipped.
  await q(
    `insert into shipments (order_id, carrier, tracking_number, status, kind, shipped_at, delivered_at)
     select o.id, (array['UPS', 'USPS', 'FedEx', 'DHL'])[1 + (o.k % 4)::int], '1Z' || lpad((o.k * 104729 % 1000000000000)::text, 12, '0'), o.status, 'order',
            o.created_at + 4 * least(o.age_days * interval '1 day', interval '5 days') / (cardinality(p.steps) + 1),
            case when o.status = 'delivered' then o.created_at + 5 * least(o.age_days * interval '1 day', interval '5 days') / 6 end
     from seed_orders o join seed_paths p on p.status = o.status
     where o.status in ('shipped', 'delivered')`,
  );
  return inserted.rowCount ?? 0;
}

/** "[#####-----] 12/40 batches · 48,000 orders/s · ETA 0:35" on one rewritten stderr line. */
export function progressBar(unit: string, perBatch: number) {
  const started = performance.now();
  return (done: number, total: number) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    const seconds = (performance.now() - started) / 1000;
    const rate = Math.round((done * perBatch) / Math.max(seconds, 0.001));
    const eta = Math.round((seconds / done) * (total - done));
    const clock = `${Math.floor(eta / 60)}:${String(eta % 60).padStart(2, '0')}`;
    process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} batches · ${rate.toLocaleString('en-US')} ${unit}/s · ETA ${clock}  `);
    if (done === total) process.stderr.write('\n');
  };
}
