// Stock screens: variants running low first, then every variant (searchable); one variant's
// page with "add or remove" and "set counted quantity" forms and its stock ledger.
import type { VNode } from 'preact';
import type { StockLedgerLine, StockRow } from '../../../domain/inventory/stock-admin.ts';
import { MANUAL_REASONS } from '../../../domain/inventory/stock-admin.ts';
import { STOCK_REASONS, type StockReason } from '../../../domain/inventory/inventory-service.ts';
import { ErrorSummary, Field, SelectField, text, type FormErrors, type FormValues } from './form.tsx';
import { Pagination } from './list-parts.tsx';
import { optionsText } from './display.tsx';

const reasonLabel = (r: string) => STOCK_REASONS[r as StockReason] ?? r;

export const STOCK_LABELS: Record<string, string> = {
  delta: 'Units to add or remove',
  kind: 'Kind of change',
  quantity: 'Counted quantity',
  reason: 'Reason',
  countReason: 'Reason',
};

function StockLevel({ stock, threshold }: { stock: number; threshold: number }) {
  if (stock <= 0) return <span class="pill pill-bad">Out of stock</span>;
  if (stock <= threshold) return <span class="pill pill-warn">Low</span>;
  return null;
}

function StockTable({ rows, threshold, at, caption }: { rows: StockRow[]; threshold: number; at: (d: Date) => string; caption: string }) {
  return (
    <div class="table-wrap">
      <table class="table stock-table">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">SKU</th>
            <th scope="col">Product</th>
            <th scope="col" class="num">
              Stock
            </th>
            <th scope="col">Last change</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr class={r.active ? undefined : 'row-muted'}>
              <td>
                <code>{r.sku}</code>
              </td>
              <td>
                {r.productName}
                {Object.keys(r.options).length ? <span class="muted"> · {optionsText(r.options)}</span> : null}
                {r.active ? null : <span class="muted"> (hidden)</span>}
              </td>
              <td class="num">
                <strong>{r.stock}</strong> <StockLevel stock={r.stock} threshold={threshold} />
              </td>
              <td class="muted">{r.lastChangedAt ? at(r.lastChangedAt) : '—'}</td>
              <td class="actions">
                <a class="button secondary small" href={`/admin/stock/${encodeURIComponent(r.sku)}`} aria-label={`Adjust ${r.sku}`}>
                  Adjust
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export type StockListData = {
  low: StockRow[];
  list: { items: StockRow[]; total: number };
  threshold: number;
  q: string;
  page: number;
  limit: number;
  at: (d: Date) => string;
  canEditSettings: boolean;
};

export function StockListView(d: StockListData) {
  const href = (p: number) => `/admin/stock?${new URLSearchParams({ ...(d.q ? { q: d.q } : {}), ...(p > 1 ? { page: String(p) } : {}) })}`;
  return (
    <>
      <div class="page-head">
        <h1>Stock</h1>
        <p class="muted">Every change is written to the stock ledger with who made it and why.</p>
      </div>
      <section class="panel" aria-labelledby="low-title">
        <h2 id="low-title">
          Low stock <span class="muted">· at or below {d.threshold} units</span>
        </h2>
        {d.low.length === 0 ? (
          <p class="muted">Nothing on sale is running low.</p>
        ) : (
          <StockTable rows={d.low} threshold={d.threshold} at={d.at} caption="Variants running low" />
        )}
        <p class="hint">
          The threshold is the store’s low-stock setting{d.canEditSettings ? <> (<a href="/admin/settings">change it</a>)</> : null}; shoppers see “Only N left” at the same level.
        </p>
      </section>
      <section class="panel" aria-labelledby="all-title">
        <h2 id="all-title">All variants</h2>
        <form method="get" action="/admin/stock" class="filters" role="search">
          <div class="field">
            <label for="stock-search">Search</label>
            <input id="stock-search" type="search" name="q" value={d.q} placeholder="SKU or product name" />
          </div>
          <button type="submit" class="secondary">
            Search
          </button>
          {d.q ? <a href="/admin/stock">Clear</a> : null}
        </form>
        {d.list.items.length === 0 ? (
          <p class="muted">{d.q ? `No variant matches “${d.q}”.` : 'No variants yet.'}</p>
        ) : (
          <StockTable rows={d.list.items} threshold={d.threshold} at={d.at} caption="All variants" />
        )}
        <Pagination page={d.page} total={d.list.total} perPage={d.limit} href={href} />
      </section>
    </>
  );
}

export type VariantStockData = {
  row: StockRow;
  ledger: StockLedgerLine[];
  threshold: number;
  csrf: VNode;
  at: (d: Date) => string;
  /** A refused form: which one, what was typed, and why. */
  refused?: { form: 'adjust' | 'set'; values: FormValues; errors: FormErrors; message?: string };
  canEditCatalog: boolean;
};

export function VariantStockView(d: VariantStockData) {
  const { row, refused } = d;
  const vals = (form: 'adjust' | 'set') => (refused?.form === form ? refused.values : {});
  const errs = (form: 'adjust' | 'set') => (refused?.form === form ? refused.errors : {});
  return (
    <>
      <p class="breadcrumb">
        <a href="/admin/stock">Stock</a> /
      </p>
      <div class="page-head">
        <h1>
          <code>{row.sku}</code> {row.productName}
        </h1>
        {d.canEditCatalog ? (
          <div class="actions">
            <a class="button secondary" href={`/admin/products/${row.productId}`}>
              Edit product
            </a>
          </div>
        ) : null}
      </div>
      {refused?.message ? (
        <div class="alert alert-error" role="alert">
          {refused.message}
        </div>
      ) : null}
      {refused ? <ErrorSummary errors={refused.errors} labels={STOCK_LABELS} /> : null}
      <div class="stock-head">
        <p class="stock-now">
          <span class="stock-now-value">{row.stock}</span> in stock <StockLevel stock={row.stock} threshold={d.threshold} />
        </p>
        {Object.keys(row.options).length ? <p class="muted">{optionsText(row.options)}</p> : null}
      </div>
      <div class="admin-columns">
        <form method="post" action={`/admin/stock/${encodeURIComponent(row.sku)}/adjust`} class="panel" aria-labelledby="adjust-title">
          <h2 id="adjust-title">Add or remove units</h2>
          {d.csrf}
          <Field name="delta" label={STOCK_LABELS.delta!} value={text(vals('adjust'), 'delta')} error={errs('adjust').delta} inputMode="numeric" required hint="A number like 12 to add, or -3 to remove." />
          <SelectField
            name="kind"
            label={STOCK_LABELS.kind!}
            value={text(vals('adjust'), 'kind') || 'restock'}
            error={errs('adjust').kind}
            options={MANUAL_REASONS.map((r) => ({ value: r, label: STOCK_REASONS[r] }))}
          />
          <Field name="reason" label={STOCK_LABELS.reason!} value={text(vals('adjust'), 'reason')} error={errs('adjust').reason} required maxLength={500} hint="E.g. “delivery from supplier, PO 1182” or “broken in the warehouse”." />
          <button type="submit">Adjust stock</button>
        </form>
        <form method="post" action={`/admin/stock/${encodeURIComponent(row.sku)}/set`} class="panel" aria-labelledby="set-title">
          <h2 id="set-title">Set to a counted quantity</h2>
          {d.csrf}
          <Field name="quantity" label={STOCK_LABELS.quantity!} value={text(vals('set'), 'quantity')} error={errs('set').quantity} inputMode="numeric" required hint="What is on the shelf now; the difference is recorded." />
          <Field name="countReason" label={STOCK_LABELS.countReason!} value={text(vals('set'), 'countReason')} error={errs('set').countReason} required maxLength={500} hint="E.g. “cycle count, aisle 3”." />
          <button type="submit">Set stock</button>
        </form>
      </div>
      <section class="panel" aria-labelledby="ledger-title">
        <h2 id="ledger-title">Stock ledger</h2>
        {d.ledger.length === 0 ? (
          <p class="muted">No stock changes recorded yet.</p>
        ) : (
          <div class="table-wrap">
            <table class="table ledger-table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col" class="num">
                    Change
                  </th>
                  <th scope="col" class="num">
                    Stock after
                  </th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {d.ledger.map((e) => (
                  <tr>
                    <td>{d.at(e.createdAt)}</td>
                    <td>{e.staffName ?? (e.orderId ? 'Customer order' : 'System')}</td>
                    <td class={`num ${e.delta > 0 ? 'delta-up' : e.delta < 0 ? 'delta-down' : ''}`}>{e.delta > 0 ? `+${e.delta}` : String(e.delta)}</td>
                    <td class="num">{e.stockAfter}</td>
                    <td>
                      {reasonLabel(e.reason)}
                      {e.orderNumber ? (
                        <>
                          {' · '}
                          <a href={`/admin/orders/${e.orderNumber}`}>{e.orderNumber}</a>
                        </>
                      ) : null}
                      {e.note ? <span class="muted"> · {e.note}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

export function VariantNotFoundView({ sku }: { sku: string }) {
  return (
    <section class="panel narrow">
      <h1>No variant {sku}</h1>
      <p>
        <a href="/admin/stock">Back to stock</a>
      </p>
    </section>
  );
}
