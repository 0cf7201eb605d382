// How the back office shows states, times and option lists: the same words and formats on every screen
// (orders, support, returns, stock, mail, dashboard). Times are in the shop's time zone.
import { DateTime } from 'luxon';
import type { OrderStatus } from '../../../domain/orders/order-states.ts';

/** Short names for badges and tabs. */
export const STATUS_LABELS: Record<OrderStatus, string> = {
  paid: 'To verify',
  on_hold: 'On hold',
  verified: 'Verified',
  preparing: 'Preparing',
  packed: 'Packed',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
};

/** "order_confirmation" → "Order confirmation": a stored name, in words. */
export const humanize = (s: string) => s.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

/** A coloured tag for an order, shipment, payment, refund or email state; `kind` keeps equal names apart (a failed refund vs a failed email). */
export function StatusBadge({ status, kind = '', label }: { status: string; kind?: string; label?: string }) {
  const name = `${kind}${status}`.replace(/_/g, '-');
  return <span class={`status status-${name}`}>{label ?? (kind ? humanize(status) : (STATUS_LABELS[status as OrderStatus] ?? humanize(status)))}</span>;
}

const zoned = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone });

/** "Mar 3, 2:05 PM" (the year only when it is not this year), in the shop's time zone. */
export function when(at: Date, zone: string, now: Date): string {
  const t = zoned(at, zone);
  return t.toFormat(t.year === zoned(now, zone).year ? 'LLL d, h:mm a' : 'LLL d yyyy, h:mm a');
}

/** How long something has waited: "12 min", "3 h 5 min", "2 days 4 h". */
export function age(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return `${days} ${days === 1 ? 'day' : 'days'}${hours % 24 ? ` ${hours % 24} h` : ''}`;
}

/** { colour: "Oat", size: "M" } → "colour: Oat, size: M". */
export const optionsText = (options: Record<string, string>) =>
  Object.entries(options)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
