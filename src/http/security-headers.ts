// Security headers on every response, set once when the request arrives (a synchronous
// hook with a prebuilt header object: this runs on every request, including hot pages).
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';

/**
 * Same origin only, except what Stripe needs when it is configured: Stripe.js and its frames
 * (the Payment Element, 3-D Secure), its API for the element, and its hosted Checkout page
 * as a form target (a checkout form's redirect counts as a form action).
 */
function pageCsp(config: Config): string {
  const stripe = config.stripe;
  const origins = (...urls: (string | undefined)[]) => [...new Set(urls.filter((u): u is string => Boolean(u)).map((u) => new URL(u).origin))].join(' ');
  const js = stripe ? origins(stripe.jsUrl) : '';
  const api = stripe ? origins('https://api.stripe.com', stripe.apiUrl) : '';
  return [
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    `script-src 'self'${js ? ` ${js}` : ''}`,
    ...(stripe ? [`frame-src ${origins(stripe.jsUrl, 'https://hooks.stripe.com', stripe.apiUrl)}`, `connect-src 'self' ${api}`] : []),
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self'${stripe ? ` ${origins('https://checkout.stripe.com', stripe.apiUrl)}` : ''}`,
    "frame-ancestors 'none'",
  ].join('; ');
}

// The API docs page (swagger-ui) needs inline styles and scripts of its own.
const DOCS_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

const COMMON = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};
const DOCS_HEADERS = { ...COMMON, 'content-security-policy': DOCS_CSP };
const HSTS = 'max-age=31536000; includeSubDomains';

export function securityHeaders(app: FastifyInstance, config: Config) {
  const PAGE_HEADERS = { ...COMMON, 'content-security-policy': pageCsp(config) };
  app.addHook('onRequest', (req, reply, done) => {
    reply.headers(req.url.startsWith('/api/docs') ? DOCS_HEADERS : PAGE_HEADERS);
    reply.header('x-request-id', req.id);
    if (req.protocol === 'https') reply.header('strict-transport-security', HSTS);
    done();
  });
}
