// Abandoned-checkout recovery on the storefront: the checkout script hands over the email as
// soon as it is typed, the reminder's link restores the cart on any device, and its
// unsubscribe link (a page with one button, so mail scanners cannot unsubscribe anyone) stops
// further reminders.
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { getCartView } from '../../domain/cart/cart-service.ts';
import { captureCheckoutEmail, restoreCart, unsubscribe, unsubscribeEmail } from '../../domain/recovery/cart-recovery.ts';
import { sameOriginOnly } from '../same-origin.ts';
import { cartIdOf, flashTo, rememberCart } from './cart-pages.tsx';
import { render } from './html.tsx';
import { sendPage } from './visitor.ts';

const tokenQuery = z.object({ t: z.string().max(600).catch('') });

function Unsubscribe({ token, done, email }: { token: string; done?: boolean; email?: string }) {
  if (!email) {
    return (
      <section class="panel narrow">
        <h1>This link does not work</h1>
        <p>The unsubscribe link is damaged or too old. Reply to any of our emails and we will take you off the list.</p>
      </section>
    );
  }
  return (
    <section class="panel narrow">
      <h1>{done ? 'You are unsubscribed' : 'Stop cart reminders'}</h1>
      {done ? (
        <p>
          We will not send cart reminders to <strong class="token">{email}</strong> again. Emails about your orders still reach you.
        </p>
      ) : (
        <form method="post" action={`/unsubscribe?t=${encodeURIComponent(token)}`}>
          <p>
            No more reminders about carts left at checkout for <strong class="token">{email}</strong>.
          </p>
          <button type="submit">Unsubscribe</button>
        </form>
      )}
    </section>
  );
}

export async function recoveryPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  app.post('/checkout/contact', { preHandler: sameOriginOnly }, async (req, reply) => {
    const { email } = z.object({ email: z.string().max(300).catch('') }).parse(req.body ?? {});
    const cartId = cartIdOf(req);
    if (cartId) await captureCheckoutEmail(ctx, cartId, email);
    return reply.header('cache-control', 'no-store').code(204).send();
  });

  app.get('/cart/restore', async (req, reply) => {
    const restored = await restoreCart(ctx, tokenQuery.parse(req.query ?? {}).t);
    reply.header('cache-control', 'no-store').header('referrer-policy', 'same-origin');
    if (!restored) {
      flashTo(req, reply, { kind: 'error', text: 'This cart link is damaged or too old. Your cart is as you left it on this device.' });
    } else if (restored.ordered) {
      flashTo(req, reply, { kind: 'ok', text: 'That cart has already been ordered: look for its confirmation email. Your cart on this device is as you left it.' });
    } else {
      const view = await getCartView(ctx.db, ctx.settings(), restored.cartId, {}, { now: ctx.clock.now() });
      rememberCart(req, reply, view);
      const text = restored.changes.length ? `Your cart is back. Since you left: ${restored.changes.join(' ')}` : 'Your cart is back, just as you left it.';
      flashTo(req, reply, { kind: 'ok', text });
    }
    return reply.redirect('/cart', 303);
  });

  const page = (token: string, o: { done?: boolean; email?: string }) => render(<Unsubscribe token={token} {...o} />);

  app.get('/unsubscribe', async (req, reply) => {
    const { t } = tokenQuery.parse(req.query ?? {});
    const email = unsubscribeEmail(ctx, t);
    return sendPage(ctx, req, reply.header('cache-control', 'no-store'), { title: 'Unsubscribe', main: page(t, { email }), noindex: true }, email ? 200 : 400);
  });

  app.post('/unsubscribe', { preHandler: sameOriginOnly }, async (req, reply) => {
    const { t } = tokenQuery.parse(req.query ?? {});
    const email = unsubscribeEmail(ctx, t);
    if (email) await unsubscribe(ctx, email);
    return sendPage(ctx, req, reply.header('cache-control', 'no-store'), { title: 'Unsubscribe', main: page(t, { email, done: true }), noindex: true }, email ? 200 : 400);
  });
}
