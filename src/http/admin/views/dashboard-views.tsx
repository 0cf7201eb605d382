// The dashboard: work waiting per stage (each a link to its queue tab), revenue today and
// this week, median time per stage, orders per day as a server-drawn SVG chart (with a text
// summary and the numbers as a table for screen readers and anyone who wants them), and
// returns and refunds per week and by reason.
import { DateTime } from 'luxon';
import type { Dashboard, DayCount, Revenue } from '../../../domain/reporting/dashboard-queries.ts';
import { ORDER_STATES, type OrderStatus } from '../../../domain/orders/order-states.ts';
import { formatMoney } from '../../../domain/shared/money.ts';
import { STATUS_LABELS, age, humanize } from './display.tsx';
import { NexusPanel } from './nexus-panel.tsx';
import type { NexusState } from '../../../domain/reporting/tax-report.ts';

/** What the time in each stage means to the people waiting on it. */
const STAGE_ROWS: { status: OrderStatus; label: string }[] = [
  { status: 'paid', label: 'Paid → verified' },
  { status: 'on_hold', label: 'On hold → released' },
  { status: 'verified', label: 'Verified → preparing' },
  { status: 'preparing', label: 'Preparing → packed' },
  { status: 'packed', label: 'Packed → handed to carrier' },
  { status: 'shipped', label: 'Shipped → delivered' },
];

export type DashboardData = { d: Dashboard; staffName: string; canSeeOrders: boolean; nexus?: NexusState[] };

