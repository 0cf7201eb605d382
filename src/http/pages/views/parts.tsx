// Small pieces of markup the storefront and the back office share, so the CSS and the
// accessibility wiring (ids that aria-describedby points at) are written once.
import type { ComponentChildren, JSX } from 'preact';

/** A field's error message, with the id (`<id>-error`) its input names in aria-describedby; nothing without an error. */
export function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p class="field-error" id={`${id}-error`}>
      {error}
    </p>
  ) : null;
}

/** Image types a phone or camera produces; the server checks the content anyway. */
const PHOTO_TYPES = 'image/jpeg,image/png,image/webp,image/gif,image/avif,image/heic,image/heif';

/** Customer photos for our team (a return request, a delivery problem): optional, several at once. `children` is the hint. */
export function PhotosField({ error, children }: { error?: string; children: ComponentChildren }) {
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      <label for="photos">
        Photos <span class="optional">(optional)</span>
      </label>
      <input
        id="photos"
        name="photos"
        type="file"
        accept={PHOTO_TYPES}
        multiple
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? 'photos-hint photos-error' : 'photos-hint'}
      />
      <p class="hint" id="photos-hint">
        {children}
      </p>
      <FieldError id="photos" error={error} />
    </div>
  );
}

/** What a totals row is (e.g. "Shipping (Express)") and how much ("$6.95", "Free"). */
export type TotalsRow = [label: ComponentChildren, amount: ComponentChildren];

/**
 * The discount's row: "Discount (SPRING10)" "−$4.50", or "Free shipping" for a discount that
 * took nothing off the goods (a labelled discount of 0 can only be free shipping); none without one.
 */
export const discountRows = (amount: number, label: string | null | undefined, money: (cents: number) => string): TotalsRow[] =>
  amount > 0 ? [[`Discount${label ? ` (${label})` : ''}`, `−${money(amount)}`]] : label ? [[`Discount (${label})`, 'Free shipping']] : [];

/**
 * The totals under a cart's or an order's lines (subtotal, shipping, tax, then the total set
 * apart). Each caller words its own rows. Other attributes (e.g. the checkout's data-* hooks
 * and aria-live) go on the block itself.
 */
export function TotalsList({ rows, total, ...attributes }: { rows: TotalsRow[]; total: TotalsRow } & Omit<JSX.HTMLAttributes<HTMLDivElement>, 'class' | 'children'>) {
  return (
    <div class="totals" {...attributes}>
      {rows.map(([label, amount]) => (
        <div>
          <span>{label}</span>
          <span>{amount}</span>
        </div>
      ))}
      <div class="grand">
        <span>{total[0]}</span>
        <span>{total[1]}</span>
      </div>
    </div>
  );
}
