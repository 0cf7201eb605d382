// Back-office after-sales pages (permission returns.manage): the list by status, one case
// with only the actions allowed now, and the customer's photos — served here, to signed-in
// staff only, never under a public URL. Forms post, then redirect with a notice; a refused
// action shows the case page again with the reason or the field errors.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { getReturn, isReturnFilter, listReturns, returnPhoto } from '../../domain/returns/return-queries.ts';
import { receiveReturn } from '../../domain/returns/return-receipt.ts';
import { approveReturn, declineReturn } from '../../domain/returns/return-review.ts';
import { findReturnCase } from '../../domain/returns/return-cases.ts';
import { attachReturnLabel, returnLabelOf } from '../../domain/shipments/return-labels.ts';
import { closeReturn, exchangeReturn, refundReturn } from '../../domain/returns/return-settlement.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { formatMoney } from '../../domain/shared/money.ts';
import { staffActor } from '../../domain/staff/staff-service.ts';
import { render } from '../pages/html.tsx';
import { requireStaff } from './auth.ts';
import { csrfField, flash, sendAdminPage } from './admin-layout.tsx';
import { refusalOf } from './form-errors.ts';
import { ReturnCaseView, ReturnNotFoundView, conditionField, type CasePageData } from './views/return-views.tsx';
import { ReturnListView } from './views/return-list-views.tsx';

const PAGE_SIZE = 50;

/** Form values as text (anything else is dropped). */
function formValues(body: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) if (typeof v === 'string' && k.length <= 100 && v.length <= 5000) values[k] = v;
  return values;
}

