// /admin: the dashboard every signed-in staff member lands on — work waiting per stage,
// revenue today and this week, time per stage, orders per day, returns and refunds.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { dashboard } from '../../domain/reporting/dashboard-queries.ts';
import { can } from '../../domain/staff/roles.ts';
import { render } from '../pages/html.tsx';
import { requireStaff } from './auth.ts';
import { sendAdminPage } from './admin-layout.tsx';
import { DashboardView } from './views/dashboard-views.tsx';

export async function adminDashboardPage(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  app.get('/admin', { preHandler: requireStaff(ctx) }, async (req, reply) => {
    const d = await dashboard(ctx);
    const main = render(<DashboardView d={d} staffName={req.staff.name} canSeeOrders={can(req.staff.role, 'orders.view')} />);
    return sendAdminPage(ctx, req, reply, { title: 'Dashboard', active: 'dashboard', main });
  });
}
