// GET /returns/label?t=<signed token>: the customer's prepaid return label, linked from the
// return-approved email. The token is the only key, so the answer is never cached by others.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { returnLabelPdf } from '../../domain/shipments/return-labels.ts';

export async function returnLabelPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  app.get<{ Querystring: { t?: string } }>('/returns/label', async (req, reply) => {
    const pdf = typeof req.query.t === 'string' ? await returnLabelPdf(ctx, req.query.t) : undefined;
    if (!pdf) return reply.code(404).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('This return label link is not valid (it may have expired). Please contact us for a new one.');
    return reply.header('cache-control', 'private, no-store').header('content-disposition', 'inline; filename="return-label.pdf"').type('application/pdf').send(pdf);
  });
}
