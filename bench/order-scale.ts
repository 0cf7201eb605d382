// Opt-in part of `npm run bench` (BENCH_ORDERS=1000000): the back office and tracking with a
// year of orders. Seeds a separate PostgreSQL database with `npm run seed -- --orders N`
// (kept between runs while it already holds N orders), starts the store on it and measures
// the admin order queue, order search and tracking lookup at 50 connections with a bearer token.
import { execSync } from 'node:child_process';
import pg from 'pg';
import { load, type LoadResult } from './load.ts';
import { startStore } from './store-process.ts';

export type ScaleReport = { orders: number; seedSeconds?: number; rows: { name: string; result?: LoadResult; note?: string }[] };

type Sample = { number: string; email: string; phone: string; name: string };

const DB_NAME = 'casanova_bench_orders';

async function prepareDatabase(pgUrl: string, orders: number, env: Record<string, string>): Promise<{ url: string; seedSeconds?: number }> {
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [DB_NAME])).rowCount;
  if (!exists) await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  const u = new URL(pgUrl);
  u.pathname = `/${DB_NAME}`;
  const url = u.toString();
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const have = exists ? await db.query('select count(*)::int as n from orders').then((r) => r.rows[0].n as number, () => 0) : 0;
  await db.end();
  if (have >= orders) return { url };
  const started = performance.now();
  execSync(`node --import tsx src/cli.ts seed --orders ${orders - have}`, { env: { ...process.env, ...env, DATABASE_URL: url, LOG_LEVEL: 'warn' }, stdio: 'inherit' });
  return { url, seedSeconds: Math.round((performance.now() - started) / 1000) };
}

/** Orders to search for and look up, spread over the whole table. */
async function sampleOrders(url: string): Promise<Sample[]> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query(`select number, email, phone, shipping_address->>'name' as name from orders tablesample system (1) limit 40`);
    return rows as Sample[];
  } finally {
    await db.end();
  }
}

/** Waits (up to a minute) until no query runs on the database but this one. */
async function settled(url: string): Promise<void> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    for (let i = 0; i < 600; i++) {
      const { rows } = await db.query(`select count(*)::int as n from pg_stat_activity where datname = current_database() and state = 'active' and pid <> pg_backend_pid()`);
      if (rows[0].n === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await db.end();
  }
}

