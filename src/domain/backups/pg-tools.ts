// Runs PostgreSQL's own pg_dump and pg_restore (from the machine's PostgreSQL client
// package) against a DATABASE_URL. The password goes through PGPASSWORD, not the command
// line, so it does not show in the process list.
import { spawn } from 'node:child_process';

function connection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

function run(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code === 'ENOENT' ? `${tool} was not found: install the PostgreSQL client tools (e.g. apt-get install postgresql-client) of the server's version or newer.` : err.message)),
    );
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${tool} failed (exit ${code}): ${stderr.trim()}`))));
  });
}

/** pg_dump's custom format: compressed, one consistent snapshot, restorable table by table. */
export function pgDump(url: string, file: string): Promise<void> {
  const c = connection(url);
  return run('pg_dump', ['--format=custom', '--no-owner', `--file=${file}`, `--dbname=${c.dbname}`], c.env);
}

/** Restores into the (empty) database; the first error stops it rather than leaving a half store unnoticed. */
export function pgRestore(url: string, file: string): Promise<void> {
  const c = connection(url);
  return run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${c.dbname}`, file], c.env);
}
