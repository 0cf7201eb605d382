// Back-office order pages: the queue (+ CSV export), one order with its actions, the pick
// list and packing slip. Forms post, then redirect with a notice (post → redirect → get);
// a refused action re-renders the order page with the reason or the field errors.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { getOrderDetail, isQueueFilter, listOrderPage, listOrders, type OrderListQuery, type QueueFilter } from '../../domain/orders/order-queries.ts';
import { addNote, addShipment, transitionOrder } from '../../domain/orders/order-service.ts';
import { TRANSITION_PERMISSION } from '../../domain/orders/order-permissions.ts';
import { TRANSITIONS, isOrderStatus, type OrderStatus } from '../../domain/orders/order-states.ts';
import { retryRefund } from '../../domain/payments/refund-service.ts';
import { issueGoodwillRefund } from '../../domain/payments/goodwill-refund.ts';
import { captureByStaff } from '../../domain/payments/capture-service.ts';
import { PERMISSIONS, ROLES, can, type Permission } from '../../domain/staff/roles.ts';
import { staffActor } from '../../domain/staff/staff-service.ts';
import { formatMoney } from '../../domain/shared/money.ts';
import { DomainError, notFound, validationFailed } from '../../domain/shared/errors.ts';
import { carrierLabel } from '../../domain/shipments/carriers.ts';
import { buyLabel, carrierOfLabel, labelPdf, linesLeftForLabel, orderLabels, quoteLabel } from '../../domain/shipments/labels.ts';
import type { LabelItem } from '../../db/schema.ts';
import { render } from '../pages/html.tsx';
import { requireStaff } from './auth.ts';
import { csrfField, flash, sendAdminPage } from './admin-layout.tsx';
import { refusalOf } from './form-errors.ts';
import { toCsv } from './csv.ts';
import { centsOf } from './catalog-form.ts';
import { text, type FormValues } from './views/form.tsx';
import { ForbiddenView } from './views/auth-views.tsx';
import { STATUS_LABELS } from './views/display.tsx';
import type { OrderPageData } from './views/order/order-page-data.ts';
import { OrderNotFoundView, OrderView } from './views/order/order-view.tsx';
import { PackingSlipView, PickListView } from './views/order/printables.tsx';
import { QueueView } from './views/order/queue-view.tsx';

type Target = Exclude<OrderStatus, 'paid'>;
const isTarget = (s: string): s is Target => s !== 'paid' && isOrderStatus(s);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const QUEUE_PAGE_SIZE = 50;
/** A CSV export stops here; narrower filters give the rest. */
const CSV_MAX_ROWS = 20_000;
/** Orders per query of a CSV export. */
const CSV_BATCH = 500;

/** What the member sees after each move. */
const DONE: Record<Target, string> = {
  verified: 'verified',
  on_hold: 'put on hold',
  preparing: 'is being prepared — print the pick list',
  packed: 'packed — put the packing slip in the parcel',
  shipped: 'handed over to the carrier; the customer has been emailed',
  delivered: 'marked delivered; the customer has been emailed',
  cancelled: 'cancelled; the stock is back and the refund is on its way',
};

/** The hold and cancel forms name their reason field apart (one page, two fields). */
const REASON_FIELD: Partial<Record<Target, string>> = { on_hold: 'holdReason', cancelled: 'cancelReason' };

function queueQuery(raw: Record<string, string | undefined>): { filter: QueueFilter | 'all'; query: OrderListQuery } {
  const status = raw.status ?? 'open';
  const filter: QueueFilter | 'all' = status === 'all' ? 'all' : isQueueFilter(status) ? status : 'open';
  const page = Math.min(10_000, Math.max(1, Math.floor(Number(raw.page)) || 1));
  return {
    filter,
    query: { status: filter === 'all' ? undefined : filter, q: (raw.q ?? '').slice(0, 100).trim(), sku: (raw.sku ?? '').slice(0, 60).trim(), page, limit: QUEUE_PAGE_SIZE },
  };
}

