// Webhook senders sign the exact bytes they send: a plugin that checks signatures keeps the
// raw body (its own parser, scoped to that plugin) and parses nothing itself.
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Replaces the plugin's body parsers with one that keeps the bytes; returns them per request (empty when none came). */
export function keepRawBodies(app: FastifyInstance, bodyLimit: number): (req: FastifyRequest) => Buffer {
  const rawBodies = new WeakMap<FastifyRequest, Buffer>();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (req, body, done) => {
    rawBodies.set(req, body as Buffer);
    done(null, undefined);
  });
  return (req) => rawBodies.get(req) ?? Buffer.alloc(0);
}
