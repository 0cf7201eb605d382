// Back-office support inbox: the queue and one case with its actions. Reading needs
// orders.view; replying, notes, assignee and status need support.reply; approving or
// declining a change or cancellation request needs requests.decide. Forms post, then
// redirect with a notice; a refusal re-renders the case with the reason or field errors.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { approveRequest, declineRequest, previewChange } from '../../domain/requests/request-decisions.ts';
import { formatMoney } from '../../domain/shared/money.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { can } from '../../domain/staff/roles.ts';
import { staffActor } from '../../domain/staff/staff-service.ts';
import { addCaseNote, assignCase, CASE_STATUSES, getCase, isCaseStatus, listCases, replyToCase, setCaseStatus, type AssigneeFilter } from '../../domain/support/support-service.ts';
import { render } from '../pages/html.tsx';
import { requireStaff } from './auth.ts';
import { csrfField, flash, sendAdminPage } from './admin-layout.tsx';
import { refusalOf } from './form-errors.ts';
import { text, type FormValues } from './views/form.tsx';
import { CaseView, type CasePageData } from './views/support-views.tsx';
import { InboxView, type InboxFilter } from './views/support-inbox-views.tsx';

const PAGE_SIZE = 50;

function inboxQuery(raw: Record<string, string | undefined>) {
  const status = raw.status ?? 'open';
  const filter: InboxFilter = status === 'all' ? 'all' : isCaseStatus(status) ? status : 'open';
  const assignee: AssigneeFilter | 'all' = raw.assignee === 'mine' || raw.assignee === 'unassigned' ? raw.assignee : 'all';
  const page = Math.min(10_000, Math.max(1, Math.floor(Number(raw.page)) || 1));
  return { filter, assignee, q: (raw.q ?? '').slice(0, 100).trim(), page };
}

export async function adminSupportPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  // Back-office pages are not part of the JSON API document.
  const read = { preHandler: requireStaff(ctx, 'orders.view'), schema: { hide: true } };
  const act = { preHandler: requireStaff(ctx, 'support.reply'), schema: { hide: true } };
  const decide = { preHandler: requireStaff(ctx, 'requests.decide'), schema: { hide: true } };
  const zone = () => ctx.settings().serviceHours.timeZone;

  async function casePage(req: FastifyRequest, reply: FastifyReply, number: string, refused?: CasePageData['refused'], status = 200) {
    let detail;
    try {
      detail = await getCase(ctx, number);
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'not_found')) throw err;
      const main = render(
        <div class="panel narrow">
          <h1>Case not found</h1>
          <p>
            There is no case {number}. <a href="/admin/support">Back to the inbox</a>
          </p>
        </div>,
      );
      return sendAdminPage(ctx, req, reply, { title: 'Case not found', active: 'support', main, status: 404 });
    }
    const data: CasePageData = {
      detail,
      viewer: req.staff,
      canAct: can(req.staff.role, 'support.reply'),
      canDecide: can(req.staff.role, 'requests.decide'),
      preview: detail.request ? await previewChange(ctx, detail.request) : undefined,
      csrf: csrfField(req),
      now: ctx.clock.now(),
      timeZone: zone(),
      refused,
    };
    return sendAdminPage(ctx, req, reply, { title: `Case ${detail.case.number}`, active: 'support', main: render(<CaseView {...data} />), status });
  }

  /** Runs a form action: success redirects to the case with a notice; a refusal shows the case again. */
  async function run(req: FastifyRequest<{ Params: { number: string } }>, reply: FastifyReply, action: string, step: (form: FormValues) => Promise<string>) {
    const form = (req.body ?? {}) as FormValues;
    try {
      flash(reply, await step(form));
      return reply.redirect(`/admin/support/${encodeURIComponent(req.params.number)}`, 303);
    } catch (err) {
      const refused = refusalOf(err, reply);
      if (!refused) throw err;
      return casePage(req, reply, req.params.number, { action, message: refused.message, errors: refused.fields, values: form }, refused.status);
    }
  }

  /** The request behind a case, or a 409 the case page shows. */
  async function requestOf(number: string): Promise<string> {
    const detail = await getCase(ctx, number);
    if (!detail.request) throw new DomainError('conflict', 'This case has no change or cancellation request to decide.');
    return detail.request.id;
  }

  app.get<{ Querystring: Record<string, string | undefined> }>('/admin/support', read, async (req, reply) => {
    const q = inboxQuery(req.query);
    const inbox = await listCases(ctx, req.staff, {
      status: q.filter === 'all' ? undefined : q.filter,
      assignee: q.assignee === 'all' ? undefined : q.assignee,
      q: q.q,
      page: q.page,
      limit: PAGE_SIZE,
    });
    const main = render(<InboxView inbox={inbox} {...q} limit={PAGE_SIZE} now={ctx.clock.now()} timeZone={zone()} />);
    return sendAdminPage(ctx, req, reply, { title: 'Support inbox', active: 'support', main });
  });

  app.get<{ Params: { number: string } }>('/admin/support/:number', read, async (req, reply) => casePage(req, reply, req.params.number));

  app.post<{ Params: { number: string } }>('/admin/support/:number/reply', act, async (req, reply) =>
    run(req, reply, 'reply', async (form) => {
      const updated = await replyToCase(ctx, req.params.number, req.staff, { body: text(form, 'body'), status: text(form, 'status') });
      return `Reply emailed to ${updated.email}. The case is now ${CASE_STATUSES[updated.status as keyof typeof CASE_STATUSES].toLowerCase()}.`;
    }),
  );

  app.post<{ Params: { number: string } }>('/admin/support/:number/notes', act, async (req, reply) =>
    run(req, reply, 'note', async (form) => {
      await addCaseNote(ctx, req.params.number, req.staff, text(form, 'note'));
      return 'Note added.';
    }),
  );

  app.post<{ Params: { number: string } }>('/admin/support/:number/assign', act, async (req, reply) =>
    run(req, reply, 'assign', async (form) => {
      const updated = await assignCase(ctx, req.params.number, req.staff, text(form, 'assignee') || null);
      return updated.assigneeId ? 'Case assigned.' : 'Case unassigned.';
    }),
  );

  app.post<{ Params: { number: string } }>('/admin/support/:number/status', act, async (req, reply) =>
    run(req, reply, 'status', async (form) => {
      const updated = await setCaseStatus(ctx, req.params.number, req.staff, text(form, 'status'));
      return `The case is now ${CASE_STATUSES[updated.status as keyof typeof CASE_STATUSES].toLowerCase()}.`;
    }),
  );

  app.post<{ Params: { number: string } }>('/admin/support/:number/approve', decide, async (req, reply) =>
    run(req, reply, 'approve', async () => {
      const outcome = await approveRequest(ctx, await requestOf(req.params.number), staffActor(req.staff));
      const refund = outcome.refund ? ` ${formatMoney(outcome.refund.amount, outcome.refund.currency)} ${outcome.refund.status === 'succeeded' ? 'refunded' : `refund ${outcome.refund.status}`}.` : '';
      const what = outcome.request.type === 'cancel' ? `Order ${outcome.order.number} cancelled; the stock is back.` : `Order ${outcome.order.number} changed.`;
      return `Request approved. ${what}${refund} The customer has been emailed.`;
    }),
  );

  app.post<{ Params: { number: string } }>('/admin/support/:number/decline', decide, async (req, reply) =>
    run(req, reply, 'decline', async (form) => {
      await declineRequest(ctx, await requestOf(req.params.number), staffActor(req.staff), text(form, 'reason'));
      return 'Request declined. The customer has been emailed the reason.';
    }),
  );
}
