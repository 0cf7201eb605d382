// Security headers on every response, set once when the request arrives (a synchronous
// hook with a prebuilt header object: this runs on every request, including hot pages).
import type { FastifyInstance } from 'fastify';

const CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

// The API docs page (swagger-ui) needs inline styles and scripts of its own.
const DOCS_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

const COMMON = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};
const PAGE_HEADERS = { ...COMMON, 'content-security-policy': CSP };
const DOCS_HEADERS = { ...COMMON, 'content-security-policy': DOCS_CSP };
const HSTS = 'max-age=31536000; includeSubDomains';

export function securityHeaders(app: FastifyInstance) {
  app.addHook('onRequest', (req, reply, done) => {
    reply.headers(req.url.startsWith('/api/docs') ? DOCS_HEADERS : PAGE_HEADERS);
    reply.header('x-request-id', req.id);
    if (req.protocol === 'https') reply.header('strict-transport-security', HSTS);
    done();
  });
}
