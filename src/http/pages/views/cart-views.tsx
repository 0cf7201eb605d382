// Cart page: lines with quantity forms, totals, the way to checkout. Pure: data in, markup out.
import type { CartLine, CartView } from '../../../domain/cart/cart-service.ts';
import { MAX_PER_LINE } from '../../../domain/cart/cart-service.ts';
import { amountToFreeShipping } from '../../../domain/checkout/shipping-rates.ts';
import type { StoreSettings } from '../../../domain/settings/store-settings.ts';
import { formatMoney } from '../../../domain/shared/money.ts';
import { discountRows, TotalsList } from './parts.tsx';

export type Flash = { kind: 'ok' | 'error'; text: string };

/** "Colour: Oat, Size: M" */
export const optionsText = (options: Record<string, string>) =>
  Object.entries(options)
    .map(([k, v]) => `${k[0]!.toUpperCase()}${k.slice(1)}: ${v}`)
    .join(', ');

/** What one line is called on buttons and labels: "Test Lamp (Colour: Oat)". */
export const lineLabel = (l: Pick<CartLine, 'productName' | 'options'>) => {
  const o = optionsText(l.options);
  return o ? `${l.productName} (${o})` : l.productName;
};

export const FlashMessage = ({ flash }: { flash?: Flash }) =>
  flash ? (
    <div class={`alert ${flash.kind === 'ok' ? 'alert-ok' : 'alert-error'}`} role={flash.kind === 'ok' ? 'status' : 'alert'}>
      {flash.text}
    </div>
  ) : null;

export function CartPageView({ view, settings, flash }: { view: CartView | undefined; settings: StoreSettings; flash?: Flash }) {
  if (!view || view.lines.length === 0) {
    return (
      <>
        <h1>Your cart</h1>
        <FlashMessage flash={flash} />
        <div class="empty">
          <p>Your cart is empty.</p>
          <p>
            <a class="button" href="/products">
              Browse the shop
            </a>
          </p>
        </div>
      </>
    );
  }
  const c = view.currency;
  const t = view.totals;
  // A free-shipping discount already ships the order free: no "add $X more" then.
  const toFree = view.discount?.kind === 'free_shipping' ? undefined : amountToFreeShipping(settings, { subtotal: t.subtotal, grams: t.grams, state: view.state });
  const blocked = view.lines.some((l) => l.quantity > l.available);
  return (
    <>
      <h1>Your cart</h1>
      <FlashMessage flash={flash} />
      <div class="two-col">
        <section aria-labelledby="cart-items-heading" class="panel">
          <h2 id="cart-items-heading" class="visually-hidden">
            Items
          </h2>
          <ul class="plain cart-lines">
            {view.lines.map((l, i) => (
              <CartLineItem line={l} index={i} currency={c} />
            ))}
          </ul>
        </section>
        <aside class="panel summary" aria-labelledby="cart-summary-heading">
          <h2 id="cart-summary-heading">Order summary</h2>
          <TotalsList
            rows={[
              [`Subtotal (${view.itemCount} ${view.itemCount === 1 ? 'item' : 'items'})`, formatMoney(t.subtotal, c)],
              ...discountRows(t.discount, view.discount?.label, (n) => formatMoney(n, c)),
              [`Shipping (${settings.shipping.methods.standard.label.toLowerCase()})`, t.shipping === 0 ? 'Free' : formatMoney(t.shipping, c)],
              ['Sales tax', <span class="muted">At checkout</span>],
            ]}
            total={['Estimated total', formatMoney(t.total, c)]}
          />
          {toFree !== undefined && toFree > 0 ? (
            <p class="hint">Add {formatMoney(toFree, c)} more for free standard shipping.</p>
          ) : t.freeShipping ? (
            <p class="hint">Your order ships free with standard shipping.</p>
          ) : null}
          <DiscountForm view={view} />
          {blocked ? (
            <p class="field-error" role="alert">
              Some items are short of stock. Lower their quantity or remove them to check out.
            </p>
          ) : null}
          <a class="button checkout-button" href="/checkout">
            Checkout
          </a>
          <p class="hint center">
            <a href="/products">Continue shopping</a>
          </p>
        </aside>
      </div>
    </>
  );
}

