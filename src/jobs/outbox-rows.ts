// The bookkeeping every outbox channel shares: "now" for due times and leases, the retry
// backoff, and recording an outcome only while the worker's claim on the row still holds.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import type { Conn } from '../db/client.ts';
import { outbox } from '../db/schema.ts';

export type OutboxRow = typeof outbox.$inferSelect;

const RETRY_BASE_MS = 30_000;
const RETRY_CAP_MS = 60 * 60_000;

/**
 * Wait before the next attempt after `attempts` failed ones: 30 s, 1 min, 2 min … capped at
 * one hour, then ±20 % jitter so rows that failed together (a mail server outage) do not
 * all come back in the same second.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const exponential = RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1);
  return Math.round(Math.min(exponential, RETRY_CAP_MS) * (0.8 + 0.4 * random()));
}

/**
 * "Now" for due times and leases: the later of the database's time and the app's clock.
 * In production both agree; tests move the app clock forward to make retries due. Taking
 * the later one means a test clock set in the past can never shorten a lease.
 */
export const nowSql = (ctx: AppContext): SQL => sql`greatest(now(), ${ctx.clock.now().toISOString()}::timestamptz)`;
export const plusMs = (ctx: AppContext, ms: number): SQL => sql`${nowSql(ctx)} + ${Math.round(ms)} * interval '1 millisecond'`;

/**
 * Our claim is still ours only while the row is sending with our attempt number: after the
 * lease ran out another worker may have claimed it again (attempts + 1) or finished it.
 */
export const ownClaim = (row: OutboxRow) => and(eq(outbox.id, row.id), eq(outbox.status, 'sending'), eq(outbox.attempts, row.attempts));

export async function recordFailure(ctx: AppContext, row: OutboxRow, error: string, o: { giveUp: boolean; subject?: string }, conn: Conn = ctx.db) {
  await conn
    .update(outbox)
    .set({
      status: o.giveUp ? 'failed' : 'pending',
      lastError: error.slice(0, 1000),
      lockedUntil: null,
      ...(o.giveUp ? {} : { nextAttemptAt: plusMs(ctx, retryDelayMs(row.attempts)) }),
      ...(o.subject ? { subject: o.subject } : {}),
    })
    .where(ownClaim(row));
}
