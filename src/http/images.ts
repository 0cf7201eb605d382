// Serves stored images. Keys are random and never reused, so responses are cacheable forever.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';

export async function imageRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  app.get<{ Params: { '*': string } }>('/images/*', { schema: { hide: true }, logLevel: 'warn' }, async (req, reply) => {
    const key = req.params['*'];
    // Only catalog images are public; customer photos are served through the back office.
    if (!/^img\/[0-9a-f-]{36}\/(thumb|large)\.webp$/.test(key)) return reply.callNotFound();
    const blob = await ctx.blobs.get(key);
    if (!blob) return reply.callNotFound();
    return reply.header('cache-control', 'public, max-age=31536000, immutable').type(blob.contentType).send(blob.bytes);
  });
}
