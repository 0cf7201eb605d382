// Admin API for outgoing webhooks: register endpoints (the secret is in the 201 answer only),
// list, disable, re-enable and delete them, read an endpoint's delivery log and resend a
// delivery. Bearer token with webhooks.manage (owner). The body every delivery carries is
// described in README.md (Webhooks).
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { createEndpoint, deleteEndpoint, disableEndpoint, enableEndpoint, findEndpoint, listEndpoints, viewOf, type EndpointView } from '../../domain/webhooks/webhook-endpoints.ts';
import { WEBHOOK_EVENT_TYPES } from '../../domain/webhooks/webhook-events.ts';
import { endpointDeliveries, resendDelivery, type WebhookDelivery } from '../../domain/webhooks/webhook-log.ts';
import { requireApiStaff } from '../admin/auth.ts';
import { errors } from './schemas.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const eventType = z.enum(WEBHOOK_EVENT_TYPES as [string, ...string[]]);

const endpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  events: z.array(eventType),
  status: z.enum(['active', 'disabled']),
  disabledReason: z.string().nullable(),
  disabledAt: z.string().nullable(),
  consecutiveFailures: z.number().int().describe('Failed attempts in a row; at 20 (or 3 days of failures) the endpoint is disabled'),
  createdAt: z.string(),
});

const deliverySchema = z.object({
  id: z.number().int().describe('Outbox row id; use it to resend'),
  deliveryId: z.string().describe('The X-Casanova-Delivery header of this delivery'),
  event: eventType,
  status: z.enum(['pending', 'sending', 'sent', 'failed']),
  attempts: z.array(
    z.object({ attempt: z.number().int(), statusCode: z.number().int().nullable(), durationMs: z.number().int(), error: z.string().nullable(), at: z.string() }),
  ),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  body: z.string().describe('The JSON body exactly as sent (and signed)'),
});

const endpointJson = (e: EndpointView) => ({
  id: e.id,
  url: e.url,
  description: e.description,
  events: e.events,
  status: e.status as 'active' | 'disabled',
  disabledReason: e.disabledReason,
  disabledAt: iso(e.disabledAt),
  consecutiveFailures: e.consecutiveFailures,
  createdAt: e.createdAt.toISOString(),
});

const deliveryJson = (d: WebhookDelivery) => ({
  ...d,
  status: d.status as 'pending' | 'sending' | 'sent' | 'failed',
  attempts: d.attempts.map((a) => ({ ...a, at: a.at.toISOString() })),
  createdAt: d.createdAt.toISOString(),
  sentAt: iso(d.sentAt),
  nextAttemptAt: iso(d.nextAttemptAt),
});

const idParams = z.object({ id: z.string().min(1).max(64) });
const tags = ['admin: webhooks'];
const security = [{ bearer: [] }];

export function adminWebhooksApi(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const preHandler = requireApiStaff(ctx, 'webhooks.manage');

    app.get(
      '/admin/webhooks',
      { preHandler, schema: { tags, security, summary: 'Registered webhook endpoints, newest first', response: { 200: z.object({ items: z.array(endpointSchema) }), ...errors(401, 403) } } },
      async () => ({ items: (await listEndpoints(ctx.db)).map(endpointJson) }),
    );

    app.post(
      '/admin/webhooks',
      {
        preHandler,
        schema: {
          tags,
          security,
          summary: 'Register an endpoint; the answer carries its signing secret, the only time it is shown',
          description: 'URLs resolving to loopback or private addresses are refused with 422 unless the store runs with WEBHOOKS_ALLOW_PRIVATE=on.',
          body: z.object({ url: z.string().max(2000), description: z.string().max(200).optional(), events: z.array(eventType).min(1).max(WEBHOOK_EVENT_TYPES.length) }),
          response: { 201: z.object({ endpoint: endpointSchema, secret: z.string().describe('whsec_…: keep it, it is never shown again') }), ...errors(401, 403, 422) },
        },
      },
      async (req, reply) => {
        const { endpoint, secret } = await createEndpoint(ctx, req.staff.id, req.body);
        return reply.code(201).send({ endpoint: endpointJson(endpoint), secret });
      },
    );

    app.get(
      '/admin/webhooks/:id',
      { preHandler, schema: { tags, security, summary: 'One endpoint (without its secret)', params: idParams, response: { 200: endpointSchema, ...errors(401, 403, 404) } } },
      async (req) => endpointJson(viewOf(await findEndpoint(ctx.db, req.params.id))),
    );

    app.delete(
      '/admin/webhooks/:id',
      { preHandler, schema: { tags, security, summary: 'Delete an endpoint and its delivery log', params: idParams, response: { 204: z.null(), ...errors(401, 403, 404) } } },
      async (req, reply) => {
        await deleteEndpoint(ctx, req.params.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/admin/webhooks/:id/disable',
      { preHandler, schema: { tags, security, summary: 'Stop sending to an endpoint', params: idParams, response: { 200: endpointSchema, ...errors(401, 403, 404) } } },
      async (req) => endpointJson(await disableEndpoint(ctx, req.params.id)),
    );

    app.post(
      '/admin/webhooks/:id/enable',
      {
        preHandler,
        schema: { tags, security, summary: 'Re-enable an endpoint (its failure count starts again)', params: idParams, response: { 200: endpointSchema, ...errors(401, 403, 404, 409) } },
      },
      async (req) => endpointJson(await enableEndpoint(ctx, req.params.id)),
    );

    app.get(
      '/admin/webhooks/:id/deliveries',
      {
        preHandler,
        schema: { tags, security, summary: 'The delivery log: the last 50 deliveries, newest first, with every attempt', params: idParams, response: { 200: z.object({ items: z.array(deliverySchema) }), ...errors(401, 403, 404) } },
      },
      async (req) => ({ items: (await endpointDeliveries(ctx.db, req.params.id)).map(deliveryJson) }),
    );

    app.post(
      '/admin/webhooks/:id/deliveries/:deliveryId/resend',
      {
        preHandler,
        schema: {
          tags,
          security,
          summary: 'Send a delivery again, as a new delivery with the same event body',
          params: z.object({ id: z.string().min(1).max(64), deliveryId: z.coerce.number().int().positive() }),
          response: { 202: z.object({ id: z.number().int().describe('The new delivery') }), ...errors(401, 403, 404, 409) },
        },
      },
      async (req, reply) => reply.code(202).send({ id: await resendDelivery(ctx, req.params.id, req.params.deliveryId) }),
    );
  };
}
