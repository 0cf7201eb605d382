// A webhook receiver for tests: an HTTP server on 127.0.0.1 (ports 4500-4599) that records
// every request with its raw body and answers as the test says (a status, a delay, or never).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceivedWebhook = { headers: http.IncomingHttpHeaders; body: string; at: number };
export type Answer = { status?: number; delayMs?: number; hang?: boolean };

export type WebhookReceiver = {
  url: string;
  received: ReceivedWebhook[];
  /** How to answer the next requests (default 200 at once). */
  answer(a: Answer | ((req: ReceivedWebhook) => Answer)): void;
  /** Answers every request held by `hang` with `status`. */
  release(status?: number): void;
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
};

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let how: (r: ReceivedWebhook) => Answer = () => ({ status: 200 });
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString(), at: Date.now() };
      received.push(r);
      const a = how(r);
      if (a.hang) return void hanging.add(res);
      setTimeout(() => res.writeHead(a.status ?? 200, { 'content-type': 'text/plain' }).end('ok'), a.delayMs ?? 0);
    });
  });
  // A port in this machine's share (4500-4599); taken ones are skipped.
  for (let port = 4500 + Math.floor(Math.random() * 80); ; port++) {
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (ok) break;
    if (port >= 4599) throw new Error('no free port in 4500-4599');
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    answer(a) {
      how = typeof a === 'function' ? a : () => a;
    },
    release(status = 200) {
      for (const res of hanging) res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
      hanging.clear();
    },
    async waitFor(n, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (received.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      if (received.length < n) throw new Error(`expected ${n} webhooks, got ${received.length}`);
      return received;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
