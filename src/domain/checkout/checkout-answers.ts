// Idempotent checkout: each attempt claims `checkout:<cart>:<key>`. A repeat (double click,
// retry, two identical requests at once) waits for the first and gets its stored answer;
// the same key with another request body is refused. The answer moves on as the payment
// does: first "go and pay here" (the session), then the order or the reason there is none.
import { and, eq, sql } from 'drizzle-orm';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppContext } from '../../context.ts';
import type { Conn } from '../../db/client.ts';
import { prepared } from '../../db/prepared.ts';
import { idempotencyKeys } from '../../db/schema.ts';
import { DomainError, type ErrorCode } from '../shared/errors.ts';
import type { OrderReceipt } from './order-receipt.ts';

/** Where the shopper goes to pay, for a checkout whose payment is still open. */
export type PaymentSessionAnswer = {
  paymentId: string;
  provider: string;
  amount: number;
  currency: string;
  redirectUrl?: string;
  clientSecret?: string;
};

export type StoredAnswer = { order: OrderReceipt } | { error: { code: ErrorCode; message: string; details?: unknown } } | { session: PaymentSessionAnswer };

/** How long a repeat waits for the first request with its key before giving up (409). */
const DUPLICATE_WAIT_MS = 30_000;

const claim = prepared('claim_idempotency_key', (conn) =>
  conn
    .insert(idempotencyKeys)
    .values({ key: sql.placeholder('key'), requestHash: sql.placeholder('hash'), state: 'in_progress' })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key }),
);

/**
 * Claims `key` for this request. Returns undefined when the claim is ours; otherwise waits
 * for the request that holds it and returns its stored answer.
 */
export async function claimKey(ctx: AppContext, key: string, hash: string): Promise<StoredAnswer | undefined> {
  const deadline = performance.now() + DUPLICATE_WAIT_MS;
  for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
    const [mine] = await claim(ctx.db).execute({ key, hash });
    if (mine) return undefined;
    const [row] = await ctx.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
    if (!row) continue; // the holder gave up between our two queries: claim again
    if (row.requestHash !== hash) {
      throw new DomainError('idempotency_conflict', 'This Idempotency-Key was already used for a different checkout request. Use a new key for a new attempt.');
    }
    if (row.state === 'done') return row.responseBody as StoredAnswer;
    if (performance.now() > deadline) {
      throw new DomainError('conflict', 'A checkout with this Idempotency-Key is still being processed. Try again in a moment.');
    }
    await sleep(pause);
  }
}

/**
 * Stores the answer for `key`. An order or a refusal is final and replaces whatever was
 * there (the session answer it grew from); a session answer only fills an open claim.
 */
export async function rememberAnswer(conn: Conn, key: string, answer: StoredAnswer): Promise<void> {
  await answerUpdate(conn, key, answer);
}

/** The UPDATE rememberAnswer runs, not yet run: a caller can fold it into a larger statement. */
export function answerUpdate(conn: Conn, key: string, answer: StoredAnswer) {
  const status = 'order' in answer ? 201 : 'session' in answer ? 202 : null; // a refusal's status follows from its error code
  return conn
    .update(idempotencyKeys)
    .set({ state: 'done', responseStatus: status, responseBody: answer })
    .where('session' in answer ? and(eq(idempotencyKeys.key, key), eq(idempotencyKeys.state, 'in_progress')) : eq(idempotencyKeys.key, key));
}

/** Frees a claim after an accident (database gone, bug), so a retry can run. */
export async function releaseClaim(conn: Conn, key: string): Promise<void> {
  await conn
    .delete(idempotencyKeys)
    .where(and(eq(idempotencyKeys.key, key), eq(idempotencyKeys.state, 'in_progress')))
    .catch(() => {});
}

/** A stored refusal thrown again, so a repeat gets the same error. */
export function replayed(answer: StoredAnswer): { order: OrderReceipt } | { session: PaymentSessionAnswer } {
  if ('error' in answer) throw new DomainError(answer.error.code, answer.error.message, answer.error.details);
  return answer;
}
