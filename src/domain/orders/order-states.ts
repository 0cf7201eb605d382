// The order's life, as one table. Each state says what it means for the shop; each
// transition names the verb staff or the system uses. Guards beyond "is this move
// allowed from here" live with the verbs in order-service.ts.
export const ORDER_STATES = {
  /** Payment succeeded; nobody has looked at the order yet. */
  paid: 'Paid, waiting for verification',
  /** Staff checked address, contact and payment; ready to pick. */
  verified: 'Verified, waiting to be prepared',
  /** Held with a reason (staff, or a failed address check before a label); goes back to verification. */
  on_hold: 'On hold, waiting for a fix before verification',
  /** Products are being picked and checked. */
  preparing: 'Being prepared',
  /** Packed and labelled, waiting for the carrier. */
  packed: 'Packed, waiting for handover to the carrier',
  /** Handed to the carrier with a tracking number; can no longer be changed or cancelled. */
  shipped: 'Shipped',
  /** The carrier (or staff) confirmed delivery. Final for processing; after-sales may follow. */
  delivered: 'Delivered',
  /** Cancelled before shipping; stock returned and payment refunded. Final. */
  cancelled: 'Cancelled',
} as const;

export type OrderStatus = keyof typeof ORDER_STATES;
export const ORDER_STATUSES = Object.keys(ORDER_STATES) as OrderStatus[];

/** Allowed moves: from → to. Anything not listed is refused. */
export const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  paid: ['verified', 'on_hold', 'cancelled'],
  verified: ['preparing', 'on_hold', 'cancelled'],
  on_hold: ['verified', 'cancelled'],
  preparing: ['packed', 'cancelled'],
  // A packed order is held when the carrier cannot deliver to its address (checked before buying a label).
  packed: ['shipped', 'on_hold', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

/** The verb (button) for each target state. */
export const VERBS: Record<Exclude<OrderStatus, 'paid'>, string> = {
  verified: 'Verify',
  on_hold: 'Put on hold',
  preparing: 'Start preparing',
  packed: 'Mark packed',
  shipped: 'Hand over to carrier',
  delivered: 'Mark delivered',
  cancelled: 'Cancel order',
};

export const FINAL_STATES: readonly OrderStatus[] = ['delivered', 'cancelled'];

/** States in which the order has not entered shipping: changes and cancellation are still possible. */
export const BEFORE_SHIPPING: readonly OrderStatus[] = ['paid', 'verified', 'on_hold', 'preparing', 'packed'];

// Own keys only: `in` would also accept "valueOf" or "constructor" from the prototype.
export const isOrderStatus = (s: string): s is OrderStatus => Object.hasOwn(ORDER_STATES, s);

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Why a move is not allowed, in words a person can act on; undefined when it is allowed. */
export function transitionRefusal(from: OrderStatus, to: OrderStatus): string | undefined {
  if (canTransition(from, to)) return undefined;
  if (from === to) return `The order is already ${ORDER_STATES[from].toLowerCase()}.`;
  if (to === 'cancelled' && (from === 'shipped' || from === 'delivered')) return 'The order has already been handed to the carrier, so it can no longer be cancelled.';
  const allowed = TRANSITIONS[from];
  return `An order that is ${ORDER_STATES[from].toLowerCase()} cannot move to “${to}”. ${allowed.length ? `Allowed next: ${allowed.join(', ')}.` : 'It is final.'}`;
}
