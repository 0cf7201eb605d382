// The store as operations see it, as a real process (node src/server.ts): every log line of
// a request carries its request id (also sent back as x-request-id), and SIGTERM drains —
// a request still in flight is answered, the worker stops, and the process exits 0.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freshDatabase, postgresUrl, dropTemplates, type TestDatabase } from './helpers/databases.ts';
import { freePort } from './helpers/smtp.ts';

describe('operations: a real store process', () => {
  let child: ChildProcess;
  let url: string;
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  const lines: string[] = [];
  let exited: Promise<number | null>;

  before(async () => {
    // PostgreSQL when available (no demo seed to draw), else a fresh embedded database.
    const env: Record<string, string> = {};
    if (postgresUrl) {
      database = await freshDatabase('postgres', { poolSize: 1 });
      env.DATABASE_URL = database.url!;
    } else {
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'casanova-ops-'));
      env.DATA_DIR = dataDir;
    }
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(port), WORKER: 'on', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    child.stdout!.on('data', (c: Buffer) => {
      buffer += c.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      lines.push(...parts);
    });
    child.stderr!.on('data', (c: Buffer) => lines.push(c.toString()));
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    for (let i = 0; i < 600; i++) {
      if (child.exitCode !== null) throw new Error(`store exited:\n${lines.join('\n')}`);
      if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return;
      await sleep(100);
    }
    throw new Error(`store did not start:\n${lines.join('\n')}`);
  });

  after(async () => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    await database?.drop();
    await dropTemplates();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('each request is logged with its request id, which the response carries too', async () => {
    const res = await fetch(`${url}/products`);
    const id = res.headers.get('x-request-id');
    assert.match(id ?? '', /^[0-9a-f-]{36}$/);
    await sleep(200);
    const mine = lines.filter((l) => l.includes(id!)).map((l) => JSON.parse(l) as { reqId: string; msg: string });
    assert.deepEqual(mine.map((l) => l.msg), ['incoming request', 'request completed']);
    assert.ok(mine.every((l) => l.reqId === id));
  });

  test('SIGTERM while a slow request is in flight: it is answered, then the process exits 0', async () => {
    // A lookup whose body arrives slowly: the request is in flight when the signal comes.
    const body = JSON.stringify({ orderNumber: 'CS-AAAA-AAAA', contact: 'slow@example.com' });
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      // Kept alive, as a browser or a proxy keeps its connections: it must not hold the exit up.
      const req = http.request(`${url}/api/v1/tracking`, { agent: new http.Agent({ keepAlive: true }), method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, text }));
      });
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 700);
      }, 200);
    });
    const { status, text } = await answer;
    const answeredAt = Date.now();
    assert.equal(status, 404, text);
    assert.equal(JSON.parse(text).error.code, 'not_found');
    assert.equal(await exited, 0, 'the process exits 0 after draining');
    assert.ok(Date.now() - answeredAt < 3000, `exited ${Date.now() - answeredAt} ms after the last answer`);
    assert.ok(lines.some((l) => l.includes('shutting down: draining requests')));
    // New connections are refused once it is gone.
    assert.equal(await fetch(`${url}/healthz`).then(() => 'answered', () => 'refused'), 'refused');
  });
});
