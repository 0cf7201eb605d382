// Cookies are parsed for every route except the cached catalog pages, whose only
// per-visitor part is the display cookie with the cart count: they read that one value
// from the header by hand (see visitor.ts) instead of building a cookie map per request.
// Setting cookies works on every route (@fastify/cookie's onSend writer stays on).
import cookie from '@fastify/cookie';
import type { FastifyInstance, onRequestHookHandler, RouteOptions } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route reads no cookie but the display cookie: skip parsing the Cookie header. */
    displayCookieOnly?: boolean;
  }
}

/** Registers the cookie plugin without its global hook; call before any route is registered. */
export async function cookies(app: FastifyInstance) {
  await app.register(cookie, { hook: false });
  // The first setCookie of a reply parses the header again (the plugin's own bookkeeping), so
  // routes change req.cookies only after setting their cookies, as they always have.
  const parse: onRequestHookHandler = (req, _reply, done) => {
    const header = req.headers.cookie;
    req.cookies = header ? app.parseCookie(header) : {};
    done();
  };
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.config?.displayCookieOnly) return;
    route.onRequest = [parse, ...(route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest])];
  });
}

/** One cookie's value read straight from a Cookie header (no map, no decoding: for plain values). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return value.length > 1 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
    }
  }
  return undefined;
}
