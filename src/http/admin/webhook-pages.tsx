// /admin/webhooks (webhooks.manage, owner): the endpoints and "Add endpoint"; one endpoint's
// page with its delivery log, Disable / Re-enable, Delete and Resend. The signing secret is
// rendered into the answer to the creating POST only, never put in a cookie or a redirect.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { createEndpoint, deleteEndpoint, disableEndpoint, enableEndpoint, findEndpoint, listEndpoints, viewOf } from '../../domain/webhooks/webhook-endpoints.ts';
import { endpointDeliveries, resendDelivery } from '../../domain/webhooks/webhook-log.ts';
import { render } from '../pages/html.tsx';
import { csrfField, flash, sendAdminPage } from './admin-layout.tsx';
import { requireStaff } from './auth.ts';
import { refusalOf } from './form-errors.ts';
import { when } from './views/display.tsx';
import { list, text, type FormValues } from './views/form.tsx';
import { WebhookEndpointView, WebhookListView } from './views/webhook-views.tsx';

type IdParams = { Params: { id: string } };

export async function adminWebhookPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const guard = { preHandler: requireStaff(ctx, 'webhooks.manage') };
  const at = (d: Date) => when(d, ctx.settings().serviceHours.timeZone, ctx.clock.now());
  const page = (req: FastifyRequest, reply: FastifyReply, title: string, main: string, status = 200) =>
    sendAdminPage(ctx, req, reply, { title, active: 'webhooks', main, status });

  const listPage = async (req: FastifyRequest, reply: FastifyReply, form?: { values: FormValues; errors: Record<string, string>; error?: string }, status = 200) => {
    const endpoints = await listEndpoints(ctx.db);
    return page(req, reply, 'Webhooks', render(<WebhookListView endpoints={endpoints} csrf={csrfField(req)} {...form} />), status);
  };

  const endpointPage = async (req: FastifyRequest, reply: FastifyReply, id: string, extra: { secret?: string; error?: string } = {}, status = 200) => {
    const endpoint = viewOf(await findEndpoint(ctx.db, id));
    const deliveries = await endpointDeliveries(ctx.db, id);
    return page(req, reply, `Webhook ${endpoint.url}`, render(<WebhookEndpointView endpoint={endpoint} deliveries={deliveries} csrf={csrfField(req)} at={at} {...extra} />), status);
  };

  /** Runs a verb on an endpoint; a refusal (not found, conflict) is shown on its page or the list. */
  const act = async (req: FastifyRequest<IdParams>, reply: FastifyReply, verb: () => Promise<string>, then = `/admin/webhooks/${req.params.id}`) => {
    try {
      flash(reply, await verb());
      return reply.redirect(then, 303);
    } catch (err) {
      const refused = refusalOf(err, reply);
      if (!refused) throw err;
      if (err instanceof DomainError && err.code === 'not_found') return listPage(req, reply, { values: {}, errors: {}, error: err.message }, 404);
      return endpointPage(req, reply, req.params.id, { error: refused.message }, refused.status);
    }
  };

  app.get('/admin/webhooks', guard, async (req, reply) => listPage(req, reply));

  app.post('/admin/webhooks', guard, async (req, reply) => {
    const form = (req.body ?? {}) as FormValues;
    try {
      const { endpoint, secret } = await createEndpoint(ctx, req.staff.id, { url: text(form, 'url'), description: text(form, 'description'), events: list(form, 'events') });
      return endpointPage(req, reply, endpoint.id, { secret }, 201);
    } catch (err) {
      const refused = refusalOf(err, reply);
      if (!refused) throw err;
      return listPage(req, reply, { values: form, errors: refused.fields, error: refused.message }, refused.status);
    }
  });

  app.get<IdParams>('/admin/webhooks/:id', guard, async (req, reply) =>
    endpointPage(req, reply, req.params.id).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'not_found') return listPage(req, reply, { values: {}, errors: {}, error: err.message }, 404);
      throw err;
    }),
  );

  app.post<IdParams>('/admin/webhooks/:id/disable', guard, (req, reply) => act(req, reply, async () => (await disableEndpoint(ctx, req.params.id), 'Endpoint disabled: nothing more is sent to it.')));
  app.post<IdParams>('/admin/webhooks/:id/enable', guard, (req, reply) => act(req, reply, async () => (await enableEndpoint(ctx, req.params.id), 'Endpoint re-enabled.')));
  app.post<IdParams>('/admin/webhooks/:id/delete', guard, (req, reply) => act(req, reply, async () => (await deleteEndpoint(ctx, req.params.id), 'Endpoint deleted.'), '/admin/webhooks'));
  app.post<{ Params: { id: string; deliveryId: string } }>('/admin/webhooks/:id/deliveries/:deliveryId/resend', guard, (req, reply) =>
    act(req as FastifyRequest<IdParams>, reply, async () => (await resendDelivery(ctx, req.params.id, Number(req.params.deliveryId)), 'Delivery queued again.')),
  );
}
