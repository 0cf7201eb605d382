// /account ("My orders"): passwordless sign-in by emailed link or texted code, the signed-in
// list of orders, "Buy again", and the personal-data export and erasure. Every page is
// noindex and no-store: it is one visitor's, and it holds contact details.
import { z } from 'zod';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { CustomerContact } from '../../db/schema.ts';
import { buyAgain, customerOrders, erasePersonalData, exportPersonalData, savedAddresses } from '../../domain/customers/customer-orders.ts';
import { LINK_TTL_MS, requestSignIn, signInWithCode, signInWithLink, signOut } from '../../domain/customers/sign-in.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { lookupLinkToken } from '../../domain/tracking/lookup.ts';
import { STATUS } from '../errors.ts';
import { sameOriginOnly } from '../same-origin.ts';
import { cartIdOf, flashTo, rememberCart } from './cart-pages.tsx';
import { customerToken, forgetCustomer, rememberCustomer, signedInContacts } from './customer-session.ts';
import { render } from './html.tsx';
import { trackingPath } from './tracking-pages.tsx';
import { sendPage } from './visitor.ts';
import { AccountIntro, AccountView, CodeForm, LinkConfirm, SignInForm, type Alert, type CodeFormProps, type SignInProps } from './views/account-views.tsx';

const signInBody = z.object({ via: z.enum(['email', 'phone']).catch('email'), contact: z.string().max(300).catch('') });
const codeBody = z.object({ signInId: z.string().max(40).catch(''), phone: z.string().max(20).catch(''), code: z.string().max(20).catch('') });
const tokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/).catch('') });

const LINK_SENT = (email: string) =>
  `If orders were placed with ${email}, a sign-in link is on its way to it; if not, an email says so. The link works once, for ${LINK_TTL_MS / 60_000} minutes. Nothing after a few minutes? Check your spam folder.`;

/** The field error or whole-form message a refusal becomes; undefined for anything unexpected. */
function refusal(err: unknown, reply: FastifyReply): { status: number; field?: string; alert?: Alert } | undefined {
  if (!(err instanceof DomainError) || STATUS[err.code] >= 500) return undefined;
  const details = err.details as { fields?: Record<string, string>; retryAfterSeconds?: number } | undefined;
  if (details?.retryAfterSeconds) reply.header('retry-after', String(details.retryAfterSeconds));
  if (err.code === 'validation_failed') return { status: 422, field: Object.values(details?.fields ?? {})[0] ?? err.message };
  return { status: STATUS[err.code], alert: { kind: 'error', text: err.message } };
}

