// The owner's webhook endpoints: register one (its secret is returned this once), list them,
// switch one off or back on, delete it. The secret is kept as is in the database: an HMAC
// can only be made with the secret itself, so a one-way hash (as for passwords) would leave
// nothing to sign with. It never appears again in a page or an API answer after creation.
import { desc, eq } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Conn } from '../../db/client.ts';
import { webhookEndpoints } from '../../db/schema.ts';
import { DomainError, notFound, validationFailed, type FieldErrors } from '../shared/errors.ts';
import { webhookHostRefusal, webhookUrlProblem, type Resolver } from './webhook-address.ts';
import { isWebhookEventType, type WebhookEventType } from './webhook-events.ts';
import { newWebhookSecret } from './webhook-signature.ts';

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
/** An endpoint as pages and the API show it: everything but the secret. */
export type EndpointView = Omit<WebhookEndpoint, 'secret'> & { events: WebhookEventType[] };

export type EndpointInput = { url: string; description?: string; events: string[] };

const DESCRIPTION_MAX = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const viewOf = ({ secret: _secret, ...e }: WebhookEndpoint): EndpointView => ({ ...e, events: e.events.filter(isWebhookEventType) });

/** Field problems of an endpoint form or API body (no network); empty when it is fine. */
export function endpointInputProblems(input: Partial<EndpointInput>): FieldErrors {
  const errors: FieldErrors = {};
  const urlProblem = webhookUrlProblem(String(input.url ?? '').trim());
  if (urlProblem) errors.url = urlProblem;
  if (String(input.description ?? '').length > DESCRIPTION_MAX) errors.description = `Keep the description under ${DESCRIPTION_MAX} characters.`;
  const events = input.events ?? [];
  if (events.length === 0) errors.events = 'Choose at least one event.';
  else if (!events.every(isWebhookEventType)) errors.events = `Unknown event: ${events.find((e) => !isWebhookEventType(e))}.`;
  return errors;
}

export async function createEndpoint(
  ctx: AppContext,
  staffId: string | null,
  input: EndpointInput,
  opts: { resolve?: Resolver } = {},
): Promise<{ endpoint: EndpointView; secret: string }> {
  const errors = endpointInputProblems(input);
  if (Object.keys(errors).length) throw validationFailed(errors);
  const url = input.url.trim();
  const refusal = await webhookHostRefusal(url, { allowPrivate: ctx.config.webhooksAllowPrivate, resolve: opts.resolve });
  if (refusal) throw validationFailed({ url: refusal }, 'This URL cannot receive webhooks.');
  const secret = newWebhookSecret();
  const [row] = await ctx.db
    .insert(webhookEndpoints)
    .values({ url, description: (input.description ?? '').trim(), events: [...new Set(input.events)], secret, createdBy: staffId, createdAt: ctx.clock.now() })
    .returning();
  return { endpoint: viewOf(row!), secret };
}

export async function listEndpoints(conn: Conn): Promise<EndpointView[]> {
  return (await conn.select().from(webhookEndpoints).orderBy(desc(webhookEndpoints.createdAt))).map(viewOf);
}

/** The endpoint with its secret (for signing); 404 for an unknown or malformed id. */
export async function findEndpoint(conn: Conn, id: string): Promise<WebhookEndpoint> {
  const [row] = UUID.test(id) ? await conn.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)) : [];
  if (!row) throw notFound('Webhook endpoint');
  return row;
}

/** Switched off by staff (or, through the delivery bookkeeping, after repeated failures). Queued deliveries then fail at once. */
export async function disableEndpoint(ctx: AppContext, id: string, reason = 'Disabled by staff.'): Promise<EndpointView> {
  await findEndpoint(ctx.db, id);
  const [row] = await ctx.db
    .update(webhookEndpoints)
    .set({ status: 'disabled', disabledReason: reason, disabledAt: ctx.clock.now() })
    .where(eq(webhookEndpoints.id, id))
    .returning();
  return viewOf(row!);
}

/** Back on with a clean slate; the address is checked again (it may have moved meanwhile). */
export async function enableEndpoint(ctx: AppContext, id: string, opts: { resolve?: Resolver } = {}): Promise<EndpointView> {
  const endpoint = await findEndpoint(ctx.db, id);
  const refusal = await webhookHostRefusal(endpoint.url, { allowPrivate: ctx.config.webhooksAllowPrivate, resolve: opts.resolve });
  if (refusal) throw new DomainError('conflict', refusal);
  const [row] = await ctx.db
    .update(webhookEndpoints)
    .set({ status: 'active', disabledReason: null, disabledAt: null, consecutiveFailures: 0, failingSince: null })
    .where(eq(webhookEndpoints.id, id))
    .returning();
  return viewOf(row!);
}

export async function deleteEndpoint(ctx: AppContext, id: string): Promise<void> {
  await findEndpoint(ctx.db, id);
  await ctx.db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id));
}
