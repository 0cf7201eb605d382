// The order-edit screen: GET shows the form, POST with intent=preview plans and shows the
// result, intent=confirm applies it (idempotent by the form's key). Errors land next to the
// field that caused them, with everything typed kept.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { applyStaffEdit, previewStaffEdit, type EditPreview } from '../../domain/edits/order-edits.ts';
import type { EditLine, EditRequest } from '../../domain/edits/edit-plan.ts';
import { getOrderDetail } from '../../domain/orders/order-queries.ts';
import { staffActor } from '../../domain/staff/staff-service.ts';
import { formatMoney } from '../../domain/shared/money.ts';
import { render } from '../pages/html.tsx';
import { csrfField, flash, sendAdminPage } from './admin-layout.tsx';
import { requireStaff } from './auth.ts';
import { centsOf } from './catalog-form.ts';
import { refusalOf } from './form-errors.ts';
import { text, type FormErrors, type FormValues } from './views/form.tsx';
import { ADD_ROWS, editFormValues, OrderEditView } from './views/order/edit-view.tsx';

/** The form as an edit request, the field names of each request item, and what could not even be read. */
export function formToEdit(form: FormValues, lines: EditLine[]): { req: EditRequest; names: string[]; errors: FormErrors } {
  const errors: FormErrors = {};
  const names: string[] = [];
  const items: NonNullable<EditRequest['items']> = [];
  const whole = (name: string) => {
    const v = text(form, name).trim();
    if (/^\d{1,3}$/.test(v)) return Number(v);
    errors[name] = 'Enter a whole number of units.';
    return 0;
  };
  lines.forEach((l, i) => {
    const price = centsOf(text(form, `items.${i}.unitPrice`), (l.unitPrice / 100).toFixed(2));
    if (typeof price === 'string') errors[`items.${i}.unitPrice`] = price;
    items.push({ sku: l.sku, quantity: whole(`items.${i}.quantity`), unitPrice: typeof price === 'string' ? l.unitPrice : price, priceReason: text(form, `items.${i}.priceReason`) });
    names.push(`items.${i}`);
  });
  for (let j = 0; j < ADD_ROWS; j++) {
    const sku = text(form, `add.${j}.sku`).trim();
    if (!sku) continue;
    items.push({ sku, quantity: whole(`add.${j}.quantity`) });
    names.push(`add.${j}`);
  }
  const address = Object.fromEntries(['name', 'line1', 'line2', 'city', 'state', 'postalCode'].map((k) => [k, text(form, `shippingAddress.${k}`)]));
  return { req: { shippingAddress: { ...address, country: 'US' }, items }, names, errors };
}

export async function orderEditPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const guard = { preHandler: requireStaff(ctx, 'orders.edit') };

  async function page(req: FastifyRequest, reply: FastifyReply, number: string, state: { values?: FormValues; errors?: FormErrors; message?: string; preview?: EditPreview }, status = 200) {
    const detail = await getOrderDetail(ctx.db, number);
    const lines = detail.items;
    const main = render(
      <OrderEditView
        order={detail.order}
        lines={lines}
        values={state.values ?? editFormValues(detail.order, lines)}
        errors={state.errors ?? {}}
        message={state.message}
        plan={state.preview?.plan}
        csrf={csrfField(req)}
      />,
    );
    return sendAdminPage(ctx, req, reply, { title: `Edit order ${detail.order.number}`, active: 'orders', main, status });
  }

  app.get<{ Params: { number: string } }>('/admin/orders/:number/edit', guard, (req, reply) => page(req, reply, req.params.number, {}));

  app.post<{ Params: { number: string }; Body: FormValues }>('/admin/orders/:number/edit', guard, async (req, reply) => {
    const values = req.body ?? {};
    const detail = await getOrderDetail(ctx.db, req.params.number);
    const { req: edit, names, errors } = formToEdit(values, detail.items);
    if (Object.keys(errors).length) return page(req, reply, req.params.number, { values, errors }, 422);
    try {
      if (text(values, 'intent') !== 'confirm') return page(req, reply, req.params.number, { values, preview: await previewStaffEdit(ctx, req.params.number, edit) });
      const done = await applyStaffEdit(ctx, req.params.number, edit, staffActor(req.staff), text(values, 'idempotencyKey'));
      flash(reply, `Order edited${done.refund ? `; ${formatMoney(done.refund.amount, done.refund.currency)} refunded` : ''}. The customer has been emailed the changes.`);
      return reply.redirect(`/admin/orders/${encodeURIComponent(done.order.number)}`, 303);
    } catch (err) {
      const refused = refusalOf(err, reply);
      if (!refused) throw err;
      // The plan names request items by position; show each error on its form row.
      const fields = Object.fromEntries(Object.entries(refused.fields).map(([k, v]) => [k.replace(/^items\.(\d+)/, (_, i: string) => names[Number(i)] ?? `items.${i}`), v]));
      return page(req, reply, req.params.number, { values, errors: fields, message: refused.message }, refused.status);
    }
  });
}