/** "+13045550142" → "(304) 555-0142", as staff type it. */
const usPhone = (e164: string) => `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;

export async function orderScaleRun(o: { pgUrl: string; orders: number; seconds: number; admin: { email: string; password: string } }): Promise<ScaleReport> {
  const env = { ADMIN_EMAIL: o.admin.email, ADMIN_PASSWORD: o.admin.password };
  const { url, seedSeconds } = await prepareDatabase(o.pgUrl, o.orders, env);
  const samples = await sampleOrders(url);
  const report: ScaleReport = { orders: o.orders, seedSeconds, rows: [] };
  const store = await startStore({ ...env, DATABASE_URL: url, WORKER: 'off' }, 3303);
  try {
    const tokenRes = await fetch(`${store.url}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(o.admin) });
    if (tokenRes.status !== 200) {
      report.rows.push({ name: 'Admin API', note: `not measured: no admin token (${tokenRes.status})` });
      return report;
    }
    const { token } = (await tokenRes.json()) as { token: string };
    const headers = { authorization: `Bearer ${token}` };
    // When autocannon stops, the store still answers what it had in flight (a slow search holds a
    // pooled connection for a second): wait for that, so no row pays for the one before it.
    const measure = async (opts: Parameters<typeof load>[1]) => {
      await settled(url);
      return load(store.url, { seconds: o.seconds, ...opts });
    };
    const get = (path: string) => ({ path, headers });
    // Queue answers are kept per instance until an order changes; no-cache measures each one read from the database.
    const fresh = (requests: { path: string; headers: Record<string, string> }[]) => requests.map((r) => ({ ...r, headers: { ...r.headers, 'cache-control': 'no-cache' } }));
    const both = async (name: string, requests: { path: string; headers: Record<string, string> }[]) => {
      report.rows.push({ name: `${name}, as polled (kept until an order changes)`, result: await measure({ requests }) });
      report.rows.push({ name: `${name}, read from the database (no-cache)`, result: await measure({ requests: fresh(requests) }) });
    };

    // Every working tab (oldest first), a few pages deep, and the first pages of the finished ones.
    const queue = [
      ...['paid', 'verified', 'on_hold', 'preparing', 'packed', 'open'].flatMap((s) => [1, 2].map((p) => get(`/api/v1/admin/orders?status=${s}&page=${p}`))),
      ...['shipped', 'delivered', 'cancelled'].flatMap((s) => [1, 3].map((p) => get(`/api/v1/admin/orders?status=${s}&page=${p}`))),
    ];
    await both('Admin order queue (per state, paginated)', queue);

    // Deep in the delivered tab (50 per page), by page number (OFFSET) and by the keyset cursor.
    const deep = [100, 200, 400];
    report.rows.push({ name: `Admin queue, delivered pages ${deep.join(', ')} by page number (no-cache)`, result: await measure({ requests: fresh(deep.map((p) => get(`/api/v1/admin/orders?status=delivered&page=${p}`))) }) });
    const cursors: string[] = [];
    for (const p of deep) {
      const before = (await (await fetch(`${store.url}/api/v1/admin/orders?status=delivered&page=${p - 1}`, { headers })).json()) as { nextCursor: string | null };
      if (before.nextCursor) cursors.push(before.nextCursor);
    }
    await both('The same pages by cursor (after=)', cursors.map((c) => get(`/api/v1/admin/orders?status=delivered&after=${encodeURIComponent(c)}`)));

    const q = (v: string) => get(`/api/v1/admin/orders?q=${encodeURIComponent(v)}`);
    const byKey = samples.flatMap((s) => [q(s.number), q(s.email), q(usPhone(s.phone)), q(s.number.slice(-4))]);
    await both('Order search: number, last 4, email, phone', byKey);
    await both('Order search: customer full name (~240 matches each)', samples.map((s) => q(s.name)));
    // A last name alone matches one order in 60 (~16,000 here), all of them counted per state.
    report.rows.push({ name: 'Order search: last name alone (~16,000 matches each), no-cache', result: await measure({ requests: fresh(samples.map((s) => q(s.name.split(' ').at(-1)!))) }) });

    const lookups = samples.map((s, i) => ({
      method: 'POST' as const,
      path: '/api/v1/tracking',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderNumber: s.number, contact: i % 2 ? s.email : usPhone(s.phone) }),
    }));
    report.rows.push({ name: 'Tracking lookup (API)', result: await measure({ requests: lookups }) });
  } finally {
    await store.stop();
  }
  return report;
}

export function scaleMarkdown(r: ScaleReport, baseRps: number): string {
  const lines = [
    `### Data scale: ${r.orders.toLocaleString('en-US')} orders (PostgreSQL)`,
    '',
    `Seeded with \`npm run seed -- --orders ${r.orders}\`${r.seedSeconds !== undefined ? ` in ${r.seedSeconds} s` : ' (database kept from an earlier run)'}. Target: p99 under 50 ms at 50 connections.`,
    '',
    '| Measure | req/s | ratio to do-nothing | p50 ms | p99 ms | errors / non-2xx |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of r.rows) {
    lines.push(
      row.result && row.result.rps > 0
        ? `| ${row.name} | ${row.result.rps.toLocaleString('en-US')} | ${(row.result.rps / baseRps).toFixed(2)} | ${row.result.p50} | ${row.result.p99} | ${row.result.errors} / ${row.result.non2xx} |`
        : `| ${row.name} | — | — | — | — | ${row.note ?? 'no request finished within the run'} |`,
    );
  }
  return lines.join('\n') + '\n';
}
