// Product import (catalog.edit): a dry run or an import of one uploaded CSV; and the CSV
// exports of products (in the import's own columns) and of customers (from orders).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { applyImport, planImport, type ImportPlan } from '../../domain/catalog-import/import-plan.ts';
import { ImportFileError } from '../../domain/catalog-import/import-rows.ts';
import { customerExport, productExport } from '../../domain/catalog-import/exports.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { render } from '../pages/html.tsx';
import { requireStaff } from './auth.ts';
import { csrfToken, sendAdminPage } from './admin-layout.tsx';
import { toCsv } from './csv.ts';
import { ImportView } from './views/import-views.tsx';

export async function adminImportPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const guard = { preHandler: requireStaff(ctx, 'catalog.edit') };
  const show = (req: FastifyRequest, reply: FastifyReply, view: { plan?: ImportPlan; error?: string; applied?: boolean }, status = 200) =>
    sendAdminPage(ctx, req, reply, { title: 'Import products', active: 'catalog', main: render(<ImportView csrf={csrfToken(req)} {...view} />), status });

  app.get('/admin/products/import', guard, async (req, reply) => show(req, reply, {}));

  app.post('/admin/products/import', guard, async (req, reply) => {
    if (!req.isMultipart()) return show(req, reply, { error: 'Choose a CSV file.' }, 400);
    let csv: string | undefined;
    let mode = 'dry-run';
    try {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          const bytes = await part.toBuffer();
          if (part.fieldname === 'file') csv = bytes.toString('utf8');
        } else if (part.fieldname === 'mode' && typeof part.value === 'string') mode = part.value;
      }
    } catch (err) {
      if ((err as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw err;
      return show(req, reply, { error: 'This file is too large: import at most 8 MB at a time (split it into several files).' }, 413);
    }
    if (!csv?.trim()) return show(req, reply, { error: 'Choose a CSV file.' }, 400);
    try {
      if (mode === 'apply') {
        const plan = await applyImport(ctx, csv, req.staff.id);
        ctx.log.info({ by: req.staff.email, counts: plan.counts }, 'products imported');
        return show(req, reply, { plan, applied: true });
      }
      return show(req, reply, { plan: await planImport(ctx, csv) });
    } catch (err) {
      if (err instanceof ImportFileError) return show(req, reply, { error: err.message }, 422);
      if (err instanceof DomainError && err.code === 'conflict') return show(req, reply, { error: err.message, plan: (err.details as { plan: ImportPlan }).plan }, 409);
      throw err;
    }
  });

  const sendCsv = (reply: FastifyReply, name: string, file: { header: string[]; rows: (string | number)[][] }) =>
    reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${name}-${ctx.clock.now().toISOString().slice(0, 10)}.csv"`)
      .type('text/csv; charset=utf-8')
      .send(toCsv(file.header, file.rows));

  app.get('/admin/products.csv', guard, async (_req, reply) => sendCsv(reply, 'products', await productExport(ctx.db)));
  // Customers' contact details: for whoever may see orders and customers.
  app.get('/admin/customers.csv', { preHandler: requireStaff(ctx, 'orders.view') }, async (_req, reply) => sendCsv(reply, 'customers', await customerExport(ctx.db)));
}
