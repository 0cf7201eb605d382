// /orders/:number/pay-changes?t=…: where a customer pays the difference after customer
// service changed their order (the link is in the email and on the tracking page, signed like
// the tracking link). "Pay" opens the provider's page, once; back from it the payment is
// settled and the customer lands on the tracking page, where the order now goes on.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { payments } from '../../db/schema.ts';
import { awaitedPayment, startChangesPayment } from '../../domain/edits/edit-payments.ts';
import { settlePayment, type Settlement } from '../../domain/checkout/place-order.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { formatMoney } from '../../domain/shared/money.ts';
import { verifyTrackingToken } from '../../domain/tracking/tracking-token.ts';
import { STATUS } from '../errors.ts';
import { sameOriginOnly } from '../same-origin.ts';
import { render } from './html.tsx';
import { sendPage } from './visitor.ts';
import { NotFoundView } from './views/catalog-views.tsx';
import { PaymentPendingView } from './views/payment-return-views.tsx';

type Req = FastifyRequest<{ Params: { number: string }; Querystring: { t?: string; payment?: string } }>;

export async function payChangesPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const trackHref = (req: Req) => `/track?t=${encodeURIComponent(String(req.query.t ?? ''))}`;
  /** The signed link's order, or a "not found" page (the same for a wrong token and for nothing to pay). */
  async function signed(req: Req, reply: FastifyReply) {
    const number = verifyTrackingToken(ctx.secret, String(req.query.t ?? ''), ctx.clock.now());
    if (number && number === req.params.number) {
      try {
        return await awaitedPayment(ctx, number);
      } catch (err) {
        if (!(err instanceof DomainError && err.code === 'not_found')) throw err;
        // Paid already (or withdrawn): the tracking page says where the order stands.
        await reply.redirect(trackHref(req), 303);
        return undefined;
      }
    }
    await sendPage(ctx, req, reply, { title: 'Not found', main: render(<NotFoundView what="payment" />), noindex: true }, 404);
    return undefined;
  }

  const page = (req: Req, reply: FastifyReply, amount: number, currency: string, problem?: string, status = 200) =>
    sendPage(ctx, req, reply, { title: 'Pay for the changes to your order', main: render(<PayChangesView number={req.params.number} amount={formatMoney(amount, currency)} t={String(req.query.t)} problem={problem} trackHref={trackHref(req)} />), noindex: true }, status);

  app.get<{ Params: { number: string }; Querystring: { t?: string } }>('/orders/:number/pay-changes', { schema: { hide: true } }, async (req, reply) => {
    const found = await signed(req, reply);
    return found ? page(req, reply, found.payment.amount, found.payment.currency) : reply;
  });

  app.post<{ Params: { number: string }; Querystring: { t?: string } }>('/orders/:number/pay-changes', { preHandler: sameOriginOnly, schema: { hide: true } }, async (req, reply) => {
    const found = await signed(req, reply);
    if (!found) return reply;
    try {
      return reply.header('cache-control', 'no-store').redirect(await startChangesPayment(ctx, found.order.number), 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return page(req, reply, found.payment.amount, found.payment.currency, err.message, STATUS[err.code]);
    }
  });

  app.get<{ Params: { number: string }; Querystring: { t?: string; payment?: string } }>('/orders/:number/pay-changes/return', { schema: { hide: true } }, async (req, reply) => {
    const number = verifyTrackingToken(ctx.secret, String(req.query.t ?? ''), ctx.clock.now());
    const [payment] = number === req.params.number && /^[0-9a-f-]{36}$/i.test(String(req.query.payment)) ? await ctx.db.select().from(payments).where(eq(payments.id, String(req.query.payment))) : [];
    if (!payment || payment.purpose !== 'edit') return sendPage(ctx, req, reply, { title: 'Not found', main: render(<NotFoundView what="payment" />), noindex: true }, 404);
    let settled: Settlement;
    try {
      settled = await settlePayment(ctx, payment);
    } catch (err) {
      req.log.warn({ err, paymentId: payment.id }, 'settling a changes payment on return failed');
      settled = { outcome: 'pending' };
    }
    if (settled.outcome === 'placed') return reply.header('cache-control', 'no-store').redirect(trackHref(req), 303);
    if (settled.outcome === 'declined') return page(req, reply, payment.amount, payment.currency, settled.message, 402);
    const main = render(<PaymentPendingView retryUrl={payment.redirectUrl ?? undefined} problem={settled.outcome === 'pending' ? settled.message : settled.error.message} checkoutUrl={`/orders/${req.params.number}/pay-changes?t=${encodeURIComponent(String(req.query.t))}`} />);
    return sendPage(ctx, req, reply, { title: 'Confirming your payment', main, noindex: true }, 202);
  });
}

function PayChangesView({ number, amount, t, problem, trackHref }: { number: string; amount: string; t: string; problem?: string; trackHref: string }) {
  return (
    <section class="panel narrow">
      <h1>Pay for the changes to your order</h1>
      {problem ? (
        <div class="alert alert-error" role="alert">
          <p>{problem}</p>
        </div>
      ) : null}
      <p>
        We changed order <strong>{number}</strong> as agreed with you, and it now costs <strong>{amount}</strong> more. We prepare it once this is paid.
      </p>
      <form method="post" action={`/orders/${encodeURIComponent(number)}/pay-changes?t=${encodeURIComponent(t)}`}>
        <button type="submit" class="place-order">
          Pay {amount}
        </button>
        <p class="hint">You pay on our payment provider’s secure page: this shop never sees your card.</p>
      </form>
      <p>
        <a href={trackHref}>See the order</a>
      </p>
    </section>
  );
}
