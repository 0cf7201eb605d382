// Prometheus metrics at /metrics: request rate and latency per route, orders by state,
// outbox backlog and failed deliveries. Database-backed gauges are read at scrape time,
// so every instance reports the same shared numbers and nothing is kept in memory.
import type { FastifyInstance, onResponseHookHandler, RouteOptions } from 'fastify';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { rows } from '../db/client.ts';
import { orderCountsByStatus } from '../domain/orders/order-counts.ts';
import { RouteMetrics, type Recorder } from './route-metrics.ts';

/** Called on the root instance (not registered as a plugin) before any route, so its hooks see every route. */
export function metricsRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const perRoute = new RouteMetrics();
  perRoute.register(registry);
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

  // The route template (not the URL) keeps label cardinality bounded. Each route records
  // through its own hook, made when the route is registered (HEAD and other methods get theirs on first use).
  const ours = new WeakSet<onResponseHookHandler>();
  app.addHook('onRoute', (route: RouteOptions) => {
    const url = route.url;
    const byMethod: Partial<Record<string, Recorder>> = {};
    const record: onResponseHookHandler = (req, reply, done) => {
      (byMethod[req.method] ??= perRoute.recorder(req.method, url))(reply.statusCode, reply.elapsedTime / 1000);
      done();
    };
    ours.add(record);
    const existing = route.onResponse === undefined ? [] : Array.isArray(route.onResponse) ? route.onResponse : [route.onResponse];
    route.onResponse = [...existing.filter((h) => !ours.has(h)), record];
  });
  // Requests no route matched (the not-found handler has no route of its own).
  const unmatched: Partial<Record<string, Recorder>> = {};
  app.addHook('onResponse', (req, reply, done) => {
    if (req.is404) (unmatched[req.method] ??= perRoute.recorder(req.method, 'unmatched'))(reply.statusCode, reply.elapsedTime / 1000);
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
