// `npm run bench`: starts the store itself on the embedded database and on PostgreSQL,
// measures pages, API, tracking and checkout at 50 connections in BENCH_ROUNDS rounds (median and
// spread), compares each to a do-nothing Fastify route run between the rounds, and writes BENCHMARKS.md.
import { fork, execSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { load, type LoadResult } from './load.ts';
import { startStore, type StoreProcess } from './store-process.ts';
import { checkoutBody, checkoutLoad, type CheckoutResult } from './checkout-load.ts';
import { orderScaleRun, scaleMarkdown } from './order-scale.ts';
import { inRounds, withSpread, type Measure, type RoundsResult, type Sample } from './rounds.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ADMIN = { email: 'bench-owner@example.com', password: 'bench-password-123' };
const PRODUCT_SLUGS = ['linen-table-lamp', 'washed-linen-cushion', 'speckled-stoneware-mug', 'ribbed-glass-vase'];
const CHECKOUT_SKUS = ['MUG-SPK-12', 'TWL-WAF-WHT', 'CND-BWX-IVR', 'VAS-TRC-06', 'BSK-RPE-13', 'SRV-OLV-12'];

type DbReport = { kind: string; rounds: RoundsResult; notes: string[]; idleRssMb?: number; loadedRssMb?: number; startupMs?: number; coldStartMs?: number };

const pageSample = (r: LoadResult): Sample => ({ rate: r.rps, p50: r.p50, p99: r.p99, bad: r.errors + r.non2xx });
const checkoutSample = (r: CheckoutResult): Sample => ({ rate: r.ordersPerSecond, p50: r.p50, p99: r.p99, bad: r.failed });

/** The do-nothing route, kept running through the whole bench and loaded between rounds. */
async function startBaseline(): Promise<{ run: () => Promise<Sample>; stop: () => void }> {
  const child = fork('bench/noop-server.ts', [], { execArgv: ['--import', 'tsx'], env: { ...process.env, PORT: '0' }, stdio: 'ignore' });
  const address = await new Promise<string>((resolve) => child.once('message', (m: { address: string }) => resolve(m.address)));
  return { run: async () => pageSample(await load(address, { seconds: SECONDS })), stop: () => child.kill() };
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

async function measureStore(kind: string, store: StoreProcess, baseline: () => Promise<Sample>): Promise<DbReport> {
  const notes: string[] = [];
  await new Promise((r) => setTimeout(r, 1000));
  const idleRssMb = await rssMb(store);
  const u = store.url;
  const page = (name: string, url: string, opts: Parameters<typeof load>[1] = {}): Measure => ({ name, run: async () => pageSample(await load(url, { seconds: SECONDS, ...opts })) });
  const measures: Measure[] = [
    page('Home page', `${u}/`),
    page('Listing (/products)', `${u}/products`),
    page('Product page', u, { requests: PRODUCT_SLUGS.map((s) => ({ path: `/products/${s}` })) }),
    page('Product API', u, { requests: PRODUCT_SLUGS.map((s) => ({ path: `/api/v1/products/${s}` })) }),
  ];

  const restockProblem = await restock(u);
  // One order to look up on the tracking page.
  const cart = await json(`${u}/api/v1/carts`, { method: 'POST', body: JSON.stringify({ items: [{ sku: CHECKOUT_SKUS[0], quantity: 1 }] }) });
  const order = await json(`${u}/api/v1/carts/${cart.body.id}/checkout`, {
    method: 'POST',
    headers: { 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify(checkoutBody),
  });
  const number = order.body.order?.number as string | undefined;
  const lookup = number && (await json(`${u}/api/v1/tracking`, { method: 'POST', body: JSON.stringify({ orderNumber: number, contact: 'bench@example.com' }) }));
  if (lookup && lookup.status === 200) {
    const body = JSON.stringify({ orderNumber: number, contact: '(304) 555-0142' });
    measures.push(page('Tracking lookup (API)', `${u}/api/v1/tracking`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }));
  } else {
    notes.push(`Tracking lookup not measured: ${number ? `lookup answered ${lookup && lookup.status}` : `no order (${order.status})`}.`);
  }
  if (restockProblem || !number) notes.push(`Checkout not measured: ${restockProblem ?? 'checkout unavailable'}.`);
  else {
    for (const concurrency of [10, 50]) {
      measures.push({ name: `Checkout, concurrency ${concurrency} (orders/s)`, run: async () => checkoutSample(await checkoutLoad(u, CHECKOUT_SKUS, concurrency, SECONDS)) });
    }
  }
  const rounds = await inRounds(measures, baseline, ROUNDS);
  return { kind, rounds, notes, idleRssMb, loadedRssMb: await rssMb(store), startupMs: store.startupMs };
}

async function pgliteRun(baseline: () => Promise<Sample>): Promise<DbReport> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'casanova-bench-'));
  const env = { DATA_DIR: dataDir, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
  try {
    // The first start creates and seeds the database (once in a store's life); measure a
    // store restarted on it, as it runs day to day, and time that cold start.
    const first = await startStore(env, 3301);
    await first.stop();
    const store = await startStore(env, 3301);
    const report = await measureStore('Embedded (PGlite)', store, baseline);
    report.startupMs = first.startupMs;
    report.coldStartMs = store.startupMs;
    await store.stop();
    return report;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function postgresRun(baseline: () => Promise<Sample>): Promise<DbReport | undefined> {
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
  let report: DbReport;
  try {
    report = await measureStore('PostgreSQL', store, baseline);
  } finally {
    await store.stop();
  }
  // The same checkout load with the outbox worker (confirmation emails) in a process of its own.
  const web = await startStore({ ...env, WORKER: 'off' }, 3302);
  const worker = spawn(process.execPath, ['--enable-source-maps', 'dist/cli.js', 'worker'], {
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    const separate = await inRounds(
      [{ name: 'Checkout, concurrency 50, worker in its own process (orders/s)', run: async () => checkoutSample(await checkoutLoad(web.url, CHECKOUT_SKUS, 50, SECONDS)) }],
      baseline,
      ROUNDS,
    );
    report.rounds.rows.push(...separate.rows);
  } finally {
    worker.kill('SIGTERM');
    await web.stop();
  }
  return report;
}

function markdown(reports: DbReport[]): string {
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
    `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}. Commit ${commit}. Load: autocannon in the bench process, 50 connections, ${SECONDS} s after a 1 s warm-up. Each figure is the median of ${ROUNDS} rounds, with the lowest and highest run in brackets; each round's ratio divides by the do-nothing route's mean rate in the runs just before and after that round.`,
    '',
  ];
  for (const r of reports) {
    const b = r.rounds.baseline;
    lines.push(
      `### ${r.kind}`,
      '',
      `Do-nothing Fastify route, between the rounds: ${withSpread(b.rate, b.rateMin, b.rateMax)} req/s, p99 ${b.p99} ms.`,
      '',
      '| Measure | req/s (or orders/s) | ratio to do-nothing | p50 ms | p99 ms | failed / non-2xx |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const { name, stat: s } of r.rounds.rows) {
      const ratio = name.startsWith('Checkout') ? '' : s.ratio.toFixed(2);
      lines.push(`| ${name} | ${withSpread(s.rate, s.rateMin, s.rateMax)} | ${ratio} | ${s.p50} | ${withSpread(s.p99, s.p99Min, s.p99Max)} | ${s.bad} |`);
    }
    lines.push('', ...r.notes.map((n) => `${n}\n`));
    lines.push(`Memory (rss): ${r.idleRssMb} MB idle after start, ${r.loadedRssMb} MB after the load. Start-up to healthy: ${r.startupMs} ms${r.coldStartMs ? ' (first start: creates and seeds the database)' : ''}${r.coldStartMs ? `; cold start on the existing embedded database: **${r.coldStartMs} ms**` : ''}.`, '');
  }
  return lines.join('\n');
}

execSync('node scripts/build.mjs', { stdio: 'inherit' });
const baseline = await startBaseline();
const reports: DbReport[] = [await pgliteRun(baseline.run)];
const pgReport = await postgresRun(baseline.run);
if (pgReport) reports.push(pgReport);
let section = markdown(reports);
// Opt-in: BENCH_ORDERS=1000000 adds the admin queue, order search and tracking at that many orders.
const scaleOrders = Number(process.env.BENCH_ORDERS ?? 0);
if (scaleOrders > 0) {
  const base = await baseline.run();
  section += '\n' + scaleMarkdown(await orderScaleRun({ pgUrl: PG_URL, orders: scaleOrders, seconds: SECONDS, admin: ADMIN }), base.rate);
}
baseline.stop();
console.log(section);

// Keep the hand-written analysis at the top of BENCHMARKS.md; replace the latest run below the marker.
const file = 'BENCHMARKS.md';
const MARK = '<!-- latest run: written by npm run bench -->';
const head = existsSync(file) ? readFileSync(file, 'utf8').split(MARK)[0]!.trimEnd() : '# Benchmarks';
writeFileSync(file, `${head}\n\n${MARK}\n\n${section}`);
process.exit(0);
