// Prometheus metrics at /metrics: request rate and latency per route, orders by state,
// outbox backlog and failed deliveries. Database-backed gauges are read at scrape time,
// so every instance reports the same shared numbers and nothing is kept in memory.
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { rows } from '../db/client.ts';
import { orderCountsByStatus } from '../domain/orders/order-counts.ts';

/** Called on the root instance (not registered as a plugin) so its hook sees every route. */
export function metricsRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests by route and status class', labelNames: ['method', 'route', 'status'] as const, registers: [registry] });
  new Gauge({
    name: 'casanova_orders',
    help: 'Orders by state',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      // From the trigger-kept counters: a scrape must stay cheap at a million orders.
      for (const [status, n] of Object.entries(await orderCountsByStatus(ctx.db))) this.set({ status }, n);
    },
  });
  new Gauge({
    name: 'casanova_outbox_rows',
    help: 'Outbox rows by delivery status (pending = backlog, failed = needs staff)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await rows<{ status: string; n: number }>(ctx.db, sql`select status, count(*)::int as n from outbox where status <> 'sent' group by status`)) this.set({ status: r.status }, r.n);
    },
  });

  // The route template (not the URL) keeps label cardinality bounded.
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const labels = { method: req.method, route, status: `${Math.floor(reply.statusCode / 100)}xx` };
    duration.observe(labels, reply.elapsedTime / 1000);
    requests.inc(labels);
    done();
  });

  const token = ctx.config.metricsToken;
  app.get('/metrics', { schema: { hide: true }, logLevel: 'warn' }, async (req, reply) => {
    // Without a token, only this machine may scrape (metrics reveal business volume).
    const allowed = token ? req.headers.authorization === `Bearer ${token}` : req.ip === '127.0.0.1' || req.ip === '::1' || req.ip === '::ffff:127.0.0.1';
    if (!allowed) return reply.code(403).send({ error: { code: 'forbidden', message: 'Metrics are available to the monitoring system only.' } });
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
