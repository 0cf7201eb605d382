// /admin/stock (stock.adjust): low stock first, every variant, and one variant's page where
// staff add or remove units or set a counted quantity — always with a reason — and read its
// stock ledger.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { changeStock, listStock, lowStock, stockChangeProblems, stockLedgerOf, stockRow, type StaffStockChange } from '../../domain/inventory/stock-admin.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { can } from '../../domain/staff/roles.ts';
import { render } from '../pages/html.tsx';
import { requireStaff } from './auth.ts';
import { csrfField, flash, sendAdminPage } from './admin-layout.tsx';
import { refusalOf } from './form-errors.ts';
import { text, type FormErrors, type FormValues } from './views/form.tsx';
import { when } from './views/display.tsx';
import { StockListView, VariantNotFoundView, VariantStockView, type VariantStockData } from './views/stock-views.tsx';

const PAGE_SIZE = 50;

type SkuParams = { Params: { sku: string } };

export async function adminStockPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const guard = { preHandler: requireStaff(ctx, 'stock.adjust') };
  const at = (d: Date) => when(d, ctx.settings().serviceHours.timeZone, ctx.clock.now());

  app.get<{ Querystring: { q?: string; page?: string } }>('/admin/stock', guard, async (req, reply) => {
    const q = String(req.query.q ?? '').slice(0, 100).trim();
    const page = Math.min(10_000, Math.max(1, Math.floor(Number(req.query.page)) || 1));
    const threshold = ctx.settings().lowStockThreshold;
    const low = await lowStock(ctx.db, threshold);
    const list = await listStock(ctx.db, { q, page, limit: PAGE_SIZE });
    const main = render(<StockListView low={low} list={list} threshold={threshold} q={q} page={page} limit={PAGE_SIZE} at={at} canEditSettings={can(req.staff.role, 'settings.edit')} />);
    return sendAdminPage(ctx, req, reply, { title: 'Stock', active: 'stock', main });
  });

  async function variantPage(req: FastifyRequest, reply: FastifyReply, sku: string, refused?: VariantStockData['refused'], status = 200) {
    const row = await stockRow(ctx.db, sku).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'not_found') return undefined;
      throw err;
    });
    if (!row) return sendAdminPage(ctx, req, reply, { title: 'Variant not found', active: 'stock', main: render(<VariantNotFoundView sku={sku} />), status: 404 });
    const ledger = await stockLedgerOf(ctx.db, sku);
    const main = render(
      <VariantStockView
        row={row}
        ledger={ledger}
        threshold={ctx.settings().lowStockThreshold}
        csrf={csrfField(req)}
        at={at}
        refused={refused}
        canEditCatalog={can(req.staff.role, 'catalog.edit')}
      />,
    );
    return sendAdminPage(ctx, req, reply, { title: `Stock ${row.sku}`, active: 'stock', main, status });
  }

  app.get<SkuParams>('/admin/stock/:sku', guard, async (req, reply) => variantPage(req, reply, req.params.sku.slice(0, 64)));

  /** Reads a form's whole number ("+12", "-3", "40"); what is not one is reported under `field`. */
  const wholeNumber = (form: FormValues, field: string, errors: FormErrors): number => {
    const raw = text(form, field).trim().replace(/^\+/, '');
    if (/^-?\d{1,7}$/.test(raw)) return Number(raw);
    errors[field] = raw ? 'Enter a whole number of units, like 12 or -3.' : 'Enter a number of units.';
    return NaN;
  };

  for (const mode of ['adjust', 'set'] as const) {
    app.post<SkuParams>(`/admin/stock/:sku/${mode}`, guard, async (req, reply) => {
      const sku = req.params.sku.slice(0, 64);
      const form = (req.body ?? {}) as FormValues;
      const errors: FormErrors = {};
      // The two forms share a page, so the counted-quantity form names its reason field apart.
      const reasonField = mode === 'set' ? 'countReason' : 'reason';
      const reason = text(form, reasonField);
      const named = (e: FormErrors): FormErrors => Object.fromEntries(Object.entries(e).map(([k, v]) => [k === 'reason' ? reasonField : k, v]));
      const change: StaffStockChange =
        mode === 'set'
          ? { sku, mode: 'set', quantity: wholeNumber(form, 'quantity', errors), reason }
          : { sku, mode: 'delta', delta: wholeNumber(form, 'delta', errors), kind: text(form, 'kind'), reason };
      if (Object.keys(errors).length) return variantPage(req, reply, sku, { form: mode, values: form, errors: { ...named(stockChangeProblems(change)), ...errors } }, 422);
      try {
        const done = await changeStock(ctx, req.staff.id, change);
        flash(reply, `${done.sku}: ${done.delta > 0 ? `+${done.delta}` : done.delta} — now ${done.stockAfter} in stock.`);
        return reply.redirect(`/admin/stock/${encodeURIComponent(done.sku)}`, 303);
      } catch (err) {
        const refused = refusalOf(err, reply);
        if (!refused) throw err;
        return variantPage(req, reply, sku, { form: mode, values: form, errors: named(refused.fields), message: refused.message }, refused.status);
      }
    });
  }
}
