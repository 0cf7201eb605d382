// `npm run bench`: starts the store itself on the embedded database and on PostgreSQL,
// measures pages, API, tracking and checkout at 50 connections, compares each to a
// do-nothing Fastify route on the same machine, and writes BENCHMARKS.md.
import { fork, execSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { load, type LoadResult } from './load.ts';
import { startStore, type StoreProcess } from './store-process.ts';
import { checkoutBody, checkoutLoad, type CheckoutResult } from './checkout-load.ts';
import { orderScaleRun, scaleMarkdown } from './order-scale.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ADMIN = { email: 'bench-owner@example.com', password: 'bench-password-123' };
const PRODUCT_SLUGS = ['linen-table-lamp', 'washed-linen-cushion', 'speckled-stoneware-mug', 'ribbed-glass-vase'];
const CHECKOUT_SKUS = ['MUG-SPK-12', 'TWL-WAF-WHT', 'CND-BWX-IVR', 'VAS-TRC-06', 'BSK-RPE-13', 'SRV-OLV-12'];

type Row = { name: string; result?: LoadResult; note?: string };
type DbReport = { kind: string; rows: Row[]; checkout: { concurrency: number; result?: CheckoutResult; note?: string }[]; idleRssMb?: number; loadedRssMb?: number; startupMs?: number; coldStartMs?: number };

async function baseline(): Promise<LoadResult> {
  const child = fork('bench/noop-server.ts', [], { execArgv: ['--import', 'tsx'], env: { ...process.env, PORT: '0' }, stdio: 'ignore' });
  const address = await new Promise<string>((resolve) => child.once('message', (m: { address: string }) => resolve(m.address)));
  try {
    return await load(address, { seconds: SECONDS });
  } finally {
    child.kill();
  }
}

async function json(url: string, init: RequestInit = {}) {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(init.headers ?? {}) } });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, any> };
}

async function rssMb(store: StoreProcess) {
  const h = await json(`${store.url}/healthz`);
  return Math.round(h.body.rssBytes / 1024 / 1024);
}

/** Gives the bench products plenty of stock through the admin API (so checkout never runs dry). */
async function restock(base: string): Promise<string | undefined> {
  const token = await json(`${base}/api/v1/auth/token`, { method: 'POST', body: JSON.stringify(ADMIN) });
  if (token.status !== 200) return `no admin token (${token.status})`;
  for (const sku of CHECKOUT_SKUS) {
    const r = await json(`${base}/api/v1/admin/variants/${sku}/stock`, { method: 'PUT', headers: { authorization: `Bearer ${token.body.token}` }, body: JSON.stringify({ quantity: 1_000_000, reason: 'benchmark' }) });
    if (r.status !== 200) return `restock failed (${r.status})`;
  }
  return undefined;
}

async function measureStore(kind: string, store: StoreProcess): Promise<DbReport> {
  const report: DbReport = { kind, rows: [], checkout: [], startupMs: store.startupMs };
  await new Promise((r) => setTimeout(r, 1000));
  report.idleRssMb = await rssMb(store);
  const u = store.url;
  report.rows.push({ name: 'Home page', result: await load(`${u}/`, { seconds: SECONDS }) });
  report.rows.push({ name: 'Listing (/products)', result: await load(`${u}/products`, { seconds: SECONDS }) });
  report.rows.push({ name: 'Product page', result: await load(u, { seconds: SECONDS, requests: PRODUCT_SLUGS.map((s) => ({ path: `/products/${s}` })) }) });
  report.rows.push({ name: 'Product API', result: await load(u, { seconds: SECONDS, requests: PRODUCT_SLUGS.map((s) => ({ path: `/api/v1/products/${s}` })) }) });

  const restockProblem = await restock(u);
  // One order to look up on the tracking page.
  const cart = await json(`${u}/api/v1/carts`, { method: 'POST', body: '{}' });
  await json(`${u}/api/v1/carts/${cart.body.id}/items`, { method: 'POST', body: JSON.stringify({ sku: CHECKOUT_SKUS[0], quantity: 1 }) });
  const order = await json(`${u}/api/v1/carts/${cart.body.id}/checkout`, {
    method: 'POST',
    headers: { 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify(checkoutBody),
  });
  const number = order.body.order?.number as string | undefined;
  const lookup = number && (await json(`${u}/api/v1/tracking`, { method: 'POST', body: JSON.stringify({ orderNumber: number, contact: 'bench@example.com' }) }));
  if (lookup && lookup.status === 200) {
    report.rows.push({
      name: 'Tracking lookup (API)',
      result: await load(`${u}/api/v1/tracking`, { seconds: SECONDS, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderNumber: number, contact: '(304) 555-0142' }) }),
    });
  } else {
    report.rows.push({ name: 'Tracking lookup (API)', note: `not measured: ${number ? `lookup answered ${lookup && lookup.status}` : `no order (${order.status})`}` });
  }
  for (const concurrency of [10, 50]) {
    if (restockProblem || !number) {
      report.checkout.push({ concurrency, note: `not measured: ${restockProblem ?? 'checkout unavailable'}` });
      continue;
    }
    report.checkout.push({ concurrency, result: await checkoutLoad(u, CHECKOUT_SKUS, concurrency, SECONDS) });
  }
  report.loadedRssMb = await rssMb(store);
  return report;
}

