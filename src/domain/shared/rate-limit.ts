// Fixed-window counters in the rate_limits table, shared by every instance on one
// database. Each hit is one atomic upsert, so concurrent requests never lose a count.
import { lt, eq, sql } from 'drizzle-orm';
import type { Conn } from '../../db/client.ts';
import { rateLimits } from '../../db/schema.ts';
import { DomainError } from './errors.ts';

export type RateLimitResult = {
  /** False once `count` went past `limit` in the current window. */
  allowed: boolean;
  /** Seconds until the window resets and hits are allowed again. */
  retryAfterSeconds: number;
  /** Hits in the current window, this one included. */
  count: number;
  /** When the current window ends. */
  resetAt: Date;
};

/** Counts one hit on `key`; a window that has ended starts again at 1. */
export async function hit(conn: Conn, key: string, limit: number, windowMs: number, now: Date): Promise<RateLimitResult> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const ended = sql`${rateLimits.resetAt} <= ${at}`;
  const [row] = await conn
    .insert(rateLimits)
    .values({ key, count: 1, resetAt: new Date(now.getTime() + windowMs) })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${ended} then 1 else ${rateLimits.count} + 1 end`,
        resetAt: sql`case when ${ended} then excluded.reset_at else ${rateLimits.resetAt} end`,
      },
    })
    .returning({ count: rateLimits.count, resetAt: rateLimits.resetAt });
  const allowed = row!.count <= limit;
  return {
    allowed,
    retryAfterSeconds: Math.max(1, Math.ceil((row!.resetAt.getTime() - now.getTime()) / 1000)),
    count: row!.count,
    resetAt: row!.resetAt,
  };
}

/**
 * Whether one more hit would still be within every given limit, without counting one, judged
 * from counter rows the caller read: for limits that count only failures but must refuse
 * every attempt once reached (else a blocked client could go on guessing and learn which
 * guess succeeds). Refused: the longest wait among the limits reached.
 */
export function limitsReached(
  found: { key: string; count: number; resetAt: Date }[],
  checks: { key: string; limit: number }[],
  now: Date,
): Pick<RateLimitResult, 'allowed' | 'retryAfterSeconds'> {
  let retryAfterSeconds = 0;
  for (const row of found) {
    const limit = checks.find((c) => c.key === row.key)!.limit;
    if (row.resetAt.getTime() > now.getTime() && row.count >= limit) {
      retryAfterSeconds = Math.max(retryAfterSeconds, Math.ceil((row.resetAt.getTime() - now.getTime()) / 1000));
    }
  }
  return { allowed: retryAfterSeconds === 0, retryAfterSeconds };
}

/** Forgets the counter, e.g. after a successful sign-in. */
export async function reset(conn: Conn, key: string): Promise<void> {
  await conn.delete(rateLimits).where(eq(rateLimits.key, key));
}

/** Deletes counters whose window has ended (housekeeping; staff sign-ins call it). */
export async function pruneExpired(conn: Conn, now: Date): Promise<number> {
  const gone = await conn.delete(rateLimits).where(lt(rateLimits.resetAt, now)).returning({ key: rateLimits.key });
  return gone.length;
}

/** The error for a refused request; the HTTP layer turns `retryAfterSeconds` into a Retry-After header. */
export const rateLimited = (retryAfterSeconds: number, message: string) =>
  new DomainError('rate_limited', message, { retryAfterSeconds });

/** "3 minutes", "1 minute", "20 seconds": for messages to people. */
export function waitText(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
