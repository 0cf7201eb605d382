// Load generation with autocannon, driven from Node: requests/s and latency percentiles.
import autocannon from 'autocannon';

export type LoadResult = { rps: number; p50: number; p99: number; errors: number; non2xx: number };

export type LoadOptions = {
  connections?: number;
  seconds?: number;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  /** Several request variants, e.g. different products, taken in turn. */
  requests?: { method?: 'GET' | 'POST'; path: string; body?: string; headers?: Record<string, string> }[];
};

export async function load(url: string, opts: LoadOptions = {}): Promise<LoadResult> {
  const run = (seconds: number) =>
    autocannon({
      url,
      connections: opts.connections ?? 50,
      duration: seconds,
      method: opts.method ?? 'GET',
      body: opts.body,
      headers: opts.headers,
      requests: opts.requests,
    });
  await run(1); // warm up: JIT, caches, connection pools
  const r = await run(opts.seconds ?? 5);
  return { rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}
