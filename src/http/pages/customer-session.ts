// The signed-in customer's cookie ("My orders"): HttpOnly, same-site, secure over HTTPS, and
// as short-lived as the session behind it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { CustomerContact } from '../../db/schema.ts';
import { sessionContacts } from '../../domain/customers/sign-in.ts';

export const CUSTOMER_COOKIE = 'customer';

const cookieBase = (req: FastifyRequest) => ({ path: '/', sameSite: 'lax' as const, httpOnly: true, secure: req.protocol === 'https' });

export function customerToken(req: FastifyRequest): string | undefined {
  const token = req.cookies?.[CUSTOMER_COOKIE];
  return token && /^[A-Za-z0-9_-]{20,100}$/.test(token) ? token : undefined;
}

/** The contacts the visitor proved, or undefined when they are not signed in. */
export const signedInContacts = (ctx: AppContext, req: FastifyRequest): Promise<CustomerContact[] | undefined> => sessionContacts(ctx, customerToken(req));

export function rememberCustomer(req: FastifyRequest, reply: FastifyReply, s: { token: string; expiresAt: Date }) {
  reply.setCookie(CUSTOMER_COOKIE, s.token, { ...cookieBase(req), expires: s.expiresAt });
}

export function forgetCustomer(req: FastifyRequest, reply: FastifyReply) {
  reply.clearCookie(CUSTOMER_COOKIE, cookieBase(req));
}
