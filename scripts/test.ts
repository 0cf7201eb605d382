// Runs the test suite with Node's test runner. Node 20 does not expand globs in
// --test arguments, so this lists the files. `npm test -- unit` runs files whose path contains "unit".
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const filter = process.argv.slice(2);
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? (name === 'helpers' ? [] : walk(p)) : p.endsWith('.test.ts') ? [p] : [];
  });
const files = walk('test').filter((f) => filter.length === 0 || filter.some((x) => f.includes(x))).sort();

if (!process.env.TEST_DATABASE_URL) {
  console.log('Note: PostgreSQL tests are skipped. Run them with TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm test');
}
const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=3', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'test' },
});
process.exit(res.status ?? 1);
