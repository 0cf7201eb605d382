// /pay/:token: the payment link of a phone order. Shows what was agreed and a "Pay" button
// that opens (or reopens) the payment at the provider; back from there the order is placed
// exactly as after a checkout and the customer lands on its confirmation. The token in the
// path is the only key, so the page answers the same "not found" for any other value.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { payments } from '../../db/schema.ts';
import { settlePayment, type Settlement } from '../../domain/checkout/place-order.ts';
import { lineName } from '../../domain/checkout/checkout-snapshot.ts';
import { payPhoneOrder, phoneOrderByToken, type PhoneOrderView } from '../../domain/phone-orders/phone-orders.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { formatMoney } from '../../domain/shared/money.ts';
import { freshTrackingToken } from '../../domain/tracking/tracking-token.ts';
import { STATUS } from '../errors.ts';
import { sameOriginOnly } from '../same-origin.ts';
import { render } from './html.tsx';
import { sendPage } from './visitor.ts';
import { NotFoundView } from './views/catalog-views.tsx';
import { PaymentPendingView } from './views/payment-return-views.tsx';
import { TotalsList } from './views/parts.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function payLinkPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  async function find(req: FastifyRequest, reply: FastifyReply, token: string): Promise<PhoneOrderView | undefined> {
    try {
      return await phoneOrderByToken(ctx, token);
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'not_found')) throw err;
      await sendPage(ctx, req, reply, { title: 'Payment link not found', main: render(<NotFoundView what="payment link" />), noindex: true }, 404);
      return undefined;
    }
  }

  const show = (req: FastifyRequest, reply: FastifyReply, v: PhoneOrderView, problem?: string, status = 200) =>
    sendPage(ctx, req, reply, { title: 'Pay for your order', main: render(<PayLinkView v={v} currency={ctx.settings().currency} problem={problem} trackHref={trackHref(v)} />), noindex: true }, status);

  const trackHref = (v: PhoneOrderView) =>
    v.orderNumber ? `/track?t=${encodeURIComponent(freshTrackingToken(ctx, v.orderNumber))}` : undefined;

  app.get<{ Params: { token: string } }>('/pay/:token', { schema: { hide: true } }, async (req, reply) => {
    const v = await find(req, reply, req.params.token);
    return v ? show(req, reply, v) : reply;
  });

  app.post<{ Params: { token: string } }>('/pay/:token', { preHandler: sameOriginOnly, schema: { hide: true } }, async (req, reply) => {
    const v = await find(req, reply, req.params.token);
    if (!v) return reply;
    if (v.status === 'paid') return reply.redirect(`/pay/${req.params.token}`, 303);
    try {
      const started = await payPhoneOrder(ctx, req.params.token);
      if ('order' in started) return reply.redirect(`/pay/${req.params.token}`, 303);
      if (!started.session.redirectUrl) throw new Error(`Payment session ${started.session.paymentId} has no page to pay on`);
      return reply.header('cache-control', 'no-store').redirect(started.session.redirectUrl, 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return show(req, reply, await phoneOrderByToken(ctx, req.params.token), err.message, STATUS[err.code]);
    }
  });

  app.get<{ Params: { token: string }; Querystring: { payment?: string } }>('/pay/:token/return', { schema: { hide: true } }, async (req, reply) => {
    const v = await find(req, reply, req.params.token);
    if (!v) return reply;
    const paymentId = String(req.query.payment ?? '');
    const [payment] = UUID.test(paymentId) ? await ctx.db.select().from(payments).where(eq(payments.id, paymentId)) : [];
    if (!payment || payment.cartId !== v.phoneOrder.cartId) return show(req, reply, v);
    let settled: Settlement;
    try {
      settled = await settlePayment(ctx, payment);
    } catch (err) {
      req.log.warn({ err, paymentId }, 'settling a payment-link payment on return failed');
      settled = { outcome: 'pending' };
    }
    switch (settled.outcome) {
      case 'placed': {
        const token = freshTrackingToken(ctx, settled.order.number);
        return reply.header('cache-control', 'no-store').redirect(`/orders/${encodeURIComponent(settled.order.number)}/confirmation?t=${encodeURIComponent(token)}`, 303);
      }
      case 'declined':
        return show(req, reply, v, settled.message, 402);
      case 'released':
        return show(req, reply, await phoneOrderByToken(ctx, req.params.token), settled.error.message, 409);
      case 'pending': {
        const main = render(<PaymentPendingView retryUrl={payment.redirectUrl ?? undefined} problem={settled.message} checkoutUrl={`/pay/${req.params.token}`} />);
        if (!settled.message) reply.header('refresh', `3; url=/pay/${req.params.token}/return?payment=${payment.id}`);
        return sendPage(ctx, req, reply, { title: 'Confirming your payment', main, noindex: true }, 202);
      }
    }
  });
}

function PayLinkView({ v, currency, problem, trackHref }: { v: PhoneOrderView; currency: string; problem?: string; trackHref?: string }) {
  const m = (n: number) => formatMoney(n, currency);
  const a = v.phoneOrder.shippingAddress;
  return (
    <section class="panel narrow pay-link">
      <h1>{v.status === 'paid' ? 'This order is paid' : 'Your order, ready to pay'}</h1>
      {problem ? (
        <div class="alert alert-error" role="alert">
          <p>{problem}</p>
        </div>
      ) : null}
      {v.status === 'paid' ? (
        <p>
          Thank you: it is order <strong>{v.orderNumber}</strong>, and the receipt went to your email. {trackHref ? <a href={trackHref}>Track your order</a> : null}
        </p>
      ) : v.status === 'expired' ? (
        <p>This payment link has expired, so nothing was charged and no order was placed. Call or email us and we will send you a new one.</p>
      ) : (
        <p>We put this order together with you on the phone. It is placed, and the items reserved, when you pay.</p>
      )}
      <table class="table">
        <caption class="visually-hidden">Products and quantities</caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col" class="num">Quantity</th>
            <th scope="col" class="num">Total</th>
          </tr>
        </thead>
        <tbody>
          {v.lines.map((l) => (
            <tr>
              <td>{lineName(l)}</td>
              <td class="num">{l.quantity}</td>
              <td class="num">{m(l.lineTotal)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <TotalsList
        rows={[
          ['Subtotal', m(v.totals.subtotal)],
          ['Shipping', v.totals.shipping === 0 ? 'Free' : m(v.totals.shipping)],
          ['Sales tax', m(v.totals.tax)],
        ]}
        total={['Total', m(v.totals.total)]}
      />
      <h2>Shipping to</h2>
      <address class="address">
        {a.name}
        <br />
        {a.line1}
        {a.line2 ? (
          <>
            <br />
            {a.line2}
          </>
        ) : null}
        <br />
        {a.city}, {a.state} {a.postalCode}
      </address>
      {v.status === 'awaiting_payment' ? (
        <form method="post" action={`/pay/${v.phoneOrder.token}`}>
          <button type="submit" class="place-order">
            Pay {m(v.totals.total)}
          </button>
          <p class="hint">You pay on our payment provider’s secure page: this shop never sees your card.</p>
        </form>
      ) : null}
    </section>
  );
}