/** The code field: "Apply" puts a code on the cart, "Remove" takes it off (plain forms, no script needed). */
function DiscountForm({ view }: { view: CartView }) {
  const problem = view.discountProblem;
  if (view.discountCode) {
    return (
      <div class={`discount-code${problem ? ' field invalid' : ''}`}>
        <form method="post" action="/cart/discount/remove" class="discount-applied">
          <p id="discount-status">
            Discount code <strong>{view.discountCode.toUpperCase()}</strong>
            {view.discount?.code ? ' applied' : problem ? '' : ': another promotion saves you more and applies instead'}
          </p>
          <button type="submit" class="linklike" aria-describedby="discount-status">
            Remove
          </button>
        </form>
        {problem ? (
          <p class="field-error" id="discount-error" role="alert">
            {problem}
          </p>
        ) : null}
      </div>
    );
  }
  return (
    <form method="post" action="/cart/discount" class="discount-code">
      {view.discount ? <p class="hint">{view.discount.label} is applied to your cart.</p> : null}
      <label for="discount-code">Discount code</label>
      <div class="discount-row">
        <input id="discount-code" name="code" type="text" autocomplete="off" autocapitalize="characters" spellcheck={false} maxLength={32} />
        <button type="submit" class="secondary">
          Apply
        </button>
      </div>
    </form>
  );
}

function CartLineItem({ line: l, index, currency }: { line: CartLine; index: number; currency: string }) {
  const id = `line-${index}`;
  const short = l.quantity > l.available;
  const max = Math.max(1, Math.min(MAX_PER_LINE, Math.max(l.available, l.quantity)));
  return (
    <li class="cart-line">
      <a class="cart-thumb" href={`/products/${encodeURIComponent(l.productSlug)}`} tabindex={-1} aria-hidden="true">
        {l.image ? <img src={l.image.url} alt="" width={96} height={96} loading="lazy" /> : null}
      </a>
      <div class="cart-line-body">
        <h3 id={`${id}-name`}>
          <a href={`/products/${encodeURIComponent(l.productSlug)}`}>{l.productName}</a>
        </h3>
        {Object.keys(l.options).length ? <p class="muted cart-meta">{optionsText(l.options)}</p> : null}
        <p class="muted cart-meta">
          SKU {l.sku} · {formatMoney(l.unitPrice, currency)} each
        </p>
        {short ? (
          <p class="field-error" id={`${id}-stock`}>
            {l.available <= 0 ? 'Out of stock: remove this item to check out.' : `Only ${l.available} left: lower the quantity to check out.`}
          </p>
        ) : null}
        <div class="cart-actions">
          <form method="post" action="/cart/update" class={`cart-qty${short ? ' field invalid' : ''}`}>
            <input type="hidden" name="sku" value={l.sku} />
            <label for={`${id}-qty`}>
              Quantity<span class="visually-hidden"> of {lineLabel(l)}</span>
            </label>
            <input
              id={`${id}-qty`}
              name="quantity"
              type="number"
              inputMode="numeric"
              min={0}
              max={max}
              value={String(l.quantity)}
              required
              aria-invalid={short ? 'true' : undefined}
              aria-describedby={short ? `${id}-stock` : undefined}
            />
            <button type="submit" class="secondary" aria-describedby={`${id}-name`}>
              Update
            </button>
          </form>
          <form method="post" action="/cart/remove">
            <input type="hidden" name="sku" value={l.sku} />
            <button type="submit" class="linklike" aria-describedby={`${id}-name`}>
              Remove
            </button>
          </form>
        </div>
      </div>
      <p class="cart-line-total">{formatMoney(l.lineTotal, currency)}</p>
    </li>
  );
}