export function DashboardView({ d, staffName, canSeeOrders, nexus }: DashboardData) {
  const local = (at: Date) => DateTime.fromJSDate(at, { zone: d.timeZone });
  const waitingTotal = d.waiting.reduce((n, w) => n + w.count, 0);
  return (
    <>
      <div class="page-head">
        <h1>Dashboard</h1>
        <p class="muted">
          Hello {staffName}. Figures as of {local(d.now).toFormat('ccc LLL d, h:mm a')} ({d.timeZone.replace(/_/g, ' ')}).
        </p>
      </div>

      <section class="panel" aria-labelledby="waiting-title">
        <h2 id="waiting-title">
          Waiting now <span class="muted">· {waitingTotal === 1 ? '1 order' : `${waitingTotal} orders`} not yet shipped</span>
        </h2>
        <ul class="plain stat-row">
          {d.waiting.map((w) => {
            const body = (
              <>
                <span class="stat-value">{w.count}</span>
                <span class="stat-label">{STATUS_LABELS[w.status]}</span>
              </>
            );
            return (
              <li class={`stat stat-${w.status.replace(/_/g, '-')}${w.count === 0 ? ' stat-zero' : ''}`} title={ORDER_STATES[w.status]}>
                {canSeeOrders ? (
                  <a href={`/admin/orders?status=${w.status}`}>{body}</a>
                ) : (
                  <span>{body}</span>
                )}
              </li>
            );
          })}
        </ul>
      </section>

      {d.openDisputes.length ? (
        <section class="panel alert-error" aria-labelledby="disputes-title">
          <h2 id="disputes-title">Open chargebacks · {d.openDisputes.length}</h2>
          <p>The cardholder's bank is disputing these payments. Send your evidence from the payment provider's dashboard before its deadline.</p>
          <ul>
            {d.openDisputes.map((x) => (
              <li>
                {canSeeOrders ? <a href={`/admin/orders/${x.orderNumber}`}>{x.orderNumber}</a> : x.orderNumber}: {formatMoney(x.amount, x.currency)}, {x.reason.replace(/_/g, ' ')} ({x.status.replace(/_/g, ' ')})
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <div class="admin-columns">
        <RevenueCard title="Today" period={local(d.today.from).toFormat('cccc, LLL d')} r={d.today} />
        <RevenueCard title="This week" period={`${local(d.week.from).toFormat('LLL d')} – ${local(d.week.to).minus({ days: 1 }).toFormat('LLL d')}`} r={d.week} />
      </div>

      <section class="panel" aria-labelledby="recovered-title">
        <h2 id="recovered-title">Recovered checkouts, last 30 days</h2>
        <p>
          <span class="stat-value">{formatMoney(d.recovered.total, 'USD')}</span> from {d.recovered.orders} {d.recovered.orders === 1 ? 'order' : 'orders'} placed after a cart reminder
          ({d.recovered.reminded} {d.recovered.reminded === 1 ? 'reminder' : 'reminders'} sent).
        </p>
      </section>

      <section class="panel" aria-labelledby="discounts-title">
        <h2 id="discounts-title">Discounts this week</h2>
        <p>
          <span class="stat-value">{formatMoney(d.discounts.amount, 'USD')}</span> given on {d.discounts.orders} {d.discounts.orders === 1 ? 'order' : 'orders'}.
        </p>
        {d.discounts.top.length ? (
          <table class="table">
            <caption class="visually-hidden">Discounts used most this week</caption>
            <thead>
              <tr>
                <th scope="col">Top codes</th>
                <th scope="col" class="num">
                  Orders
                </th>
                <th scope="col" class="num">
                  Given
                </th>
              </tr>
            </thead>
            <tbody>
              {d.discounts.top.map((x) => (
                <tr>
                  <td>{x.name}</td>
                  <td class="num">{x.orders}</td>
                  <td class="num">{formatMoney(x.amount, 'USD')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>

      {nexus ? <NexusPanel states={nexus} currency={d.today.currency} /> : null}

      <section class="panel" aria-labelledby="perday-title">
        <h2 id="perday-title">Orders per day, last {d.ordersPerDay.length} days</h2>
        <OrdersChart days={d.ordersPerDay} timeZone={d.timeZone} />
      </section>

      <div class="admin-columns">
        <section class="panel" aria-labelledby="stages-title">
          <h2 id="stages-title">Median time in each stage</h2>
          <p class="hint">Orders that left the stage in the last {d.stageDays} days. Working time counts only service hours.</p>
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Stage</th>
                  <th scope="col" class="num">
                    Median
                  </th>
                  <th scope="col" class="num">
                    Working time
                  </th>
                  <th scope="col" class="num">
                    Orders
                  </th>
                </tr>
              </thead>
              <tbody>
                {STAGE_ROWS.map(({ status, label }) => {
                  const s = d.stageDurations[status];
                  return (
                    <tr class={s ? undefined : 'row-muted'}>
                      <th scope="row">{label}</th>
                      <td class="num">{s ? age(s.medianMs) : '—'}</td>
                      <td class="num">{s?.medianWorkingMs !== undefined ? age(s.medianWorkingMs) : '—'}</td>
                      <td class="num">{s?.samples ?? 0}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>

        <AfterSales d={d} />
      </div>
    </>
  );
}

function RevenueCard({ title, period, r }: { title: string; period: string; r: Revenue }) {
  return (
    <section class="panel revenue" aria-label={`Revenue ${title.toLowerCase()}`}>
      <h2>
        {title} <span class="muted">· {period}</span>
      </h2>
      <p class="revenue-net">{formatMoney(r.net, r.currency)}</p>
      <dl class="kv">
        <dt>Orders</dt>
        <dd>{r.orders}</dd>
        <dt>Taken</dt>
        <dd>{formatMoney(r.gross, r.currency)}</dd>
        <dt>Refunded</dt>
        <dd>{r.refunded ? `− ${formatMoney(r.refunded, r.currency)}` : formatMoney(0, r.currency)}</dd>
      </dl>
    </section>
  );
}

/** A round step for the y axis so there are at most ~4 grid lines. */
function niceStep(max: number): number {
  if (max <= 4) return 1;
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power) as number;
}

/** Bars of orders per day. Presentation attributes only (the CSP forbids inline styles); colours come from admin.css. */
export function OrdersChart({ days, timeZone }: { days: DayCount[]; timeZone: string }) {
  const total = days.reduce((n, x) => n + x.orders, 0);
  const busiest = days.reduce((best, x) => (x.orders > best.orders ? x : best), days[0]!);
  const today = days[days.length - 1]!;
  const label = (date: string, fmt = 'LLL d') => DateTime.fromISO(date, { zone: timeZone }).toFormat(fmt);
  const summary =
    total === 0
      ? `No orders in the last ${days.length} days.`
      : `${total} ${total === 1 ? 'order' : 'orders'} in the last ${days.length} days, ${(total / days.length).toFixed(1)} a day on average. ` +
        `Busiest day: ${label(busiest.date, 'cccc LLL d')} with ${busiest.orders}. Today so far: ${today.orders}.`;

  const W = 900;
  const H = 220;
  const left = 34;
  const bottom = 26;
  const top = 10;
  const plotH = H - top - bottom;
  const step = niceStep(Math.max(1, busiest.orders));
  const yMax = Math.max(step, Math.ceil(busiest.orders / step) * step);
  const slot = (W - left) / days.length;
  const barW = Math.max(2, slot * 0.7);
  const y = (v: number) => top + plotH - (v / yMax) * plotH;
  const ticks = Array.from({ length: Math.floor(yMax / step) + 1 }, (_, i) => i * step);

  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="chart-title chart-desc" preserveAspectRatio="xMidYMid meet">
        <title id="chart-title">Orders per day</title>
        <desc id="chart-desc">{summary}</desc>
        {ticks.map((t) => (
          <g class="chart-grid">
            <line x1={left} x2={W} y1={y(t)} y2={y(t)} />
            <text x={left - 6} y={y(t) + 4} text-anchor="end">
              {t}
            </text>
          </g>
        ))}
        {days.map((x, i) => {
          const h = y(0) - y(x.orders);
          return (
            <g>
              <rect class={i === days.length - 1 ? 'chart-bar chart-today' : 'chart-bar'} x={left + i * slot + (slot - barW) / 2} y={y(x.orders)} width={barW} height={Math.max(h, x.orders ? 1 : 0)}>
                <title>
                  {label(x.date, 'ccc LLL d')}: {x.orders} {x.orders === 1 ? 'order' : 'orders'}
                </title>
              </rect>
              {i % 5 === (days.length - 1) % 5 ? (
                <text
                  class="chart-axis"
                  x={i === days.length - 1 ? W : left + i * slot + slot / 2}
                  y={H - 8}
                  text-anchor={i === days.length - 1 ? 'end' : 'middle'}
                >
                  {i === days.length - 1 ? 'Today' : label(x.date)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption class="hint">{summary}</figcaption>
      <details class="chart-data">
        <summary>Show the numbers</summary>
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Orders and takings per day</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col" class="num">
                  Orders
                </th>
                <th scope="col" class="num">
                  Taken
                </th>
              </tr>
            </thead>
            <tbody>
              {[...days].reverse().map((x) => (
                <tr>
                  <th scope="row">{label(x.date, 'ccc LLL d')}</th>
                  <td class="num">{x.orders}</td>
                  <td class="num">{formatMoney(x.gross)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

function AfterSales({ d }: { d: Dashboard }) {
  const weeks = d.afterSalesPerWeek;
  const any = weeks.some((w) => w.returns || w.refunds);
  const weekLabel = (iso: string) => DateTime.fromISO(iso, { zone: d.timeZone }).toFormat('LLL d');
  return (
    <section class="panel" aria-labelledby="aftersales-title">
      <h2 id="aftersales-title">Returns and refunds, last {weeks.length} weeks</h2>
      {!any ? (
        <p class="empty-note">No returns opened and no refunds paid in the last {weeks.length} weeks.</p>
      ) : (
        <>
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Week of</th>
                  <th scope="col" class="num">
                    Returns opened
                  </th>
                  <th scope="col" class="num">
                    Refunds
                  </th>
                  <th scope="col" class="num">
                    Refunded
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...weeks].reverse().map((w) => (
                  <tr class={w.returns || w.refunds ? undefined : 'row-muted'}>
                    <th scope="row">{weekLabel(w.weekStart)}</th>
                    <td class="num">{w.returns}</td>
                    <td class="num">{w.refunds}</td>
                    <td class="num">{formatMoney(w.refunded)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="reason-lists">
            <div>
              <h3>Returns by reason</h3>
              {d.returnReasons.length ? (
                <ul class="compact-list">
                  {d.returnReasons.map((r) => (
                    <li>
                      {humanize(r.reason)}: <strong>{r.count}</strong>
                    </li>
                  ))}
                </ul>
              ) : (
                <p class="muted">None.</p>
              )}
            </div>
            <div>
              <h3>Refunds by cause</h3>
              {d.refundSources.length ? (
                <ul class="compact-list">
                  {d.refundSources.map((r) => (
                    <li>
                      {humanize(r.reason)}: <strong>{r.count}</strong> ({formatMoney(r.amount ?? 0)})
                    </li>
                  ))}
                </ul>
              ) : (
                <p class="muted">None.</p>
              )}
            </div>
          </div>
        </>
      )}
    </section>
  );
}
