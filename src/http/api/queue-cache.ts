// The admin queue's JSON answers, kept per instance between order changes. Programs poll the
// queue (a packing-station screen, an integration); between two changes every poll gets the
// same answer, so it is read and serialised once. Same guarantees as the tracking view: every
// instance drops the answers when a change commits, and drops all of them when its
// notification connection was lost. A staff write this instance answers forgets them before
// its answer leaves, so whoever made a change reads it back at once. A request with
// `Cache-Control: no-cache` is read from the database and not stored.
import type { FastifyInstance, FastifyRequest, RouteOptions, onSendHookHandler } from 'fastify';
import type { AppContext } from '../../context.ts';
import { orderChangeCache } from '../../domain/shared/order-change-cache.ts';

const answers = orderChangeCache<string>(200, false);

export async function cachedQueueAnswer(ctx: AppContext, req: FastifyRequest, read: () => Promise<string>): Promise<string> {
  if (/\bno-cache\b/.test(req.headers['cache-control'] ?? '')) return read();
  return (await answers.ready(ctx)).getOrCompute(JSON.stringify(req.query), read);
}

const STAFF_PATHS = /^\/(?:api\/v1\/)?admin\//;
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Adds the forgetting hook to every staff route that writes (made when routes are registered, so reads pay nothing). */
export function forgetQueueOnStaffWrites(app: FastifyInstance, ctx: AppContext) {
  const forget: onSendHookHandler = (_req, reply, payload, done) => {
    if (reply.statusCode < 400) answers.peek(ctx)?.clear();
    done(null, payload);
  };
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!STAFF_PATHS.test(route.url) || methods.every((m) => READS.has(m))) return;
    const existing = route.onSend === undefined ? [] : Array.isArray(route.onSend) ? route.onSend : [route.onSend];
    route.onSend = [...existing, forget];
  });
}
