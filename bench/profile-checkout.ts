// `npm run bench:profile`: where a checkout's cost goes, on PostgreSQL. Starts the built store
// on a freshly seeded database (worker in its own process), runs the bench's checkout load for
// PROFILE_SECONDS and prints the CPU each process spent per order (read from /proc, so the
// load generator's own share shows too), the SQL statements and transactions per order, and the
// statements that took the most time (needs pg_stat_statements preloaded; without it that part
// is skipped with a note). PROFILE_CPU=1 also writes a V8 CPU profile of the web process to
// ./profiles/ (open it in Chrome DevTools or speedscope).
import { execSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import pg from 'pg';
import { checkoutLoad } from './checkout-load.ts';
import { startStore } from './store-process.ts';

const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.PROFILE_SECONDS ?? 10);
const ADMIN = { email: 'bench-owner@example.com', password: 'bench-password-123' };
const SKUS = ['MUG-SPK-12', 'TWL-WAF-WHT', 'CND-BWX-IVR', 'VAS-TRC-06', 'BSK-RPE-13', 'SRV-OLV-12'];
const DB = 'casanova_profile';

const TICKS = 100; // USER_HZ: /proc reports CPU time in 1/100 s on Linux
const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS; // utime + stime
};
/** Every PostgreSQL server process (the backends serving the store come and go with the pool). */
/** A process that ended between listing /proc and reading it counts as nothing. */
const orNothing = <T>(read: () => T, nothing: T) => {
  try {
    return read();
  } catch {
    return nothing;
  }
};
const postgresPids = () =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d) && orNothing(() => readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'postgres', false))
    .map(Number);
const postgresCpuMs = () => postgresPids().reduce((sum, pid) => sum + orNothing(() => cpuMs(pid), 0), 0);
const selfCpuMs = () => (process.cpuUsage().user + process.cpuUsage().system) / 1000;

async function query<T>(url: string, text: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows as T[];
  } finally {
    await c.end();
  }
}

const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${DB}`);
await admin.end();
const u = new URL(PG_URL);
u.pathname = `/${DB}`;
const url = u.toString();
const env = { DATABASE_URL: url, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
execSync('node scripts/build.mjs', { stdio: 'inherit' });
execSync('node --import tsx src/cli.ts seed', { env: { ...process.env, ...env, LOG_LEVEL: 'warn' }, stdio: 'inherit' });

const web = await startStore({ ...env, WORKER: 'off' }, 3310, process.env.PROFILE_CPU ? ['--cpu-prof', '--cpu-prof-dir=profiles'] : []);
const worker = spawn(process.execPath, ['--enable-source-maps', 'dist/cli.js', 'worker'], { env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', ...env }, stdio: 'inherit' });
try {
  const token = (await (await fetch(`${web.url}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) })).json()) as { token: string };
  for (const sku of SKUS) {
    await fetch(`${web.url}/api/v1/admin/variants/${sku}/stock`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token.token}` },
      body: JSON.stringify({ quantity: 1_000_000, reason: 'profile' }),
    });
  }
  await checkoutLoad(web.url, SKUS, 50, 3); // warm-up: JIT, connection pools, prepared statements

  const statements = await query(url, 'create extension if not exists pg_stat_statements; select pg_stat_statements_reset()').then(() => true, () => false);
  const before = { web: cpuMs(web.child.pid!), worker: cpuMs(worker.pid!), pg: postgresCpuMs(), self: selfCpuMs() };
  const run = await checkoutLoad(web.url, SKUS, 50, SECONDS);
  const spent = { web: cpuMs(web.child.pid!) - before.web, worker: cpuMs(worker.pid!) - before.worker, pg: postgresCpuMs() - before.pg, self: selfCpuMs() - before.self };
  const per = (ms: number) => (ms / run.orders).toFixed(1);

  console.log(`\n${run.orders} orders in ${SECONDS} s: ${run.ordersPerSecond} orders/s, checkout p50 ${run.p50} ms, p99 ${run.p99} ms, ${run.failed} failed`);
  console.log(`CPU per order (ms): web ${per(spent.web)}, worker ${per(spent.worker)}, PostgreSQL ${per(spent.pg)}, load generator ${per(spent.self)}; all ${per(spent.web + spent.worker + spent.pg + spent.self)}`);
  if (!statements) {
    console.log('pg_stat_statements is not loaded: statement counts skipped (shared_preload_libraries = pg_stat_statements, then restart PostgreSQL).');
  } else {
    type Row = { query: string; calls: string; total: number; mean: number };
    const rows = await query<Row>(
      url,
      `select query, calls, total_exec_time as total, mean_exec_time as mean from pg_stat_statements
       where dbid = (select oid from pg_database where datname = current_database()) order by calls desc`,
    );
    const calls = rows.reduce((n, r) => n + Number(r.calls), 0);
    const commits = rows.filter((r) => /^commit/i.test(r.query)).reduce((n, r) => n + Number(r.calls), 0);
    console.log(`SQL per order: ${(calls / run.orders).toFixed(1)} statements, ${(commits / run.orders).toFixed(1)} commits`);
    console.log('\nStatements per order, most frequent first (calls per order, mean ms, query):');
    for (const r of rows.slice(0, Number(process.env.PROFILE_TOP ?? 40))) {
      console.log(`${(Number(r.calls) / run.orders).toFixed(2).padStart(6)}  ${r.mean.toFixed(3).padStart(7)}  ${r.query.replace(/\s+/g, ' ').slice(0, 150)}`);
    }
  }
} finally {
  worker.kill('SIGTERM');
  await web.stop();
}
