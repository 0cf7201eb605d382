// The sandbox processor's hosted payment page: the stand-in for Stripe's Checkout page,
// and the only place a sandbox test card is ever typed. It is "the provider", not the
// store: the store's checkout never sees what is entered here. The shopper pays, passes
// the 3-D Secure-like step when the card asks for it, and is sent back to the store's
// return URL; the sandbox's webhook reaches the store on its own.
import { z } from 'zod';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { SandboxPayOutcome, SandboxProvider } from '../../domain/payments/sandbox-provider.ts';
import { receivePaymentWebhook } from '../../domain/payments/payment-webhooks.ts';
import { formatMoney } from '../../domain/shared/money.ts';
import { sameOriginOnly } from '../same-origin.ts';
import { render } from './html.tsx';
import { sendPage } from './visitor.ts';
import { NotFoundView } from './views/catalog-views.tsx';
import { SandboxPayView, SandboxThreeDsView, type SandboxPayProps } from './views/sandbox-pay-views.tsx';

const id = z.object({ id: z.string().regex(/^sbx_pay_[0-9A-Za-z]{24}$/) });
const cardForm = z.object({ cardNumber: z.string().max(30).default(''), expiry: z.string().max(10).default(''), cvc: z.string().max(4).default('') });

/** MM/YY (or MM/YYYY, or MMYY) into month and year; NaN when it is none of these. */
function parseExpiry(expiry: string): { month: number; year: number } {
  const m = /^\s*(\d{1,2})\s*[/-]\s*(\d{2}|\d{4})\s*$/.exec(expiry) ?? /^\s*(\d{2})(\d{2})\s*$/.exec(expiry);
  return m ? { month: Number(m[1]), year: Number(m[2]) } : { month: Number.NaN, year: Number.NaN };
}

export async function sandboxPayPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  if (!ctx.payments.names().includes('sandbox')) return;
  const sandbox = ctx.payments.get('sandbox') as SandboxProvider;
  // The sandbox's webhooks go straight to the store's own webhook handler, signed as over HTTP.
  sandbox.setWebhookReceiver((delivery) => receivePaymentWebhook(ctx, 'sandbox', delivery));
  app.addHook('onClose', () => sandbox.drain());

  const missing = (req: FastifyRequest, reply: FastifyReply) =>
    sendPage(ctx, req, reply, { title: 'Payment not found', main: render(<NotFoundView what="payment" />), noindex: true }, 404);

  async function page(req: FastifyRequest, reply: FastifyReply, sessionId: string, extra: Partial<SandboxPayProps> = {}, status = 200) {
    const session = await sandbox.session(sessionId);
    if (!session) return missing(req, reply);
    if (session.status !== 'open' && session.status !== 'awaiting_3ds') return reply.header('cache-control', 'no-store').redirect(session.returnUrl, 303);
    const props: SandboxPayProps = {
      id: session.id,
      amount: formatMoney(session.amount, session.currency),
      description: session.description,
      cancelUrl: session.cancelUrl,
      failure: session.declineCode ? extra.failure : undefined,
      errors: {},
      ...extra,
    };
    const main = render(session.status === 'awaiting_3ds' ? <SandboxThreeDsView {...props} /> : <SandboxPayView {...props} />);
    return sendPage(ctx, req, reply, { title: 'Pay (sandbox)', main, noindex: true }, status);
  }

  function answer(req: FastifyRequest, reply: FastifyReply, sessionId: string, outcome: SandboxPayOutcome) {
    switch (outcome.kind) {
      case 'paid':
      case 'closed':
        return reply.header('cache-control', 'no-store').redirect(outcome.returnUrl, 303);
      case 'needs_3ds':
        return reply.header('cache-control', 'no-store').redirect(`/sandbox/pay/${sessionId}`, 303);
      case 'declined':
        return page(req, reply, sessionId, { failure: outcome.message, errors: outcome.fields ?? {} }, outcome.fields ? 422 : 402);
    }
  }

  app.get('/sandbox/pay/:id', { schema: { hide: true } }, async (req, reply) => {
    const parsed = id.safeParse(req.params);
    return parsed.success ? page(req, reply, parsed.data.id) : missing(req, reply);
  });

  app.post('/sandbox/pay/:id', { preHandler: sameOriginOnly, schema: { hide: true } }, async (req, reply) => {
    const parsed = id.safeParse(req.params);
    if (!parsed.success) return missing(req, reply);
    const form = cardForm.catch({ cardNumber: '', expiry: '', cvc: '' }).parse(req.body ?? {});
    const { month, year } = parseExpiry(form.expiry);
    const outcome = await sandbox.pay(parsed.data.id, { number: form.cardNumber, expMonth: month, expYear: year, cvc: form.cvc });
    return answer(req, reply, parsed.data.id, outcome);
  });

  app.post('/sandbox/pay/:id/authenticate', { preHandler: sameOriginOnly, schema: { hide: true } }, async (req, reply) => {
    const parsed = id.safeParse(req.params);
    if (!parsed.success) return missing(req, reply);
    const approve = z.object({ decision: z.enum(['approve', 'decline']).catch('decline') }).catch({ decision: 'decline' as const }).parse(req.body ?? {}).decision === 'approve';
    return answer(req, reply, parsed.data.id, await sandbox.authenticate(parsed.data.id, approve));
  });
}
