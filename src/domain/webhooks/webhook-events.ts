// The events a webhook endpoint can subscribe to, as one table, and how an order event (the
// timeline row every change appends) maps to them. Pure: no database, no HTTP.

export const WEBHOOK_EVENTS = {
  /** A paid order was created (also a replacement order from an exchange). */
  'order.placed': 'Order placed',
  /** Any move of the order's status (verified, on hold, preparing, packed, shipped, delivered, cancelled). */
  'order.status_changed': 'Order status changed',
  /** Handed to the carrier with a tracking number. */
  'order.shipped': 'Order shipped',
  /** The carrier or staff confirmed delivery. */
  'order.delivered': 'Order delivered',
  /** Cancelled before shipping; stock back, payment refunded. */
  'order.cancelled': 'Order cancelled',
  /** Money went back to the card (a refund succeeded). */
  'order.refunded': 'Order refunded',
  /** A customer asked for a return, exchange or refund. */
  'return.opened': 'Return opened',
  /** A return case reached its final state. */
  'return.closed': 'Return closed',
  /** A variant's stock fell to or below the low-stock threshold. */
  'stock.low': 'Stock low',
} as const;

export type WebhookEventType = keyof typeof WEBHOOK_EVENTS;
export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENTS) as WebhookEventType[];
export const isWebhookEventType = (s: unknown): s is WebhookEventType => typeof s === 'string' && Object.hasOwn(WEBHOOK_EVENTS, s);

/** The fields of an order event that decide which webhook events it is. */
export type OrderEventFacts = { type: string; to?: string | null; details?: Record<string, unknown> };

/** Which webhook events an order timeline event announces (often none: notes, carrier scans…). */
export function webhookEventsFor(e: OrderEventFacts): WebhookEventType[] {
  switch (e.type) {
    case 'placed':
    case 'exchange':
      return ['order.placed'];
    case 'transition': {
      const specific: Partial<Record<string, WebhookEventType>> = { shipped: 'order.shipped', delivered: 'order.delivered', cancelled: 'order.cancelled' };
      const more = e.to ? specific[e.to] : undefined;
      return more ? ['order.status_changed', more] : ['order.status_changed'];
    }
    case 'refund':
      return ['order.refunded'];
    case 'return': {
      const status = e.details?.status;
      if (status === 'requested') return ['return.opened'];
      if (status === 'closed') return ['return.closed'];
      return [];
    }
    default:
      return [];
  }
}

/** Stock fell to or below the threshold with this change (not: was already low, or went up). */
export const crossedLowStock = (c: { delta: number; stockAfter: number }, threshold: number): boolean =>
  c.delta < 0 && c.stockAfter <= threshold && c.stockAfter - c.delta > threshold;
