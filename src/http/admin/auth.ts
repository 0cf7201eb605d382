// Access to the back office and the admin API. Pages: a session cookie, a redirect to the
// sign-in page when signed out, a 403 page when the role lacks the permission, and a CSRF
// check on every state-changing request. API: a bearer token, 401 / 403 in the usual error shape.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { AppContext } from '../../context.ts';
import { findSession, type Session } from '../../domain/staff/auth-service.ts';
import { PERMISSIONS, ROLES, can, type Permission } from '../../domain/staff/roles.ts';
import type { StaffIdentity } from '../../domain/staff/staff-service.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { isCrossSite } from '../same-origin.ts';
import { render } from '../pages/html.tsx';
import { sendAdminPage } from './admin-layout.tsx';
import { CsrfRefusedView, ForbiddenView } from './views/auth-views.tsx';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in staff member. Set by requireStaff / requireApiStaff: read it only on routes they guard. */
    staff: StaffIdentity;
    /** The back-office session (with its CSRF token). Set by requireStaff only. */
    staffSession?: Session;
  }
}

export const SESSION_COOKIE = 'staff_session';
const COOKIE_PATH = '/admin';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string, expiresAt: Date) {
  reply.setCookie(SESSION_COOKIE, token, { path: COOKIE_PATH, httpOnly: true, sameSite: 'strict', secure: req.protocol === 'https', expires: expiresAt });
}

export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: COOKIE_PATH, httpOnly: true, sameSite: 'strict', secure: req.protocol === 'https' });
}

/** A back-office address to return to after signing in; anything else becomes the dashboard. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/admin(?:[/?#]|$)/.test(next) && !/[\\\s]|\/\//.test(next) && next.length < 500 ? next : '/admin';
}

/**
 * preHandler for back-office pages and forms. Signed out → 303 to /admin/login?next=…;
 * role without `permission` → 403 page. On POST/PUT/PATCH/DELETE it also runs verifyCsrf,
 * so a guarded form route cannot forget the CSRF check. Sets req.staff and req.staffSession.
 */
export function requireStaff(ctx: AppContext, permission?: Permission): preHandlerAsyncHookHandler {
  const csrf = verifyCsrf(ctx);
  return async function requireStaffHandler(req, reply) {
    const token = req.cookies?.[SESSION_COOKIE];
    const session = token ? await findSession(ctx, token, 'session') : null;
    if (!session) {
      if (token) clearSessionCookie(req, reply);
      const next = req.method === 'GET' ? req.url : '/admin';
      return reply.header('cache-control', 'no-store').redirect(`/admin/login?next=${encodeURIComponent(next)}`, 303);
    }
    req.staff = session.staff;
    req.staffSession = session;
    if (permission && !can(session.staff.role, permission)) {
      return sendAdminPage(ctx, req, reply, { title: 'Not allowed', main: render(ForbiddenView({ role: ROLES[session.staff.role].label, what: PERMISSIONS[permission].label })), status: 403 });
    }
    return csrf.call(this, req, reply);
  };
}

/**
 * preHandler for state-changing back-office requests (after requireStaff, which already runs
 * it): refuses a request from another site (Origin / Sec-Fetch-Site) or without the session's
 * CSRF token — in the form field `_csrf`, the `x-csrf-token` header, or `?_csrf=` (multipart forms).
 */
export function verifyCsrf(ctx: AppContext): preHandlerAsyncHookHandler {
  return async function verifyCsrfHandler(req, reply) {
    if (SAFE_METHODS.has(req.method)) return;
    const expected = req.staffSession?.csrfToken;
    const given = submittedCsrf(req);
    const crossSite = isCrossSite(req);
    if (!crossSite && expected && given && sameText(given, expected)) return;
    req.log.warn({ staffId: req.staffSession?.staff.id, crossSite, tokenSent: Boolean(given) }, 'back-office request refused by the CSRF check');
    return sendAdminPage(ctx, req, reply, { title: 'Form refused', main: render(CsrfRefusedView({ crossSite })), status: 403 });
  };
}

function submittedCsrf(req: FastifyRequest): string | undefined {
  const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
  const fromQuery = (req.query as Record<string, unknown> | undefined)?._csrf;
  const fromHeader = req.headers['x-csrf-token'];
  for (const v of [fromBody, fromHeader, fromQuery]) if (typeof v === 'string' && v) return v;
  return undefined;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * preHandler for /api/v1/admin/*: `Authorization: Bearer <token>` from POST /api/v1/auth/token.
 * 401 without a valid token, 403 when the role lacks `permission`. Sets req.staff.
 */
export function requireApiStaff(ctx: AppContext, permission?: Permission): preHandlerAsyncHookHandler {
  return async function requireApiStaffHandler(req, reply) {
    const match = /^Bearer +([A-Za-z0-9_-]{1,100})$/.exec(req.headers.authorization ?? '');
    const session = match ? await findSession(ctx, match[1]!, 'api') : null;
    if (!session) {
      reply.header('www-authenticate', 'Bearer');
      throw new DomainError(
        'unauthorized',
        match ? 'This token is not valid or has expired: request a new one from POST /api/v1/auth/token.' : 'Send a bearer token (Authorization: Bearer <token>) from POST /api/v1/auth/token.',
      );
    }
    req.staff = session.staff;
    if (permission && !can(session.staff.role, permission)) {
      throw new DomainError('forbidden', `The ${ROLES[session.staff.role].label} role may not ${PERMISSIONS[permission].label}.`);
    }
  };
}
