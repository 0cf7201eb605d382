// Back-office sign-in, sign-out and the member's own account (password change).
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { changePassword, findSession, signIn, endSession } from '../../domain/staff/auth-service.ts';
import { validationFailed } from '../../domain/shared/errors.ts';
import { render } from '../pages/html.tsx';
import { sameOriginOnly } from '../same-origin.ts';
import { SESSION_COOKIE, clearSessionCookie, requireStaff, safeNext, setSessionCookie } from './auth.ts';
import { csrfField, flash, sendAdminPage } from './admin-layout.tsx';
import { refusalOf } from './form-errors.ts';
import { text, type FormValues } from './views/form.tsx';
import { AccountView, LoginView } from './views/auth-views.tsx';

export async function adminAuthPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  app.get<{ Querystring: { next?: string } }>('/admin/login', async (req, reply) => {
    const next = safeNext(req.query.next);
    const token = req.cookies?.[SESSION_COOKIE];
    if (token && (await findSession(ctx, token, 'session'))) return reply.redirect(next, 303);
    return sendAdminPage(ctx, req, reply, { title: 'Sign in', main: render(<LoginView email="" next={next} />) });
  });

  app.post('/admin/login', { preHandler: sameOriginOnly }, async (req, reply) => {
    const form = (req.body ?? {}) as FormValues;
    const email = text(form, 'email').trim();
    const password = text(form, 'password');
    const next = safeNext(text(form, 'next'));
    const again = (error: string, status: number) =>
      sendAdminPage(ctx, req, reply, { title: 'Sign in', main: render(<LoginView email={email} next={next} error={error} />), status });
    if (!email || !password) return again('Enter your email and password.', 422);
    try {
      const session = await signIn(ctx, 'session', { email, password, clientIp: req.ip });
      setSessionCookie(req, reply, session.token, session.expiresAt);
      return reply.redirect(next, 303);
    } catch (err) {
      const refused = refusalOf(err, reply);
      if (!refused) throw err;
      return again(refused.message ?? 'Enter your email and password.', refused.status);
    }
  });

  app.post('/admin/logout', { preHandler: requireStaff(ctx) }, async (req, reply) => {
    await endSession(ctx, req.cookies[SESSION_COOKIE]!);
    clearSessionCookie(req, reply);
    flash(reply, 'You are signed out.');
    return reply.redirect('/admin/login', 303);
  });

  app.get('/admin/account', { preHandler: requireStaff(ctx) }, async (req, reply) => {
    return sendAdminPage(ctx, req, reply, { title: 'Your account', active: 'account', main: render(<AccountView staff={req.staff} csrf={csrfField(req)} />) });
  });

  app.post('/admin/account/password', { preHandler: requireStaff(ctx) }, async (req, reply) => {
    const form = (req.body ?? {}) as FormValues;
    const input = { currentPassword: text(form, 'currentPassword'), newPassword: text(form, 'newPassword') };
    try {
      if (input.newPassword !== text(form, 'repeatPassword')) throw validationFailed({ repeatPassword: 'This does not match the new password.' });
      await changePassword(ctx, req.staffSession!, input);
    } catch (err) {
      const refused = refusalOf(err, reply);
      if (!refused) throw err;
      const main = render(<AccountView staff={req.staff} csrf={csrfField(req)} errors={refused.fields} error={refused.message} />);
      return sendAdminPage(ctx, req, reply, { title: 'Your account', active: 'account', main, status: refused.status });
    }
    flash(reply, 'Password changed. Every other session and API token of yours has been signed out.');
    return reply.redirect('/admin/account', 303);
  });
}
