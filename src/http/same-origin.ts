// Cross-site request forgery defence for form posts: a browser always says where a
// POST comes from (Origin, or Sec-Fetch-Site); anything from another site is refused.
// The back office adds a per-session token on top (see admin auth).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/shared/errors.ts';

export function isCrossSite(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = req.headers.origin;
  if (!origin || origin === 'null') return origin === 'null';
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

/** preHandler for state-changing form routes. */
export async function sameOriginOnly(req: FastifyRequest, _reply: FastifyReply) {
  if (isCrossSite(req)) throw new DomainError('forbidden', 'This form was submitted from another site and was refused.');
}
