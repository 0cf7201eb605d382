// The per-visitor bits of a storefront page, kept tiny so catalog pages can be cached.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { cookieValue } from '../cookies.ts';
import { renderPage, type PageOptions } from './layout.tsx';

/** Cookie with the number of items in the visitor's cart: display only, never trusted for anything else. */
export const CART_COUNT_COOKIE = 'cart_n';

/** From the parsed cookies (which a cart page may have just updated), or from the header on routes that parse none. */
export function cartCount(req: FastifyRequest): number {
  const n = Number(req.cookies ? req.cookies[CART_COUNT_COOKIE] : cookieValue(req.headers.cookie, CART_COUNT_COOKIE));
  return Number.isInteger(n) && n >= 0 && n < 1000 ? n : 0;
}

/** Sends a full storefront page around already rendered main content. */
export function sendPage(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, page: Omit<PageOptions, 'cartCount'>, status = 200) {
  if (page.noindex) reply.header('cache-control', 'no-store');
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(renderPage(ctx, { ...page, cartCount: cartCount(req) }));
}
