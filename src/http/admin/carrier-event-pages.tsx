// POST /admin/orders/{number}/shipments/{id}/events: a carrier event entered by hand from
// the order page (form: views/carrier-event-views.tsx). Back to the order page with a notice.
import { DateTime, IANAZone } from 'luxon';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { CARRIER_EVENT_LABELS, isCarrierEventStatus, recordStaffCarrierEvent } from '../../domain/shipments/carrier-events.ts';
import { staffActor } from '../../domain/staff/staff-service.ts';
import { requireStaff } from './auth.ts';
import { flash } from './admin-layout.tsx';
import { refusalOf } from './form-errors.ts';
import { text, type FormValues } from './views/form.tsx';

type Params = { Params: { number: string; id: string } };

export async function adminCarrierEventPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  app.post<Params>('/admin/orders/:number/shipments/:id/events', { preHandler: requireStaff(ctx, 'orders.process') }, async (req, reply) => {
    const form = (req.body ?? {}) as FormValues;
    const back = `/admin/orders/${encodeURIComponent(req.params.number)}#shipments`;
    const zone = ctx.settings().serviceHours.timeZone;
    // The datetime-local value is a wall-clock time in the shop's zone.
    const at = DateTime.fromISO(text(form, 'occurredAt'), { zone: IANAZone.isValidZone(zone) ? zone : 'America/New_York' });
    try {
      const status = text(form, 'status');
      const r = await recordStaffCarrierEvent(
        ctx,
        { orderNumber: req.params.number, shipmentId: req.params.id },
        { status, occurredAt: at.isValid ? at.toJSDate() : new Date(Number.NaN), location: text(form, 'location'), description: text(form, 'description') },
        staffActor(req.staff),
      );
      const label = isCarrierEventStatus(status) ? CARRIER_EVENT_LABELS[status] : status;
      const delivered = r.deliveredOrder ? ' The order is now delivered and the customer was emailed.' : '';
      flash(reply, r.recorded ? `Carrier event “${label}” recorded.${delivered}` : 'This event was already recorded.');
    } catch (err) {
      const refused = refusalOf(err, reply);
      if (!refused) throw err;
      flash(reply, refused.message ?? Object.values(refused.fields).join(' '), 'error');
    }
    return reply.redirect(back, 303);
  });
}
