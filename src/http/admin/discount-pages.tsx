// /admin/discounts (discounts.manage: owner and support): the list, "New discount", a
// discount's form (save) and "Deactivate". Every form posts back with per-field errors.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import type { AppContext } from '../../context.ts';
import { createDiscount, deactivateDiscount, findDiscount, listDiscounts, updateDiscount } from '../../domain/discounts/discount-admin.ts';
import type { DiscountRow } from '../../domain/discounts/discount-service.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { render } from '../pages/html.tsx';
import { csrfField, flash, sendAdminPage } from './admin-layout.tsx';
import { requireStaff } from './auth.ts';
import { discountFormValues, parseDiscountForm } from './discount-form.ts';
import { refusalOf } from './form-errors.ts';
import { DiscountFormView, DiscountListView } from './views/discount-views.tsx';
import type { FormErrors, FormValues } from './views/form.tsx';

type IdParams = { Params: { id: string } };

export async function adminDiscountPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const guard = { preHandler: requireStaff(ctx, 'discounts.manage') };
  const zone = () => ctx.settings().serviceHours.timeZone;
  const page = (req: FastifyRequest, reply: FastifyReply, title: string, main: string, status = 200) => sendAdminPage(ctx, req, reply, { title, active: 'discounts', main, status });
  const formPage = (req: FastifyRequest, reply: FastifyReply, d: { discount?: DiscountRow; values: FormValues; errors?: FormErrors; error?: string }, status = 200) =>
    page(req, reply, d.discount ? `Discount ${d.discount.code ?? d.discount.name}` : 'New discount', render(<DiscountFormView {...d} errors={d.errors ?? {}} csrf={csrfField(req)} />), status);
  const notFoundPage = (req: FastifyRequest, reply: FastifyReply) => formPage(req, reply, { values: { kind: 'percent', active: 'on' }, error: 'Discount was not found.' }, 404);

  /** Saves the form with `save`, or shows it again with what was wrong. */
  async function submit(req: FastifyRequest, reply: FastifyReply, discount: DiscountRow | undefined, save: (input: NonNullable<ReturnType<typeof parseDiscountForm>['input']>) => Promise<DiscountRow>) {
    const values = (req.body ?? {}) as FormValues;
    const parsed = parseDiscountForm(values, zone());
    if (!parsed.input) return formPage(req, reply, { discount, values, errors: parsed.errors }, 422);
    try {
      const saved = await save(parsed.input);
      flash(reply, `Discount ${saved.code ? saved.code.toUpperCase() : saved.name} saved.`);
      return reply.redirect('/admin/discounts', 303);
    } catch (err) {
      const refused = refusalOf(err, reply);
      if (!refused) throw err;
      return formPage(req, reply, { discount, values, errors: refused.fields, error: refused.message }, refused.status);
    }
  }

  const found = async (id: string) => findDiscount(ctx.db, id).catch((err: unknown) => (err instanceof DomainError && err.code === 'not_found' ? undefined : Promise.reject(err)));

  app.get('/admin/discounts', guard, async (req, reply) => {
    const day = (d: Date | null, last: boolean) => (d ? DateTime.fromJSDate(last ? new Date(d.getTime() - 1) : d, { zone: zone() }).toFormat('LLL d, yyyy') : '');
    return page(req, reply, 'Discounts', render(<DiscountListView items={await listDiscounts(ctx.db)} now={ctx.clock.now()} day={day} />));
  });
  app.get('/admin/discounts/new', guard, async (req, reply) => formPage(req, reply, { values: { kind: 'percent', active: 'on' } }));
  app.post('/admin/discounts', guard, async (req, reply) => submit(req, reply, undefined, (input) => createDiscount(ctx, input)));

  app.get<IdParams>('/admin/discounts/:id', guard, async (req, reply) => {
    const discount = await found(req.params.id);
    return discount ? formPage(req, reply, { discount, values: discountFormValues(discount, zone()) }) : notFoundPage(req, reply);
  });
  app.post<IdParams>('/admin/discounts/:id', guard, async (req, reply) => {
    const discount = await found(req.params.id);
    return discount ? submit(req, reply, discount, (input) => updateDiscount(ctx, discount.id, input)) : notFoundPage(req, reply);
  });
  app.post<IdParams>('/admin/discounts/:id/deactivate', guard, async (req, reply) => {
    const discount = await found(req.params.id);
    if (!discount) return notFoundPage(req, reply);
    await deactivateDiscount(ctx, discount.id);
    flash(reply, `Discount ${discount.code ? discount.code.toUpperCase() : discount.name} deactivated: no new order can use it.`);
    return reply.redirect('/admin/discounts', 303);
  });
}
