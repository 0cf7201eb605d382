// /admin/reports/tax: sales tax collected per state and month, on screen and as CSV for the
// accountant (owner only). The CSV's tax column adds up to the orders' tax to the cent.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import type { AppContext } from '../../context.ts';
import { monthsPeriod, taxByStateAndMonth, type TaxMonthRow } from '../../domain/reporting/tax-report.ts';
import { formatMoney } from '../../domain/shared/money.ts';
import { render } from '../pages/html.tsx';
import { sendAdminPage } from './admin-layout.tsx';
import { requireStaff } from './auth.ts';
import { toCsv } from './csv.ts';

type Query = { from?: string; to?: string };

const CSV_HEADER = ['Month', 'State', 'Orders', 'Goods sold', 'Shipping charged', 'Taxable amount', 'Tax charged', 'of which on shipping', 'Tax refunded', 'Net tax', 'Currency'];

export async function taxReportPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const guard = { preHandler: requireStaff(ctx, 'reports.tax') };

  /** The months asked for (default: this month), or a message saying what is wrong. */
  function period(q: Query) {
    const timeZone = ctx.settings().serviceHours.timeZone;
    const thisMonth = DateTime.fromJSDate(ctx.clock.now(), { zone: timeZone }).toFormat('yyyy-MM');
    const from = q.from || thisMonth;
    const to = q.to || from;
    const span = monthsPeriod(from, to, timeZone);
    return { from, to, timeZone, span, error: span ? undefined : 'Choose months as YYYY-MM, the first not after the last.' };
  }

  async function report(req: FastifyRequest<{ Querystring: Query }>, reply: FastifyReply, csv: boolean) {
    const p = period(req.query);
    const rows = p.span ? await taxByStateAndMonth(ctx.db, p.span, p.timeZone) : [];
    if (csv && p.span) {
      const d = (n: number) => (n / 100).toFixed(2);
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="sales-tax-${p.from}${p.to !== p.from ? `-to-${p.to}` : ''}.csv"`)
        .type('text/csv; charset=utf-8')
        .send(
          toCsv(
            CSV_HEADER,
            rows.map((r) => [r.month, r.state, r.orders, d(r.sales), d(r.shipping), d(r.taxable), d(r.tax), d(r.shippingTax), d(r.refundedTax), d(r.netTax), ctx.settings().currency]),
          ),
        );
    }
    const main = render(<TaxReportView from={p.from} to={p.to} rows={rows} error={p.error} currency={ctx.settings().currency} />);
    return sendAdminPage(ctx, req, reply, { title: 'Sales tax by state', active: 'dashboard', main, status: p.error ? 422 : 200 });
  }

  app.get<{ Querystring: Query }>('/admin/reports/tax', guard, (req, reply) => report(req, reply, false));
  app.get<{ Querystring: Query }>('/admin/reports/tax.csv', guard, (req, reply) => report(req, reply, true));
}

function TaxReportView({ from, to, rows, error, currency }: { from: string; to: string; rows: TaxMonthRow[]; error?: string; currency: string }) {
  const m = (n: number) => formatMoney(n, currency);
  const total = rows.reduce((n, r) => n + r.netTax, 0);
  return (
    <>
      <h1>Sales tax by state</h1>
      <p class="hint">Per month in the shop’s time zone: tax charged on the orders placed that month (cancelled orders left out) and tax given back by refunds made that month.</p>
      <form method="get" action="/admin/reports/tax" class="filters">
        <div class="field">
          <label for="from">From month</label>
          <input id="from" name="from" type="month" value={from} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'period-error' : undefined} />
        </div>
        <div class="field">
          <label for="to">To month</label>
          <input id="to" name="to" type="month" value={to} />
        </div>
        <button type="submit">Show</button>
        {error ? null : (
          <a class="button secondary" href={`/admin/reports/tax.csv?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`}>
            Download CSV
          </a>
        )}
      </form>
      {error ? (
        <p class="field-error" id="period-error" role="alert">
          {error}
        </p>
      ) : rows.length === 0 ? (
        <p class="empty">No taxed sales or refunds in this period.</p>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Sales tax per state and month</caption>
            <thead>
              <tr>
                {['Month', 'State', 'Orders', 'Taxable', 'Tax charged', 'On shipping', 'Refunded', 'Net tax'].map((h) => (
                  <th scope="col">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>{r.month}</td>
                  <td>{r.state}</td>
                  <td class="num">{r.orders}</td>
                  <td class="num">{m(r.taxable)}</td>
                  <td class="num">{m(r.tax)}</td>
                  <td class="num">{m(r.shippingTax)}</td>
                  <td class="num">{m(r.refundedTax)}</td>
                  <td class="num">{m(r.netTax)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colspan={7}>
                  Net tax, all states
                </th>
                <td class="num">{m(total)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </>
  );
}
