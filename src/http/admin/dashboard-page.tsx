// /admin: the dashboard every signed-in staff member lands on — work waiting per stage,
// revenue today and this week, time per stage, orders per day, returns and refunds, and
// (for the owner) sales per state against the economic-nexus thresholds.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { dashboard } from '../../domain/reporting/dashboard-queries.ts';
import { nexusProgress } from '../../domain/reporting/tax-report.ts';
import { can } from '../../domain/staff/roles.ts';
import { render } from '../pages/html.tsx';
import { requireStaff } from './auth.ts';
import { sendAdminPage } from './admin-layout.tsx';
import { DashboardView } from './views/dashboard-views.tsx';

export async function adminDashboardPage(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  app.get('/admin', { preHandler: requireStaff(ctx) }, async (req, reply) => {
    const d = await dashboard(ctx);
    const nexus = can(req.staff.role, 'reports.tax') ? await nexusProgress(ctx.db, ctx.settings(), ctx.clock.now()) : undefined;
    const main = render(<DashboardView d={d} staffName={req.staff.name} canSeeOrders={can(req.staff.role, 'orders.view')} nexus={nexus} />);
    return sendAdminPage(ctx, req, reply, { title: 'Dashboard', active: 'dashboard', main });
  });
}
