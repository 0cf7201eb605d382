// The order state table, walked: every state reachable, only final states are dead ends,
// and every move not in the table is refused with a reason a person can read.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BEFORE_SHIPPING,
  FINAL_STATES,
  ORDER_STATES,
  ORDER_STATUSES,
  TRANSITIONS,
  VERBS,
  canTransition,
  transitionRefusal,
  type OrderStatus,
} from '../../src/domain/orders/order-states.ts';

function reachableFrom(start: OrderStatus): Set<OrderStatus> {
  const seen = new Set<OrderStatus>([start]);
  const queue = [start];
  while (queue.length) for (const next of TRANSITIONS[queue.shift()!]) if (!seen.has(next)) seen.add(next), queue.push(next);
  return seen;
}

describe('order state table', () => {
  it('gives every state a meaning and a row in the table', () => {
    for (const s of ORDER_STATUSES) {
      assert.ok(ORDER_STATES[s].length > 0, s);
      assert.ok(Array.isArray(TRANSITIONS[s]), s);
      for (const to of TRANSITIONS[s]) assert.ok(ORDER_STATUSES.includes(to), `${s} → ${to} names a known state`);
    }
  });

  it('reaches every state from paid', () => {
    assert.deepEqual([...reachableFrom('paid')].sort(), [...ORDER_STATUSES].sort());
  });

  it('keeps final states final and leaves no other dead end', () => {
    for (const s of ORDER_STATUSES) {
      assert.equal(TRANSITIONS[s].length === 0, FINAL_STATES.includes(s), `${s} is a dead end only if final`);
      if (!FINAL_STATES.includes(s)) assert.ok(FINAL_STATES.some((f) => reachableFrom(s).has(f)), `${s} can still finish`);
    }
  });

  it('allows cancelling exactly while the order has not shipped', () => {
    for (const s of ORDER_STATUSES) {
      assert.equal(canTransition(s, 'cancelled'), BEFORE_SHIPPING.includes(s), s);
    }
  });

  it('names a verb (button) for every state an order can be moved to', () => {
    const targets = new Set(ORDER_STATUSES.flatMap((s) => TRANSITIONS[s]));
    for (const t of targets) assert.ok(VERBS[t as keyof typeof VERBS], t);
  });

  it('refuses every pair not in the table with a reason, and allows every pair in it', () => {
    let refused = 0;
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        const reason = transitionRefusal(from, to);
        if (TRANSITIONS[from].includes(to)) {
          assert.equal(reason, undefined, `${from} → ${to} is allowed`);
          assert.ok(canTransition(from, to));
        } else {
          refused++;
          assert.ok(!canTransition(from, to), `${from} → ${to} is not allowed`);
          assert.ok(reason && reason.length > 10, `${from} → ${to} has a reason`);
        }
      }
    }
    assert.equal(refused, ORDER_STATUSES.length ** 2 - ORDER_STATUSES.reduce((n, s) => n + TRANSITIONS[s].length, 0));
  });

  it('explains the refusals staff meet most', () => {
    assert.match(transitionRefusal('paid', 'shipped')!, /Allowed next: verified, on_hold, cancelled/);
    assert.match(transitionRefusal('shipped', 'cancelled')!, /handed to the carrier/);
    assert.match(transitionRefusal('verified', 'verified')!, /already/);
    assert.match(transitionRefusal('delivered', 'packed')!, /final/);
  });
});
