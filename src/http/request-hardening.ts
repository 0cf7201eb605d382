// Cross-cutting rules for every route, applied where routes are registered so no route
// can forget them:
//  - admin API routes check the bearer token before validating the body, so a caller
//    without the right token learns nothing about the API's shape (401/403, never 422);
//  - text with a NUL character (which PostgreSQL cannot store) is refused as invalid input
//    naming the field, wherever it arrives: body, query string or path;
//  - request logs never hold the secrets that travel in URLs: signed tracking and
//    confirmation links (?t=…), CSRF tokens (?_csrf=… on multipart forms) and cart ids
//    (the cart id is the only key to a cart).
import type { FastifyInstance, RouteOptions } from 'fastify';
import { validationFailed } from '../domain/shared/errors.ts';

const ADMIN_API = '/api/v1/admin/';

export function authenticateBeforeValidation(app: FastifyInstance) {
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url.startsWith(ADMIN_API) || !route.preHandler) return;
    // Admin API preHandlers are the token and permission checks (requireApiStaff).
    const list = (h: unknown) => (h === undefined ? [] : Array.isArray(h) ? h : [h]);
    route.preValidation = [...list(route.preHandler), ...list(route.preValidation)] as RouteOptions['preValidation'];
    route.preHandler = undefined;
  });
}

const SECRET_PARAMS = /([?&](?:t|token|_csrf)=)[^&#]*/g;
const CART_PATH = /(\/carts\/)[^/?#]+/g;

/** The URL as it may be logged. */
export const loggableUrl = (url: string) => url.replace(SECRET_PARAMS, '$1[redacted]').replace(CART_PATH, '$1[cart]');

/** pino serializers for Fastify's request logs. */
export const requestLogSerializers = {
  req(req: { method: string; url: string; host?: string; hostname?: string; ip?: string; socket?: { remoteAddress?: string } }) {
    return { method: req.method, url: loggableUrl(req.url), host: req.host ?? req.hostname, remoteAddress: req.ip ?? req.socket?.remoteAddress };
  },
};

/** The path of the first string holding a NUL character, e.g. "shippingAddress.name". */
function nulField(value: unknown, path: string[] = [], depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') || 'request' : undefined;
  if (!value || typeof value !== 'object' || depth > 20 || Buffer.isBuffer(value)) return undefined;
  for (const [key, v] of Object.entries(value)) {
    const found = nulField(key, [...path, key], depth + 1) ?? nulField(v, [...path, key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

export function refuseNulCharacters(app: FastifyInstance) {
  // A synchronous hook: it runs on every request, hot pages included.
  app.addHook('preValidation', (req, _reply, done) => {
    const field = nulField(req.params) ?? nulField(req.query) ?? nulField(req.body);
    done(field ? validationFailed({ [field]: 'Remove the invisible control character (NUL) from this field.' }) : undefined);
  });
}
