// Delivers the outbox. Each run claims a batch of due rows in one statement
// (FOR UPDATE SKIP LOCKED, so workers in several processes and on several machines each
// get different rows), renders every email, hands it to the mailer and records the outcome.
// A claim is a lease: rows of a worker that died mid-send become due again when it ends.
// Delivery is at least once; the Message-ID derived from the row id makes a resend after
// a crash recognisable to mail systems and people.
import { and, eq, inArray, lt, lte, or, sql } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { outbox } from '../db/schema.ts';
import { MailDeliveryError, type Mailer, type MailMessage } from '../domain/notifications/mailer.ts';
import { OUTBOX_CHANNEL } from '../domain/notifications/outbox.ts';
import { createSmsSender, type SmsSender } from '../domain/notifications/sms.ts';
import { isTemplateName, renderEmail, type RenderContext, type RenderedEmail } from '../emails/index.ts';
import { describeWeeklyHours } from '../domain/support/service-hours.ts';
import { loadEmailTexts } from '../domain/notifications/email-overrides.ts';
import { nowSql, ownClaim, plusMs, recordFailure, type OutboxRow } from './outbox-rows.ts';
import { deliverWebhook } from './webhook-delivery.ts';
import { deliverLabelVoid } from './label-void-delivery.ts';
import { LABEL_OUTBOX_CHANNEL } from '../domain/shipments/label-records.ts';

export type { OutboxRow } from './outbox-rows.ts';
export { retryDelayMs } from './outbox-rows.ts';

export type OutboxWorkerOptions = {
  mailer: Mailer;
  /** Text messages (default: files under DATA_DIR/sms). */
  sms?: SmsSender;
  /** Fallback poll interval; new rows wake the worker at once through LISTEN/NOTIFY. */
  pollMs?: number;
  /** Rows claimed per run; they are sent in parallel. */
  batchSize?: number;
  /** Attempts before a row is marked failed (default: config.outboxMaxAttempts). */
  maxAttempts?: number;
  /** How long a claim holds; must comfortably exceed one send (the SMTP timeouts add up to under a minute). */
  leaseMs?: number;
  /** How long a webhook receiver may take to answer before the attempt counts as failed. */
  webhookTimeoutMs?: number;
  /** Deliver only when runOnce() is called: no polling, no listening (tests and scripts that count deliveries). */
  manual?: boolean;
};

export type OutboxWorker = {
  /** Claims and delivers one batch; resolves with the number of rows claimed. */
  runOnce(): Promise<number>;
  /** Stops polling and listening, and waits for the sends in flight to finish and be recorded. */
  stop(): Promise<void>;
};

export const OUTBOX_DEFAULTS = { pollMs: 5_000, batchSize: 10, leaseMs: 5 * 60_000, webhookTimeoutMs: 10_000, manual: false } as const;

/** `<outbox-42@shop.example>`: one id per outbox row, the same on every attempt. */
export function outboxMessageId(rowId: number, publicUrl: string): string {
  const host = URL.canParse(publicUrl) ? new URL(publicUrl).hostname : '';
  // A domain or IPv4 address is a valid right-hand side; anything else (IPv6 in brackets) gets a placeholder.
  return `<outbox-${rowId}@${/^[A-Za-z0-9.-]+$/.test(host) ? host : 'casanova.invalid'}>`;
}

/**
 * Claims up to `batchSize` due rows (email, text message, webhook, label void): pending ones whose time has come, and rows
 * still marked sending whose lease ran out (their worker died). Each claim counts as an attempt.
 */
export async function claimOutboxRows(ctx: AppContext, opts: { batchSize: number; leaseMs: number }): Promise<OutboxRow[]> {
  const now = nowSql(ctx);
  const due = ctx.db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        inArray(outbox.channel, ['email', 'sms', 'webhook', LABEL_OUTBOX_CHANNEL]),
        or(and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now)), and(eq(outbox.status, 'sending'), lt(outbox.lockedUntil, now))),
      ),
    )
    .orderBy(outbox.id)
    .limit(opts.batchSize)
    .for('update', { skipLocked: true });
  return ctx.db
    .update(outbox)
    .set({ status: 'sending', lockedUntil: plusMs(ctx, opts.leaseMs), attempts: sql`${outbox.attempts} + 1` })
    .where(inArray(outbox.id, due))
    .returning();
}

