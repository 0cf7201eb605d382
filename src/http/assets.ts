// Static assets (CSS, client script) served with a content hash in the URL, so
// browsers may cache them for a year and still get every change at once; compressed
// (brotli or gzip, by Accept-Encoding) once per process, when first asked for.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { EncodedBody, preferredEncoding } from './content-encoding.ts';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');
const TYPES: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml' };

type Asset = { body: EncodedBody; type: string; hash: string };
const assets = new Map<string, Asset>();
for (const name of fs.readdirSync(dir)) {
  const body = fs.readFileSync(path.join(dir, name));
  assets.set(name, { body: new EncodedBody(body), type: TYPES[path.extname(name)] ?? 'application/octet-stream', hash: createHash('sha256').update(body).digest('hex').slice(0, 10) });
}

export const assetUrl = (name: string) => `/assets/${assets.get(name)?.hash ?? 'missing'}/${name}`;

export async function assetRoutes(app: FastifyInstance) {
  app.get<{ Params: { hash: string; name: string } }>('/assets/:hash/:name', { schema: { hide: true } }, async (req, reply) => {
    const asset = assets.get(req.params.name);
    if (!asset) return reply.callNotFound();
    reply
      .header('cache-control', asset.hash === req.params.hash ? 'public, max-age=31536000, immutable' : 'no-cache')
      .header('vary', 'Accept-Encoding')
      .type(asset.type);
    const encoding = preferredEncoding(req.headers['accept-encoding']);
    if (encoding !== 'identity') reply.header('content-encoding', encoding);
    return reply.send(await asset.body.get(encoding));
  });
  // Browsers ask for /favicon.ico on a site's first page whatever it links to; a 404 there is an
  // error in the console on every first visit (Lighthouse's best-practices audit counts it).
  const icon = assets.get('favicon.svg')!;
  app.get('/favicon.ico', { schema: { hide: true }, logLevel: 'warn' }, (_req, reply) =>
    reply.header('cache-control', 'public, max-age=86400').type(icon.type).send(icon.body.identity),
  );
}
