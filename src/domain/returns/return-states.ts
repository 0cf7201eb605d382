// The life of an after-sales case (return, exchange or refund only), as one table. Each
// state says what it means for the shop; each move names the kinds of case it applies to
// and the verb staff use. Guards beyond "is this move allowed from here for this kind"
// (stock for a replacement, money left to refund) live with the verbs: return-application,
// return-review, return-receipt and return-settlement.

/** What the customer asked for. */
export const RETURN_TYPES = {
  /** Send the items back and get the money back. */
  return: 'Return',
  /** Send the items back and get another variant of the same product. */
  exchange: 'Exchange',
  /** Money back without sending anything (an item missing, or damaged beyond use). */
  refund: 'Refund only',
} as const;
export type ReturnType = keyof typeof RETURN_TYPES;
export const RETURN_TYPE_NAMES = Object.keys(RETURN_TYPES) as ReturnType[];
export const isReturnType = (s: unknown): s is ReturnType => typeof s === 'string' && Object.hasOwn(RETURN_TYPES, s);

export const RETURN_STATES = {
  /** The customer applied; the units are counted as "in a return" so nobody asks for them twice. Staff review it. */
  requested: 'Requested, waiting for review',
  /** Staff accepted; the customer has the RMA number and the return address (refund-only: the money is next). */
  approved: 'Approved, waiting for the items',
  /** Staff refused with a reason; the units are free to be asked for again. */
  declined: 'Declined',
  /** The parcel arrived and was inspected: resellable units restocked, damaged ones written off. */
  received: 'Items received',
  /** The money for the units went back to the card (a refund record with its own state). */
  refunded: 'Refunded',
  /** A replacement order was created and goes through processing like any order. */
  exchanged: 'Replacement sent',
  /** Nothing more to do. Final. */
  closed: 'Closed',
} as const;
export type ReturnStatus = keyof typeof RETURN_STATES;
export const RETURN_STATUSES = Object.keys(RETURN_STATES) as ReturnStatus[];
export const isReturnStatus = (s: unknown): s is ReturnStatus => typeof s === 'string' && Object.hasOwn(RETURN_STATES, s);

const ALL: readonly ReturnType[] = RETURN_TYPE_NAMES;

/** Allowed moves: from → to → the kinds of case that may make it. Anything not listed is refused. */
export const RETURN_TRANSITIONS: Record<ReturnStatus, Partial<Record<ReturnStatus, readonly ReturnType[]>>> = {
  requested: { approved: ALL, declined: ALL },
  // "Refund only" has nothing to receive: it goes straight to the refund.
  approved: { received: ['return', 'exchange'], refunded: ['refund'] },
  received: { refunded: ['return'], exchanged: ['exchange'] },
  refunded: { closed: ALL },
  exchanged: { closed: ALL },
  declined: { closed: ALL },
  closed: {},
};

/** The verb (button) for each target state. */
export const RETURN_VERBS: Record<Exclude<ReturnStatus, 'requested'>, string> = {
  approved: 'Approve',
  declined: 'Decline',
  received: 'Mark received',
  refunded: 'Refund',
  exchanged: 'Send replacement',
  closed: 'Close',
};

export const FINAL_RETURN_STATES: readonly ReturnStatus[] = ['closed'];

export function canMoveReturn(type: ReturnType, from: ReturnStatus, to: ReturnStatus): boolean {
  return RETURN_TRANSITIONS[from][to]?.includes(type) ?? false;
}

/** The moves a case of `type` in `from` allows now, in table order. */
export function nextReturnStates(type: ReturnType, from: ReturnStatus): ReturnStatus[] {
  return (Object.keys(RETURN_TRANSITIONS[from]) as ReturnStatus[]).filter((to) => canMoveReturn(type, from, to));
}

/** Why a move is not allowed, in words staff can act on; undefined when it is allowed. */
export function returnTransitionRefusal(type: ReturnType, from: ReturnStatus, to: ReturnStatus): string | undefined {
  if (canMoveReturn(type, from, to)) return undefined;
  const kind = RETURN_TYPES[type].toLowerCase();
  if (from === to) return `This ${kind} case is already ${RETURN_STATES[from].toLowerCase()}.`;
  if (type === 'refund' && (to === 'received' || to === 'exchanged')) return 'A refund-only case has no items to receive or replace.';
  if (type === 'exchange' && to === 'refunded') return 'An exchange is settled with a replacement, not a refund.';
  if (type === 'return' && to === 'exchanged') return 'A return is settled with a refund, not a replacement.';
  const next = nextReturnStates(type, from).map((s) => RETURN_VERBS[s as Exclude<ReturnStatus, 'requested'>]);
  return `A ${kind} case that is ${RETURN_STATES[from].toLowerCase()} cannot be moved to “${RETURN_STATES[to].toLowerCase()}”. ${next.length ? `Possible now: ${next.join(', ')}.` : 'It is final.'}`;
}

/** The verb for a target state, for the API and the case page (one entry point, like the order's transitions). */
export const RETURN_ACTIONS = ['approve', 'decline', 'receive', 'refund', 'exchange', 'close'] as const;
export type ReturnAction = (typeof RETURN_ACTIONS)[number];
export const ACTION_TARGET: Record<ReturnAction, ReturnStatus> = {
  approve: 'approved',
  decline: 'declined',
  receive: 'received',
  refund: 'refunded',
  exchange: 'exchanged',
  close: 'closed',
};