export function startOutboxWorker(ctx: AppContext, options: OutboxWorkerOptions): OutboxWorker {
  const opts = {
    ...OUTBOX_DEFAULTS,
    maxAttempts: ctx.config.outboxMaxAttempts,
    sms: createSmsSender(ctx.config),
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  } as Required<OutboxWorkerOptions>;
  const log = ctx.log.child({ component: 'outbox-worker' });

  let stopped = false;
  // Runs never overlap within one worker: the loop and runOnce() queue on this chain.
  let chain: Promise<unknown> = Promise.resolve();
  const runOnce = (): Promise<number> => {
    const run = chain.then(() => deliverBatch(ctx, opts, log));
    chain = run.catch(() => {});
    return run;
  };

  let timer: NodeJS.Timeout | undefined;
  let looping: Promise<void> | undefined;
  let wokenWhileRunning = false;

  const loop = async () => {
    do {
      wokenWhileRunning = false;
      // A full batch means more rows are probably waiting: keep going before sleeping.
      while (!stopped && (await runOnce()) === opts.batchSize);
    } while (!stopped && wokenWhileRunning);
  };

  const wake = () => {
    if (stopped) return;
    if (looping) {
      wokenWhileRunning = true;
      return;
    }
    clearTimeout(timer);
    looping = loop()
      .catch((err) => log.error({ err }, 'outbox run failed; trying again at the next poll'))
      .finally(() => {
        looping = undefined;
        if (!stopped) timer = setTimeout(wake, opts.pollMs);
      });
  };

  if (!opts.manual) {
    ctx.database.listen(OUTBOX_CHANNEL, wake).catch((err) => log.warn({ err }, 'cannot listen for new outbox rows; polling only'));
    // Rows left from before a restart go out right away.
    wake();
  }

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await looping;
      await chain;
    },
  };
}

/** What every email is rendered with: the current settings and the public base URL. */
export function emailRenderContext(ctx: AppContext): RenderContext {
  const settings = ctx.settings();
  return { settings, publicUrl: ctx.config.publicUrl, serviceHoursLines: describeWeeklyHours(settings.serviceHours) };
}

async function deliverBatch(ctx: AppContext, opts: Required<OutboxWorkerOptions>, log: AppContext['log']): Promise<number> {
  const rows = await claimOutboxRows(ctx, opts);
  if (rows.length === 0) return 0;
  const settings = ctx.settings();
  const renderContext = emailRenderContext(ctx);
  // The shop's own email texts, read once per batch from the database (shared by every instance).
  const texts = rows.some((r) => r.channel === 'email') ? await loadEmailTexts(ctx.db) : new Map();
  await Promise.all(
    rows.map(async (row) => {
      const about = { outboxId: row.id, template: row.template, attempt: row.attempts };
      if (row.channel === 'sms') return deliverSms(ctx, opts, row, about, log);
      if (row.channel === LABEL_OUTBOX_CHANNEL) return deliverLabelVoid(ctx, row, { maxAttempts: opts.maxAttempts }, log);
      if (row.channel === 'webhook') return deliverWebhook(ctx, row, { maxAttempts: opts.maxAttempts, timeoutMs: opts.webhookTimeoutMs }, log);
      try {
        let email: RenderedEmail;
        try {
          if (!isTemplateName(row.template)) throw new Error(`unknown email template "${row.template}"`);
          email = renderEmail(row.template, row.payload as never, renderContext, texts.get(row.template));
        } catch (err) {
          // The same payload would fail the same way on every attempt: stop at once.
          await recordFailure(ctx, row, `cannot render: ${(err as Error).message}`, { giveUp: true });
          log.error({ ...about, err }, 'email cannot be rendered; marked failed');
          return;
        }
        const message: MailMessage = {
          messageId: outboxMessageId(row.id, ctx.config.publicUrl),
          from: settings.email.from,
          replyTo: settings.email.replyTo,
          to: row.recipient,
          subject: email.subject,
          html: email.html,
          text: email.text,
        };
        try {
          await opts.mailer.send(message);
        } catch (err) {
          const permanent = err instanceof MailDeliveryError && err.permanent;
          const giveUp = permanent || row.attempts >= opts.maxAttempts;
          await recordFailure(ctx, row, (err as Error).message, { giveUp, subject: email.subject });
          log.warn({ ...about, error: (err as Error).message, permanent, giveUp }, giveUp ? 'email failed; shown to staff' : 'email not sent; will retry');
          return;
        }
        const recorded = await ctx.db
          .update(outbox)
          .set({ status: 'sent', sentAt: nowSql(ctx), messageId: message.messageId, subject: email.subject, lockedUntil: null, lastError: null })
          .where(ownClaim(row))
          .returning({ id: outbox.id });
        if (recorded.length === 0) log.warn(about, 'email sent after its lease ran out; another worker has the row now');
        else log.info(about, 'email sent');
      } catch (err) {
        // Recording the outcome failed (database gone): the lease brings the row back.
        log.error({ ...about, err }, 'could not record the outcome of an email');
      }
    }),
  );
  return rows.length;
}

async function deliverSms(ctx: AppContext, opts: Required<OutboxWorkerOptions>, row: OutboxRow, about: object, log: AppContext['log']) {
  try {
    try {
      await opts.sms.send({ id: `outbox-${row.id}`, to: row.recipient, body: String(row.payload.body) });
    } catch (err) {
      const giveUp = row.attempts >= opts.maxAttempts;
      await recordFailure(ctx, row, (err as Error).message, { giveUp });
      log.warn({ ...about, error: (err as Error).message, giveUp }, giveUp ? 'text message failed; shown to staff' : 'text message not sent; will retry');
      return;
    }
    await ctx.db.update(outbox).set({ status: 'sent', sentAt: nowSql(ctx), lockedUntil: null, lastError: null }).where(ownClaim(row));
    log.info(about, 'text message sent');
  } catch (err) {
    log.error({ ...about, err }, 'could not record the outcome of a text message');
  }
}
