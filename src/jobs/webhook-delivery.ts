// Delivers one webhook outbox row: a signed POST to the endpoint with a timeout, then, in one
// transaction and only while our claim on the row holds, the outcome (sent, or due again
// after the backoff), a line in the endpoint's delivery log and the endpoint's health. An
// endpoint that keeps failing (WEBHOOK_DISABLE_AFTER failed attempts in a row, or failing
// for WEBHOOK_DISABLE_AFTER_MS) is switched off and the owners get an email.
import { and, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import type { Tx } from '../db/client.ts';
import { outbox, staff, webhookAttempts, webhookEndpoints } from '../db/schema.ts';
import { enqueueEmail } from '../domain/notifications/outbox.ts';
import { DomainError } from '../domain/shared/errors.ts';
import { webhookHostRefusal } from '../domain/webhooks/webhook-address.ts';
import { findEndpoint, type WebhookEndpoint } from '../domain/webhooks/webhook-endpoints.ts';
import { webhookSignature } from '../domain/webhooks/webhook-signature.ts';
import { nowSql, ownClaim, plusMs, retryDelayMs, type OutboxRow } from './outbox-rows.ts';

/** Failed attempts in a row after which an endpoint is switched off. */
export const WEBHOOK_DISABLE_AFTER = 20;
/** …or failing without a single success for this long. */
export const WEBHOOK_DISABLE_AFTER_MS = 3 * 24 * 60 * 60_000;

type Outcome = { ok: boolean; statusCode: number | null; durationMs: number; error: string | null };

/** The HTTP call. Never throws: every way of failing is an outcome for the log. */
export async function postWebhook(endpoint: WebhookEndpoint, row: OutboxRow, o: { timeoutMs: number; now: Date }): Promise<Outcome> {
  const body = String(row.payload.body);
  const timestamp = Math.floor(o.now.getTime() / 1000);
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  try {
    const res = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Casanova-Webhooks/1',
        'x-casanova-event': row.template,
        'x-casanova-delivery': String(row.payload.deliveryId),
        'x-casanova-timestamp': String(timestamp),
        'x-casanova-signature': webhookSignature(endpoint.secret, timestamp, body),
      },
      body,
      // A redirect could lead anywhere, including a private address: it counts as a failure.
      redirect: 'manual',
      signal: AbortSignal.timeout(o.timeoutMs),
    });
    // The answer's body is not needed; dropping it frees the connection.
    await res.body?.cancel().catch(() => {});
    const ok = res.status >= 200 && res.status < 300;
    return { ok, statusCode: res.status, durationMs: took(), error: ok ? null : `HTTP ${res.status}` };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const error =
      e.name === 'TimeoutError' ? `no answer within ${o.timeoutMs / 1000} s` : `cannot connect: ${e.cause?.code ?? e.cause?.message ?? e.message}`;
    return { ok: false, statusCode: null, durationMs: took(), error };
  }
}

export async function deliverWebhook(ctx: AppContext, row: OutboxRow, o: { maxAttempts: number; timeoutMs: number }, log: AppContext['log']): Promise<void> {
  const about = { outboxId: row.id, event: row.template, endpointId: row.recipient, attempt: row.attempts };
  try {
    const endpoint = await findEndpoint(ctx.db, row.recipient).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'not_found') return undefined;
      throw err;
    });
    if (!endpoint || endpoint.status !== 'active') {
      // Nothing to try: "Resend" after re-enabling sends it again.
      await ctx.db
        .update(outbox)
        .set({ status: 'failed', lastError: endpoint ? 'endpoint disabled' : 'endpoint deleted', lockedUntil: null })
        .where(ownClaim(row));
      return;
    }
    const refusal = await webhookHostRefusal(endpoint.url, { allowPrivate: ctx.config.webhooksAllowPrivate });
    const outcome: Outcome = refusal
      ? { ok: false, statusCode: null, durationMs: 0, error: refusal }
      : await postWebhook(endpoint, row, { timeoutMs: o.timeoutMs, now: ctx.clock.now() });
    const giveUp = !outcome.ok && row.attempts >= o.maxAttempts;
    const recorded = await ctx.db.transaction((tx) => recordOutcome(ctx, tx, endpoint, row, outcome, giveUp));
    if (!recorded) log.warn(about, 'webhook answered after its lease ran out; another worker has the row now');
    else if (outcome.ok) log.info({ ...about, statusCode: outcome.statusCode, durationMs: outcome.durationMs }, 'webhook delivered');
    else log.warn({ ...about, error: outcome.error, giveUp }, giveUp ? 'webhook failed; shown in the delivery log' : 'webhook not delivered; will retry');
  } catch (err) {
    // Recording the outcome failed (database gone): the lease brings the row back.
    log.error({ ...about, err }, 'could not record the outcome of a webhook');
  }
}

