// The after-sales state table, walked for each kind of case: every state the kind uses is
// reachable from "requested", only "closed" is a dead end, and moves outside the table are
// refused with a reason a person can read.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  FINAL_RETURN_STATES,
  RETURN_STATES,
  RETURN_STATUSES,
  RETURN_TRANSITIONS,
  RETURN_TYPE_NAMES,
  RETURN_VERBS,
  canMoveReturn,
  nextReturnStates,
  returnTransitionRefusal,
  type ReturnStatus,
  type ReturnType,
} from '../../src/domain/returns/return-states.ts';

function reachable(type: ReturnType): Set<ReturnStatus> {
  const seen = new Set<ReturnStatus>(['requested']);
  const queue: ReturnStatus[] = ['requested'];
  while (queue.length) for (const next of nextReturnStates(type, queue.shift()!)) if (!seen.has(next)) seen.add(next), queue.push(next);
  return seen;
}

describe('return state table', () => {
  it('gives every state a meaning, a row and (except the start) a verb', () => {
    for (const s of RETURN_STATUSES) {
      assert.ok(RETURN_STATES[s].length > 0, s);
      assert.ok(RETURN_TRANSITIONS[s], s);
      for (const to of Object.keys(RETURN_TRANSITIONS[s])) assert.ok(RETURN_STATUSES.includes(to as ReturnStatus), `${s} → ${to} names a known state`);
      if (s !== 'requested') assert.ok(RETURN_VERBS[s].length > 0, s);
    }
  });

  it('walks each kind of case through the states it uses', () => {
    const expected: Record<ReturnType, ReturnStatus[]> = {
      return: ['requested', 'approved', 'declined', 'received', 'refunded', 'closed'],
      exchange: ['requested', 'approved', 'declined', 'received', 'exchanged', 'closed'],
      refund: ['requested', 'approved', 'declined', 'refunded', 'closed'],
    };
    for (const type of RETURN_TYPE_NAMES) assert.deepEqual([...reachable(type)].sort(), [...expected[type]].sort(), type);
    // Together the kinds use every state.
    assert.deepEqual([...new Set(RETURN_TYPE_NAMES.flatMap((t) => [...reachable(t)]))].sort(), [...RETURN_STATUSES].sort());
  });

  it('leaves no dead end but the final state, for every kind', () => {
    for (const type of RETURN_TYPE_NAMES) {
      for (const s of reachable(type)) {
        const final = FINAL_RETURN_STATES.includes(s);
        assert.equal(nextReturnStates(type, s).length === 0, final, `${type}: ${s} is a dead end only if final`);
      }
    }
  });

  it('lets "Refund only" skip receiving and keeps refunds and replacements apart', () => {
    assert.ok(canMoveReturn('refund', 'approved', 'refunded'));
    assert.ok(!canMoveReturn('refund', 'approved', 'received'));
    assert.ok(!canMoveReturn('return', 'approved', 'refunded'));
    assert.ok(canMoveReturn('return', 'received', 'refunded'));
    assert.ok(!canMoveReturn('exchange', 'received', 'refunded'));
    assert.ok(canMoveReturn('exchange', 'received', 'exchanged'));
    assert.match(returnTransitionRefusal('refund', 'approved', 'received')!, /no items to receive/);
    assert.match(returnTransitionRefusal('exchange', 'received', 'refunded')!, /replacement, not a refund/);
  });

  it('refuses every move outside the table with a readable reason', () => {
    for (const type of RETURN_TYPE_NAMES) {
      for (const from of RETURN_STATUSES) {
        for (const to of RETURN_STATUSES) {
          const refusal = returnTransitionRefusal(type, from, to);
          if (canMoveReturn(type, from, to)) assert.equal(refusal, undefined);
          else assert.ok(refusal && refusal.length > 10 && !refusal.includes('undefined'), `${type}: ${from} → ${to}: ${refusal}`);
        }
      }
    }
    assert.match(returnTransitionRefusal('return', 'closed', 'refunded')!, /It is final/);
    assert.match(returnTransitionRefusal('return', 'requested', 'received')!, /Possible now: Approve, Decline/);
  });
});
