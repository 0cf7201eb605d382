// /admin/staff (owner only): list staff, add a member with a role, deactivate or reactivate,
// and give someone a new password.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { createStaff, listStaff, resetPassword, setStaffActive } from '../../domain/staff/staff-service.ts';
import { ROLES } from '../../domain/staff/roles.ts';
import { notFound } from '../../domain/shared/errors.ts';
import { render } from '../pages/html.tsx';
import { requireStaff } from './auth.ts';
import { csrfField, flash, sendAdminPage } from './admin-layout.tsx';
import { refusalOf } from './form-errors.ts';
import { text, type FormValues } from './views/form.tsx';
import { StaffView, type StaffPageData } from './views/staff-views.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type IdParams = { Params: { id: string } };

export async function adminStaffPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const guard = { preHandler: requireStaff(ctx, 'staff.manage') };

  async function page(req: FastifyRequest, reply: FastifyReply, extra: Partial<StaffPageData> = {}, status = 200) {
    const data: StaffPageData = {
      me: req.staff,
      members: await listStaff(ctx.db),
      now: ctx.clock.now(),
      timeZone: ctx.settings().serviceHours.timeZone,
      csrf: csrfField(req),
      ...extra,
    };
    return sendAdminPage(ctx, req, reply, { title: 'Staff', active: 'staff', main: render(<StaffView {...data} />), status });
  }

  const memberId = (req: FastifyRequest<IdParams>) => {
    if (!UUID.test(req.params.id)) throw notFound('Staff member');
    return req.params.id;
  };

  app.get('/admin/staff', guard, (req, reply) => page(req, reply));

  app.post('/admin/staff', guard, async (req, reply) => {
    const form = (req.body ?? {}) as FormValues;
    try {
      const member = await createStaff(ctx.db, { name: text(form, 'name'), email: text(form, 'email'), role: text(form, 'role'), password: text(form, 'password') });
      ctx.log.info({ staffId: member.id, role: member.role, by: req.staff.email }, 'staff member added');
      flash(reply, `Added ${member.name} (${ROLES[member.role].label}). They can sign in now with ${member.email} and the password you chose.`);
      return reply.redirect('/admin/staff', 303);
    } catch (err) {
      const refused = refusalOf(err, reply);
      if (!refused) throw err;
      return page(req, reply, { values: { ...form, password: '' }, errors: refused.fields, error: refused.message }, refused.status);
    }
  });

  for (const [action, active] of [['deactivate', false], ['reactivate', true]] as const) {
    app.post<IdParams>(`/admin/staff/:id/${action}`, guard, async (req, reply) => {
      try {
        const member = await setStaffActive(ctx, req.staff, memberId(req), active);
        flash(reply, active ? `${member.name} can sign in again.` : `${member.name} is deactivated and signed out everywhere.`);
        return reply.redirect('/admin/staff', 303);
      } catch (err) {
        const refused = refusalOf(err, reply);
        if (!refused) throw err;
        return page(req, reply, { error: refused.message }, refused.status);
      }
    });
  }

  app.post<IdParams>('/admin/staff/:id/password', guard, async (req, reply) => {
    const id = memberId(req);
    if (id === req.staff.id) return page(req, reply, { error: 'Change your own password under Account.' }, 409);
    const { member, password } = await resetPassword(ctx, { id });
    ctx.log.info({ staffId: member.id, by: req.staff.email }, 'staff password reset by an owner');
    // Shown in this response only (no redirect), so the password never sits in a cookie or a URL.
    return page(req, reply, { newPassword: { name: member.name, email: member.email, password } });
  });
}