export async function accountPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const send = (req: FastifyRequest, reply: FastifyReply, main: string, status = 200, title = 'My orders') =>
    sendPage(ctx, req, reply.header('cache-control', 'no-store').header('referrer-policy', 'same-origin'), { title, main, noindex: true }, status);

  const signInPage = (req: FastifyRequest, reply: FastifyReply, props: SignInProps, status = 200) =>
    send(req, reply, render(<div class="account"><AccountIntro /><SignInForm {...props} /></div>), status);

  const accountPage = async (req: FastifyRequest, reply: FastifyReply, contacts: CustomerContact[], o: { alert?: Alert; signIn?: SignInProps; status?: number } = {}) => {
    const list = await customerOrders(ctx, contacts);
    const withLinks = list.map((order) => ({ ...order, trackingHref: trackingPath(lookupLinkToken(ctx, order.number)) }));
    const main = render(<AccountView contacts={contacts} orders={withLinks} addresses={savedAddresses(list)} alert={o.alert} signIn={o.signIn ?? {}} />);
    return send(req, reply, main, o.status ?? 200);
  };

  const codePage = (req: FastifyRequest, reply: FastifyReply, props: CodeFormProps, status = 200) => send(req, reply, render(<div class="account"><CodeForm {...props} /></div>), status, 'Enter your code');

  const signedInOrBack = async (req: FastifyRequest, reply: FastifyReply) => {
    const contacts = await signedInContacts(ctx, req);
    if (!contacts) {
      forgetCustomer(req, reply);
      await signInPage(req, reply, { alert: { kind: 'info', text: 'Your session has ended. Sign in again to continue.' } }, 401);
    }
    return contacts;
  };

  app.get('/account', async (req, reply) => {
    const contacts = await signedInContacts(ctx, req);
    return contacts ? accountPage(req, reply, contacts) : signInPage(req, reply, {});
  });

  app.post('/account/sign-in', { preHandler: sameOriginOnly }, async (req, reply) => {
    const form = signInBody.parse(req.body ?? {});
    const contacts = await signedInContacts(ctx, req);
    const again = (props: SignInProps, status: number) => (contacts ? accountPage(req, reply, contacts, { signIn: props, status }) : signInPage(req, reply, props, status));
    try {
      const asked = await requestSignIn(ctx, { contact: form.contact, clientIp: req.ip });
      if (asked.kind === 'phone') return codePage(req, reply, { signInId: asked.signInId, phone: form.contact.trim() });
      return again({ alert: { kind: 'ok', text: LINK_SENT(form.contact.trim()) } }, 200);
    } catch (err) {
      const r = refusal(err, reply);
      if (!r) throw err;
      return again({ via: form.via, contact: form.contact, error: r.field, alert: r.alert }, r.status);
    }
  });

  // The emailed link only shows a button: link checkers in mail systems must not spend it.
  app.get('/account/sign-in/:token', async (req, reply) => {
    const { token } = tokenParams.parse(req.params);
    return send(req, reply, render(<LinkConfirm token={token} />), 200, 'Sign in');
  });

  app.post('/account/sign-in/:token', { preHandler: sameOriginOnly }, async (req, reply) => {
    const { token } = tokenParams.parse(req.params);
    try {
      const session = await signInWithLink(ctx, token, customerToken(req));
      rememberCustomer(req, reply, session);
      return reply.header('cache-control', 'no-store').redirect('/account', 303);
    } catch (err) {
      const r = refusal(err, reply);
      if (!r) throw err;
      return signInPage(req, reply, { alert: r.alert }, r.status);
    }
  });

  app.post('/account/code', { preHandler: sameOriginOnly }, async (req, reply) => {
    const form = codeBody.parse(req.body ?? {});
    try {
      const session = await signInWithCode(ctx, form.signInId, form.code, customerToken(req));
      rememberCustomer(req, reply, session);
      return reply.header('cache-control', 'no-store').redirect('/account', 303);
    } catch (err) {
      const r = refusal(err, reply);
      if (!r) throw err;
      if (r.field) return codePage(req, reply, { signInId: form.signInId, phone: form.phone, error: r.field }, r.status);
      return signInPage(req, reply, { alert: r.alert }, r.status);
    }
  });

  app.post('/account/sign-out', { preHandler: sameOriginOnly }, async (req, reply) => {
    const token = customerToken(req);
    if (token) await signOut(ctx, token);
    forgetCustomer(req, reply);
    return signInPage(req, reply, { alert: { kind: 'ok', text: 'You are signed out.' } });
  });

  app.post('/account/buy-again', { preHandler: sameOriginOnly }, async (req, reply) => {
    const contacts = await signedInOrBack(req, reply);
    if (!contacts) return reply;
    const { orderNumber } = z.object({ orderNumber: z.string().max(40).catch('') }).parse(req.body ?? {});
    try {
      const result = await buyAgain(ctx, contacts, orderNumber, cartIdOf(req));
      rememberCart(req, reply, { id: result.cartId, itemCount: result.itemCount });
      const skipped = result.skipped.map((s) => `${s.name} (${s.reason})`).join('; ');
      const text = result.added.length
        ? `Added to your cart at today's prices: ${result.added.join(', ')}.${skipped ? ` Not added: ${skipped}.` : ''}`
        : `Nothing could be added: ${skipped}.`;
      flashTo(req, reply, { kind: result.added.length ? 'ok' : 'error', text });
      return reply.header('cache-control', 'no-store').redirect('/cart', 303);
    } catch (err) {
      const r = refusal(err, reply);
      if (!r) throw err;
      return accountPage(req, reply, contacts, { alert: r.alert, status: r.status });
    }
  });

  app.get('/account/data.json', async (req, reply) => {
    const contacts = await signedInOrBack(req, reply);
    if (!contacts) return reply;
    const data = await exportPersonalData(ctx, contacts);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="my-data-${data.exportedAt.slice(0, 10)}.json"`)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2));
  });

  app.post('/account/erase', { preHandler: sameOriginOnly }, async (req, reply) => {
    const contacts = await signedInOrBack(req, reply);
    if (!contacts) return reply;
    const { confirm } = z.object({ confirm: z.string().max(10).optional().catch(undefined) }).parse(req.body ?? {});
    if (confirm !== 'yes') return accountPage(req, reply, contacts, { alert: { kind: 'error', text: 'Tick the box to confirm that your details should be erased for good.' }, status: 422 });
    try {
      const done = await erasePersonalData(ctx, contacts);
      await signOut(ctx, customerToken(req)!);
      forgetCustomer(req, reply);
      const text = `Your personal details are erased from ${done.orders} order${done.orders === 1 ? '' : 's'} and the messages that went with them. Thank you for shopping with us.`;
      return signInPage(req, reply, { alert: { kind: 'ok', text } });
    } catch (err) {
      const r = refusal(err, reply);
      if (!r) throw err;
      return accountPage(req, reply, contacts, { alert: r.alert, status: r.status });
    }
  });
}
