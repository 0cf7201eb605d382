// Liveness and readiness: is the database reachable, which version runs, how much memory.
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { VERSION } from '../version.ts';

export async function healthRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  app.get('/healthz', { schema: { hide: true }, logLevel: 'warn' }, async (_req, reply) => {
    const started = performance.now();
    const database = await Promise.race([
      ctx.db.execute(sql`select 1`).then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000).unref()),
    ]).catch(() => false);
    return reply
      .code(database ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({
        status: database ? 'ok' : 'unavailable',
        version: VERSION,
        database: { kind: ctx.database.kind, reachable: database, latencyMs: Math.round(performance.now() - started) },
        rssBytes: process.memoryUsage().rss,
        uptimeSeconds: Math.round(process.uptime()),
      });
  });
}