export async function adminReturnPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const manage = { preHandler: requireStaff(ctx, 'returns.manage') };
  const zone = () => ctx.settings().serviceHours.timeZone;

  async function casePage(req: FastifyRequest, reply: FastifyReply, ref: string, refused?: CasePageData['refused'], status = 200) {
    let detail;
    try {
      detail = await getReturn(ctx, ref);
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'not_found')) throw err;
      return sendAdminPage(ctx, req, reply, { title: 'Return not found', active: 'returns', main: render(<ReturnNotFoundView number={ref} />), status: 404 });
    }
    const label = await returnLabelOf(ctx, detail.returnCase.id);
    const returnLabel = { label, canAttach: ctx.shipping.buysLabels && detail.returnCase.status === 'approved' && detail.returnCase.type !== 'refund' };
    const data: CasePageData = { detail, csrf: csrfField(req), now: ctx.clock.now(), timeZone: zone(), windowDays: ctx.settings().returns.windowDays, returnLabel, refused };
    return sendAdminPage(ctx, req, reply, { title: `Return ${detail.returnCase.number}`, active: 'returns', main: render(<ReturnCaseView {...data} />), status });
  }

  /** Runs a case action; a refusal a person can act on is shown on the case page, anything else is an error. */
  function action(name: string, run: (ref: string, values: Record<string, string>, req: FastifyRequest) => Promise<string>) {
    app.post<{ Params: { number: string } }>(`/admin/returns/:number/${name}`, manage, async (req, reply) => {
      const values = formValues(req.body);
      try {
        const done = await run(req.params.number, values, req);
        flash(reply, done);
        return reply.redirect(`/admin/returns/${encodeURIComponent(req.params.number)}`, 303);
      } catch (err) {
        const refused = refusalOf(err, reply);
        if (!refused) throw err;
        // Field errors are shown next to their fields, with the domain's summary above the page.
        const message = refused.message ?? (err as DomainError).message;
        return casePage(req, reply, req.params.number, { action: name, message, errors: refused.fields, values }, refused.status);
      }
    });
  }

  app.get<{ Querystring: Record<string, string | undefined> }>('/admin/returns', manage, async (req, reply) => {
    const filter = isReturnFilter(req.query.status) ? req.query.status : 'open';
    const page = Math.min(10_000, Math.max(1, Math.floor(Number(req.query.page)) || 1));
    const list = await listReturns(ctx.db, { status: filter, page, limit: PAGE_SIZE });
    const main = render(<ReturnListView list={list} filter={filter} page={page} limit={PAGE_SIZE} now={ctx.clock.now()} timeZone={zone()} />);
    return sendAdminPage(ctx, req, reply, { title: 'Returns', active: 'returns', main });
  });

  app.get<{ Params: { number: string } }>('/admin/returns/:number', manage, async (req, reply) => casePage(req, reply, req.params.number));

  // Customer photos: only through this route, for staff who may handle returns; never cached by anyone else.
  app.get<{ Params: { number: string; index: string; size: string } }>('/admin/returns/:number/photos/:index/:size', manage, async (req, reply) => {
    const index = /^\d{1,2}$/.test(req.params.index) ? Number(req.params.index) : -1;
    const size = req.params.size === 'thumb' || req.params.size === 'large' ? req.params.size : undefined;
    const blob = index >= 0 && size ? await returnPhoto(ctx, req.params.number, index, size) : undefined;
    if (!blob) return reply.code(404).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('No such photo.');
    return reply.header('cache-control', 'private, no-store').header('x-content-type-options', 'nosniff').type(blob.contentType).send(blob.bytes);
  });

  action('approve', async (ref, values, req) => {
    const rc = await approveReturn(ctx, ref, staffActor(req.staff), { note: values.note });
    return rc.type === 'refund' ? `${rc.number} approved; the customer has been emailed. Refund it next.` : `${rc.number} approved; the customer has been emailed the RMA number and the return address.`;
  });

  action('return-label', async (ref, _values, req) => {
    const label = await attachReturnLabel(ctx, ref, staffActor(req.staff));
    return `Return label ${label.carrier} ${label.trackingNumber} bought; the customer has been emailed a link to print it.`;
  });

  app.get<{ Params: { number: string } }>('/admin/returns/:number/return-label.pdf', manage, async (req, reply) => {
    const rc = await findReturnCase(ctx.db, req.params.number);
    const label = rc ? await returnLabelOf(ctx, rc.id) : undefined;
    const blob = label?.labelKey ? await ctx.blobs.get(label.labelKey) : undefined;
    if (!blob) return reply.code(404).type('text/plain; charset=utf-8').send('No such label.');
    return reply.header('cache-control', 'private, no-store').header('content-disposition', 'inline; filename="return-label.pdf"').type('application/pdf').send(blob.bytes);
  });

  action('decline', async (ref, values, req) => {
    const rc = await declineReturn(ctx, ref, staffActor(req.staff), { reason: values.reason ?? '' });
    return `${rc.number} declined; the customer has been emailed the reason.`;
  });

  // One select per SKU, named as the domain names a missing condition (condition.<sku>), so errors land next to it.
  action('receive', async (ref, values, req) => {
    const prefix = conditionField('');
    const items = Object.entries(values)
      .filter(([k, v]) => k.startsWith(prefix) && v !== '')
      .map(([k, v]) => ({ sku: k.slice(prefix.length), condition: v }));
    const rc = await receiveReturn(ctx, ref, staffActor(req.staff), { items });
    return `${rc.number} received: resellable items are back in stock, damaged ones written off.`;
  });

  action('refund', async (ref, _values, req) => {
    const { returnCase, refund, repeated } = await refundReturn(ctx, ref, staffActor(req.staff));
    if (!refund) return `${returnCase.number} settled: nothing was left to refund.`;
    const amount = formatMoney(refund.amount, refund.currency);
    if (repeated) return `${returnCase.number} was already refunded: ${amount} (${refund.status}).`;
    return refund.status === 'succeeded' ? `Refund of ${amount} sent for ${returnCase.number}; the customer has been emailed.` : `Refund of ${amount} for ${returnCase.number} is ${refund.status}: ${refund.lastError ?? 'it will be retried'}.`;
  });

  action('exchange', async (ref, _values, req) => {
    const { returnCase, replacement } = await exchangeReturn(ctx, ref, staffActor(req.staff));
    return `Replacement order ${replacement.number} created for ${returnCase.number}: it is in the order queue, waiting for verification.`;
  });

  action('close', async (ref, _values, req) => {
    const rc = await closeReturn(ctx, ref, staffActor(req.staff));
    return `${rc.number} closed.`;
  });
}