async function pgliteRun(): Promise<DbReport> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'casanova-bench-'));
  const env = { DATA_DIR: dataDir, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
  try {
    // The first start creates and seeds the database (once in a store's life); measure a
    // store restarted on it, as it runs day to day, and time that cold start.
    const first = await startStore(env, 3301);
    await first.stop();
    const store = await startStore(env, 3301);
    const report = await measureStore('Embedded (PGlite)', store);
    report.startupMs = first.startupMs;
    report.coldStartMs = store.startupMs;
    await store.stop();
    return report;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function postgresRun(): Promise<DbReport | undefined> {
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    await admin.connect();
  } catch {
    return undefined;
  }
  const name = 'casanova_bench';
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  const env = { DATABASE_URL: u.toString(), ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
  execSync('node --import tsx src/cli.ts seed', { env: { ...process.env, ...env, LOG_LEVEL: 'warn' }, stdio: 'inherit' });
  const store = await startStore(env, 3302);
  try {
    return await measureStore('PostgreSQL', store);
  } finally {
    await store.stop();
  }
}

const ratio = (r: LoadResult | undefined, base: LoadResult) => (r ? (r.rps / base.rps).toFixed(2) : '');

function markdown(base: LoadResult, reports: DbReport[]): string {
  const commit = (() => {
    try {
      return execSync('git rev-parse --short HEAD').toString().trim();
    } catch {
      return 'unknown';
    }
  })();
  const cpu = os.cpus();
  const lines = [
    `## Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}. Commit ${commit}. Load: autocannon in the bench process, 50 connections, ${SECONDS} s after a 1 s warm-up.`,
    '',
    `Do-nothing Fastify route: **${base.rps.toLocaleString('en-US')} req/s**, p50 ${base.p50} ms, p99 ${base.p99} ms (ratio 1.00).`,
    '',
  ];
  for (const r of reports) {
    lines.push(`### ${r.kind}`, '', '| Measure | req/s | ratio to do-nothing | p50 ms | p99 ms | errors / non-2xx |', '| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const row of r.rows) {
      lines.push(row.result ? `| ${row.name} | ${row.result.rps.toLocaleString('en-US')} | ${ratio(row.result, base)} | ${row.result.p50} | ${row.result.p99} | ${row.result.errors} / ${row.result.non2xx} |` : `| ${row.name} | — | — | — | — | ${row.note} |`);
    }
    lines.push('', '| Checkout (cart → item → pay, API) | orders/s | p50 ms (checkout call) | p99 ms | failed |', '| --- | ---: | ---: | ---: | ---: |');
    for (const c of r.checkout) {
      lines.push(c.result ? `| concurrency ${c.concurrency} | ${c.result.ordersPerSecond} | ${c.result.p50} | ${c.result.p99} | ${c.result.failed} |` : `| concurrency ${c.concurrency} | — | — | — | ${c.note} |`);
    }
    lines.push('', `Memory (rss): ${r.idleRssMb} MB idle after start, ${r.loadedRssMb} MB after the load. Start-up to healthy: ${r.startupMs} ms${r.coldStartMs ? " (first start: creates and seeds the database)" : ""}${r.coldStartMs ? `; cold start on the existing embedded database: **${r.coldStartMs} ms**` : ''}.`, '');
  }
  return lines.join('\n');
}

execSync('node scripts/build.mjs', { stdio: 'inherit' });
const base = await baseline();
console.log('baseline', base);
const reports: DbReport[] = [await pgliteRun()];
const pgReport = await postgresRun();
if (pgReport) reports.push(pgReport);
let section = markdown(base, reports);
// Opt-in: BENCH_ORDERS=1000000 adds the admin queue, order search and tracking at that many orders.
const scaleOrders = Number(process.env.BENCH_ORDERS ?? 0);
if (scaleOrders > 0) section += '\n' + scaleMarkdown(await orderScaleRun({ pgUrl: PG_URL, orders: scaleOrders, seconds: SECONDS, admin: ADMIN }), base.rps);
console.log(section);

// Keep the hand-written analysis at the top of BENCHMARKS.md; replace the latest run below the marker.
const file = 'BENCHMARKS.md';
const MARK = '<!-- latest run: written by npm run bench -->';
const head = existsSync(file) ? readFileSync(file, 'utf8').split(MARK)[0]!.trimEnd() : '# Benchmarks';
writeFileSync(file, `${head}\n\n${MARK}\n\n${section}`);
process.exit(0);
