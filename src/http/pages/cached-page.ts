// A cached storefront page as bytes. Its <main> is rendered once (catalog-pages.tsx); for each
// cart count visitors show, the whole page is assembled once into a Buffer with its entity
// tag, and its brotli and gzip forms are compressed once, on libuv's thread pool, when a
// client first asks for them. A request then costs a lookup and a write: no rendering, no
// string building, no compressing, no hashing.
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { StoreSettings } from '../../domain/settings/store-settings.ts';
import { EncodedBody, etagMatches, preferredEncoding } from '../content-encoding.ts';
import { renderPage, type PageOptions } from './layout.tsx';
import { cartCount } from './visitor.ts';

/** Carts hold a handful of items: a few counts cover nearly every visitor; others cost one assembly. */
const COUNTS_PER_PAGE = 16;

/** The body depends on the client's encoding and on the cart-count cookie. */
const VARY = 'Accept-Encoding, Cookie';

type Bytes = { settings: StoreSettings; etag: string; body: EncodedBody };

export class CachedPage {
  private readonly byCount = new Map<number, Bytes>();

  constructor(
    readonly page: Omit<PageOptions, 'cartCount'>,
    readonly status = 200,
  ) {}

  /** The page for this cart count, as the frame of the current settings shows it. */
  bytes(ctx: AppContext, count: number): Bytes {
    const settings = ctx.settings();
    const hit = this.byCount.get(count);
    if (hit && hit.settings === settings) return hit;
    const identity = Buffer.from(renderPage(ctx, { ...this.page, cartCount: count }));
    const bytes: Bytes = { settings, body: new EncodedBody(identity), etag: `W/"${createHash('sha1').update(identity).digest('base64url')}"` };
    if (!hit && this.byCount.size >= COUNTS_PER_PAGE) this.byCount.delete(this.byCount.keys().next().value!);
    this.byCount.set(count, bytes);
    return bytes;
  }
}

/** Sends a cached page: 304 when the client holds it already, else in the best encoding it accepts. */
export async function sendCachedPage(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, cached: CachedPage) {
  const bytes = cached.bytes(ctx, cartCount(req));
  reply.code(cached.status).header('vary', VARY);
  if (cached.status === 200) {
    reply.header('etag', bytes.etag);
    if (etagMatches(req.headers['if-none-match'], bytes.etag)) return reply.code(304).send();
  }
  reply.type('text/html; charset=utf-8');
  const encoding = preferredEncoding(req.headers['accept-encoding']);
  if (encoding === 'identity') return reply.send(bytes.body.identity);
  return reply.header('content-encoding', encoding).send(await bytes.body.get(encoding));
}