async function recordOutcome(ctx: AppContext, tx: Tx, endpoint: WebhookEndpoint, row: OutboxRow, outcome: Outcome, giveUp: boolean): Promise<boolean> {
  const now = ctx.clock.now();
  const [mine] = await tx
    .update(outbox)
    .set(
      outcome.ok
        ? { status: 'sent', sentAt: nowSql(ctx), lockedUntil: null, lastError: null }
        : {
            status: giveUp ? 'failed' : 'pending',
            lastError: outcome.error?.slice(0, 1000) ?? null,
            lockedUntil: null,
            ...(giveUp ? {} : { nextAttemptAt: plusMs(ctx, retryDelayMs(row.attempts)) }),
          },
    )
    .where(ownClaim(row))
    .returning({ id: outbox.id });
  if (!mine) return false;
  await tx.insert(webhookAttempts).values({
    outboxId: row.id,
    endpointId: endpoint.id,
    attempt: row.attempts,
    statusCode: outcome.statusCode,
    durationMs: outcome.durationMs,
    error: outcome.error?.slice(0, 1000) ?? null,
    createdAt: now,
  });
  if (outcome.ok) {
    await tx.update(webhookEndpoints).set({ consecutiveFailures: 0, failingSince: null }).where(eq(webhookEndpoints.id, endpoint.id));
    return true;
  }
  const [health] = await tx
    .update(webhookEndpoints)
    .set({ consecutiveFailures: sql`${webhookEndpoints.consecutiveFailures} + 1`, failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${now.toISOString()}::timestamptz)` })
    .where(eq(webhookEndpoints.id, endpoint.id))
    .returning();
  const tooMany = health!.consecutiveFailures >= WEBHOOK_DISABLE_AFTER;
  const tooLong = health!.failingSince !== null && now.getTime() - health!.failingSince.getTime() >= WEBHOOK_DISABLE_AFTER_MS;
  if (health!.status === 'active' && (tooMany || tooLong)) await disableFailingEndpoint(ctx, tx, health!, tooMany);
  return true;
}

async function disableFailingEndpoint(ctx: AppContext, tx: Tx, endpoint: WebhookEndpoint, tooMany: boolean): Promise<void> {
  const reason = tooMany
    ? `Disabled automatically after ${endpoint.consecutiveFailures} failed deliveries in a row.`
    : `Disabled automatically: every delivery failed for 3 days (since ${endpoint.failingSince!.toISOString()}).`;
  const [off] = await tx
    .update(webhookEndpoints)
    .set({ status: 'disabled', disabledReason: reason, disabledAt: ctx.clock.now() })
    .where(and(eq(webhookEndpoints.id, endpoint.id), eq(webhookEndpoints.status, 'active')))
    .returning({ id: webhookEndpoints.id });
  if (!off) return;
  const owners = await tx.select({ email: staff.email }).from(staff).where(and(eq(staff.role, 'owner'), eq(staff.active, true)));
  for (const owner of owners) {
    await enqueueEmail(tx, {
      template: 'webhook_disabled',
      to: owner.email,
      payload: { url: endpoint.url, reason, manageUrl: `${ctx.config.publicUrl}/admin/webhooks/${endpoint.id}` },
    });
  }
}
