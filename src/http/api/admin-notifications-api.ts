// Admin API for the notification log: every email about one order, with its delivery state.
// Bearer token with orders.view.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { orderNotifications } from '../../domain/notifications/notification-log.ts';
import { requireApiStaff } from '../admin/auth.ts';
import { errors } from './schemas.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const notificationSchema = z.object({
  id: z.number().int(),
  template: z.string().describe('Email template, e.g. order_shipped'),
  recipient: z.string(),
  subject: z.string().nullable().describe('Known once the email has been rendered (at its first attempt)'),
  status: z.enum(['pending', 'sending', 'sent', 'failed']),
  attempts: z.number().int(),
  createdAt: z.string().describe('When it was queued (ISO 8601)'),
  sentAt: z.string().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable().describe('When the next attempt is due; null unless pending'),
});

export function adminNotificationsApi(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/admin/orders/:number/notifications',
      {
        preHandler: requireApiStaff(ctx, 'orders.view'),
        schema: {
          tags: ['admin: orders'],
          summary: 'The order’s notification log: every email about it, oldest first, with its delivery state',
          security: [{ bearer: [] }],
          params: z.object({ number: z.string().min(1).max(40) }),
          response: { 200: z.object({ number: z.string(), items: z.array(notificationSchema) }), ...errors(401, 403, 404) },
        },
      },
      async (req) => {
        const log = await orderNotifications(ctx.db, req.params.number);
        return {
          number: log.number,
          items: log.items.map((n) => ({ ...n, createdAt: n.createdAt.toISOString(), sentAt: iso(n.sentAt), nextAttemptAt: iso(n.nextAttemptAt) })),
        };
      },
    );
  };
}
