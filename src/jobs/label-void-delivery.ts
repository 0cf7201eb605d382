// Outbox channel "label": a cancelled order's label is voided with the shipping provider
// (domain/shipments/label-voids.ts); not answering is retried with the outbox's backoff.
import type { AppContext } from '../context.ts';
import { outbox } from '../db/schema.ts';
import { voidRequestedLabel } from '../domain/shipments/label-voids.ts';
import { nowSql, ownClaim, recordFailure, type OutboxRow } from './outbox-rows.ts';

export async function deliverLabelVoid(ctx: AppContext, row: OutboxRow, opts: { maxAttempts: number }, log: AppContext['log']): Promise<void> {
  const about = { outboxId: row.id, labelId: row.recipient, attempt: row.attempts };
  try {
    const { outcome, error } = await voidRequestedLabel(ctx, row.recipient);
    if (outcome === 'retry') {
      const giveUp = row.attempts >= opts.maxAttempts;
      await recordFailure(ctx, row, error ?? 'not answered', { giveUp });
      log.warn({ ...about, error, giveUp }, giveUp ? 'label void failed; shown to staff' : 'label void not answered; will retry');
      return;
    }
    await ctx.db
      .update(outbox)
      .set({ status: outcome === 'refused' ? 'failed' : 'sent', sentAt: nowSql(ctx), lockedUntil: null, lastError: error ?? null })
      .where(ownClaim(row));
    log.info({ ...about, outcome }, 'label void handled');
  } catch (err) {
    log.error({ ...about, err }, 'could not record the outcome of a label void');
  }
}