export async function adminOrderPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const view = { preHandler: requireStaff(ctx, 'orders.view') };
  const zone = () => ctx.settings().serviceHours.timeZone;

  const forbidden = (req: FastifyRequest, reply: FastifyReply, permission: Permission) =>
    sendAdminPage(ctx, req, reply, { title: 'Not allowed', main: render(ForbiddenView({ role: ROLES[req.staff.role].label, what: PERMISSIONS[permission].label })), status: 403 });

  /** The order, or a back-office "no such order" page (never the JSON error). */
  async function findOrder(req: FastifyRequest, reply: FastifyReply, number: string) {
    try {
      return await getOrderDetail(ctx.db, number);
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'not_found')) throw err;
      await sendAdminPage(ctx, req, reply, { title: 'Order not found', active: 'orders', main: render(<OrderNotFoundView number={number} />), status: 404 });
      return undefined;
    }
  }

  async function orderPage(req: FastifyRequest, reply: FastifyReply, number: string, refused?: OrderPageData['refused'], status = 200) {
    const detail = await findOrder(req, reply, number);
    if (!detail) return reply;
    const current = detail.order.status as OrderStatus;
    const actions = (TRANSITIONS[current] ?? []).filter((to): to is Target => isTarget(to) && can(req.staff.role, TRANSITION_PERMISSION[to]));
    const labels = await orderLabels(ctx, detail.order.id);
    const lines = await linesLeftForLabel(ctx.db, detail.order.id);
    const waiting = labels.find((l) => l.status === 'purchased' && !l.shipmentId && l.trackingNumber);
    const data: OrderPageData = {
      labelPanel:
        ctx.shipping.buysLabels || labels.length
          ? {
              labels,
              packages: ctx.settings().parcels.packages,
              lines,
              canEditPackages: can(req.staff.role, 'settings.edit'),
              canQuote: ctx.shipping.buysLabels && can(req.staff.role, 'orders.process') && ['packed', 'shipped'].includes(current) && lines.some((l) => l.left > 0),
            }
          : undefined,
      handoverLabel: waiting ? { carrier: carrierOfLabel(waiting.carrier ?? ''), trackingNumber: waiting.trackingNumber! } : undefined,
      detail,
      actions,
      canNote: can(req.staff.role, 'notes.write'),
      canRetryRefunds: can(req.staff.role, 'refunds.issue'),
      canEdit: can(req.staff.role, 'orders.edit'),
      csrf: csrfField(req),
      now: ctx.clock.now(),
      timeZone: zone(),
      refused,
    };
    return sendAdminPage(ctx, req, reply, { title: `Order ${detail.order.number}`, active: 'orders', main: render(<OrderView {...data} />), status });
  }

  /** Runs a form action; a refusal a person can act on is shown on the order page, anything else is an error. */
  async function act(req: FastifyRequest, reply: FastifyReply, number: string, action: string, run: () => Promise<string>, fieldMap: Record<string, string> = {}) {
    const values = (req.body ?? {}) as FormValues;
    try {
      const done = await run();
      flash(reply, done);
      return reply.redirect(`/admin/orders/${encodeURIComponent(number)}`, 303);
    } catch (err) {
      // The shipping or payment provider not answering is something staff can retry, not a crash.
      const refused = refusalOf(err, reply) ?? (err instanceof DomainError && err.code === 'unavailable' ? { status: 503, fields: {}, message: err.message } : undefined);
      if (!refused) throw err;
      const errors = Object.fromEntries(Object.entries(refused.fields).map(([k, v]) => [fieldMap[k] ?? k, v]));
      return orderPage(req, reply, number, { action, message: refused.message, errors, values }, refused.status);
    }
  }

  app.get<{ Querystring: Record<string, string | undefined> }>('/admin/orders', view, async (req, reply) => {
    const { filter, query } = queueQuery(req.query);
    const list = await listOrders(ctx.db, query);
    const main = render(<QueueView list={list} filter={filter} q={query.q ?? ''} sku={query.sku ?? ''} page={query.page} limit={query.limit} now={ctx.clock.now()} timeZone={zone()} />);
    return sendAdminPage(ctx, req, reply, { title: 'Orders', active: 'orders', main });
  });

  app.get<{ Querystring: Record<string, string | undefined> }>('/admin/orders.csv', view, async (req, reply) => {
    const { filter, query } = queueQuery(req.query);
    const rows: (string | number)[][] = [];
    let after: string | undefined;
    // Each batch starts after the last order of the one before: by page number every batch
    // would read and skip all the rows before it again.
    do {
      const batch = await listOrderPage(ctx.db, { ...query, page: 1, limit: CSV_BATCH, after });
      for (const o of batch.items) {
        rows.push([
          o.number,
          STATUS_LABELS[o.status],
          o.createdAt.toISOString(),
          o.customerName,
          o.email,
          o.itemCount,
          o.items.map((i) => `${i.quantity} x ${i.sku}`).join('; '),
          (o.total / 100).toFixed(2),
          o.currency,
          // New columns go last, so a spreadsheet reading the columns by position keeps working.
          (o.discount / 100).toFixed(2),
          o.discountCode ?? '',
        ]);
      }
      after = batch.nextCursor ?? undefined;
    } while (after && rows.length < CSV_MAX_ROWS);
    const name = `orders-${filter}-${ctx.clock.now().toISOString().slice(0, 10)}.csv`;
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${name}"`)
      .type('text/csv; charset=utf-8')
      .send(toCsv(['Order', 'Stage', 'Paid at (UTC)', 'Customer', 'Email', 'Units', 'Items', 'Total', 'Currency', 'Discount', 'Discount code'], rows));
  });

  app.get<{ Params: { number: string } }>('/admin/orders/:number', view, async (req, reply) => orderPage(req, reply, req.params.number));

  app.post<{ Params: { number: string } }>('/admin/orders/:number/transitions', view, async (req, reply) => {
    const form = (req.body ?? {}) as FormValues;
    const to = text(form, 'to');
    if (!isTarget(to)) return orderPage(req, reply, req.params.number, { action: to, message: 'Choose one of the actions offered.', errors: {}, values: form }, 422);
    const permission = TRANSITION_PERMISSION[to];
    if (!can(req.staff.role, permission)) return forbidden(req, reply, permission);
    const reasonField = REASON_FIELD[to];
    const fields = { carrier: text(form, 'carrier'), trackingNumber: text(form, 'trackingNumber'), reason: reasonField ? text(form, reasonField) : undefined };
    return act(
      req,
      reply,
      req.params.number,
      to,
      async () => {
        const { order, shipment } = await transitionOrder(ctx, req.params.number, to, staffActor(req.staff), fields);
        const parcel = shipment ? ` (${carrierLabel(shipment.carrier)} ${shipment.trackingNumber})` : '';
        return `Order ${order.number} ${DONE[to]}${parcel}.`;
      },
      reasonField ? { reason: reasonField } : {},
    );
  });

  app.post<{ Params: { number: string } }>('/admin/orders/:number/shipments', view, async (req, reply) => {
    if (!can(req.staff.role, 'orders.process')) return forbidden(req, reply, 'orders.process');
    const form = (req.body ?? {}) as FormValues;
    return act(req, reply, req.params.number, 'add-shipment', async () => {
      const { shipment } = await addShipment(ctx, req.params.number, staffActor(req.staff), { carrier: text(form, 'carrier'), trackingNumber: text(form, 'trackingNumber') });
      return `Shipment added: ${carrierLabel(shipment!.carrier)} ${shipment!.trackingNumber}. The customer has been emailed.`;
    });
  });

  // Labels through the shipping provider: quote a parcel, buy one of its rates, print the PDF.
  app.post<{ Params: { number: string } }>('/admin/orders/:number/labels', view, async (req, reply) => {
    if (!can(req.staff.role, 'orders.process')) return forbidden(req, reply, 'orders.process');
    const form = (req.body ?? {}) as FormValues;
    const items: LabelItem[] = Object.keys(form)
      .filter((k) => k.startsWith('items.'))
      .map((k) => ({ orderItemId: k.slice('items.'.length), quantity: /^\s*\d{1,5}\s*$/.test(text(form, k)) ? Number(text(form, k)) : -1 }));
    return act(req, reply, req.params.number, 'label', async () => {
      const r = await quoteLabel(ctx, req.params.number, staffActor(req.staff), { packageName: text(form, 'package'), items: items.length ? items : undefined });
      return r.kind === 'held' ? `Order put on hold: ${r.reason} Fix the address, then verify the order again.` : 'Rates are in: choose one and buy the label.';
    });
  });

  app.post<{ Params: { number: string; id: string } }>('/admin/orders/:number/labels/:id/buy', view, async (req, reply) => {
    if (!can(req.staff.role, 'orders.process')) return forbidden(req, reply, 'orders.process');
    const form = (req.body ?? {}) as FormValues;
    return act(req, reply, req.params.number, 'buy-label', async () => {
      if (!UUID.test(req.params.id)) throw notFound('Label');
      const { label, alreadyBought } = await buyLabel(ctx, req.params.number, req.params.id, text(form, 'rateId'), staffActor(req.staff));
      const what = `${label.carrier} ${label.service} label ${label.trackingNumber}`;
      return alreadyBought ? `The ${what} was already bought; nothing was bought again.` : `Bought the ${what}. Print it, stick it on the parcel, then hand the parcel over.`;
    });
  });

  app.get<{ Params: { number: string; id: string } }>('/admin/orders/:number/labels/:id/label.pdf', view, async (req, reply) => {
    const pdf = await labelPdf(ctx, req.params.number, req.params.id);
    if (!pdf) return reply.code(404).type('text/plain; charset=utf-8').send('No such label.');
    return reply
      .header('cache-control', 'private, no-store')
      .header('content-disposition', `inline; filename="label-${req.params.number}.pdf"`)
      .type('application/pdf')
      .send(pdf);
  });

  app.post<{ Params: { number: string } }>('/admin/orders/:number/notes', view, async (req, reply) => {
    if (!can(req.staff.role, 'notes.write')) return forbidden(req, reply, 'notes.write');
    const form = (req.body ?? {}) as FormValues;
    return act(req, reply, req.params.number, 'note', async () => {
      await addNote(ctx, req.params.number, staffActor(req.staff), text(form, 'text'));
      return 'Note added.';
    });
  });

  app.post<{ Params: { number: string; id: string } }>('/admin/orders/:number/refunds/:id/retry', { preHandler: requireStaff(ctx, 'refunds.issue') }, async (req, reply) => {
    return act(req, reply, req.params.number, 'refund', async () => {
      if (!UUID.test(req.params.id)) throw notFound('Refund');
      const refund = await retryRefund(ctx, req.params.id, staffActor(req.staff));
      const amount = formatMoney(refund.amount, refund.currency);
      return refund.status === 'succeeded' ? `Refund of ${amount} sent.` : `Refund of ${amount} is still ${refund.status}: ${refund.lastError ?? 'see below'}.`;
    });
  });

  app.post<{ Params: { number: string }; Body: FormValues }>('/admin/orders/:number/refunds', { preHandler: requireStaff(ctx, 'refunds.issue') }, async (req, reply) => {
    return act(req, reply, req.params.number, 'goodwill-refund', async () => {
      const form = req.body ?? {};
      const amount = centsOf(text(form, 'amount'), '5.00');
      if (typeof amount === 'string') throw validationFailed({ amount }, 'The refund was not made.');
      const refund = await issueGoodwillRefund(ctx, req.params.number, { amount, reason: text(form, 'reason'), idempotencyKey: text(form, 'idempotencyKey') }, staffActor(req.staff));
      const sum = formatMoney(refund.amount, refund.currency);
      return refund.status === 'succeeded' ? `Refund of ${sum} sent; the customer gets the refund email.` : `Refund of ${sum} is ${refund.status}: ${refund.lastError ?? 'it is retried by itself'}.`;
    });
  });

  // Capture an authorized payment now (the store captures at handover, and staff want the money earlier, or the authorization is about to lapse).
  app.post<{ Params: { number: string } }>('/admin/orders/:number/capture', { preHandler: requireStaff(ctx, 'refunds.issue') }, async (req, reply) => {
    return act(req, reply, req.params.number, 'capture', async () => {
      const done = await captureByStaff(ctx, req.params.number, staffActor(req.staff));
      return done.status === 'captured' ? `Payment of ${formatMoney(done.amount, ctx.settings().currency)} captured.` : 'Nothing was left to capture: the authorization was released.';
    });
  });

  app.get<{ Params: { number: string } }>('/admin/orders/:number/pick-list', view, async (req, reply) => {
    const detail = await findOrder(req, reply, req.params.number);
    if (!detail) return reply;
    const main = render(<PickListView detail={detail} settings={ctx.settings()} now={ctx.clock.now()} timeZone={zone()} />);
    return sendAdminPage(ctx, req, reply, { title: `Pick list ${detail.order.number}`, active: 'orders', main });
  });

  app.get<{ Params: { number: string } }>('/admin/orders/:number/packing-slip', view, async (req, reply) => {
    const detail = await findOrder(req, reply, req.params.number);
    if (!detail) return reply;
    const main = render(<PackingSlipView detail={detail} settings={ctx.settings()} now={ctx.clock.now()} timeZone={zone()} />);
    return sendAdminPage(ctx, req, reply, { title: `Packing slip ${detail.order.number}`, active: 'orders', main });
  });
}
