// After-sales JSON API. Customers apply with the order number and the email or phone used
// for it (the tracking lookup's matching and limits); staff (bearer token, returns.manage)
// list cases and move them on. Thin: validate, call one verb, answer with the case as it is now.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { getReturn, listReturns, type ReturnDetail } from '../../domain/returns/return-queries.ts';
import { RETURN_REASON_NAMES, RECEIVED_CONDITIONS } from '../../domain/returns/return-rules.ts';
import { applyForReturn } from '../../domain/returns/return-application.ts';
import { receiveReturn } from '../../domain/returns/return-receipt.ts';
import { approveReturn, declineReturn } from '../../domain/returns/return-review.ts';
import { closeReturn, exchangeReturn, refundReturn } from '../../domain/returns/return-settlement.ts';
import { ACTION_TARGET, RETURN_ACTIONS, RETURN_STATUSES, RETURN_TYPE_NAMES } from '../../domain/returns/return-states.ts';
import { staffActor } from '../../domain/staff/staff-service.ts';
import { requireApiStaff } from '../admin/auth.ts';
import { errors, moneySchema } from './schemas.ts';

const iso = z.string().describe('ISO 8601 date-time');
const line = z.object({ sku: z.string().min(1).max(60), quantity: z.number().int().min(1).max(10_000) });
const CONDITIONS = Object.keys(RECEIVED_CONDITIONS) as (keyof typeof RECEIVED_CONDITIONS)[];

const opened = z.object({
  id: z.string(),
  number: z.string().describe('The return (RMA) number'),
  status: z.enum(RETURN_STATUSES),
  caseNumber: z.string().describe('The customer-service case to quote in messages'),
});

const caseSchema = z.object({
  id: z.string(),
  number: z.string(),
  type: z.enum(RETURN_TYPE_NAMES),
  status: z.enum(RETURN_STATUSES),
  reason: z.string(),
  condition: z.string().describe("The customer's description"),
  photos: z.number().int().describe('How many photos the customer attached (seen in the back office)'),
  orderNumber: z.string(),
  caseNumber: z.string().nullable(),
  items: z.array(
    z.object({
      sku: z.string(),
      name: z.string(),
      quantity: z.number().int(),
      unitPrice: moneySchema,
      exchangeFor: z.object({ sku: z.string(), quantity: z.number().int() }).nullable(),
      condition: z.enum(CONDITIONS).nullable().describe('What staff found on receipt'),
    }),
  ),
  declineReason: z.string().nullable(),
  receivedCondition: z.string().nullable().describe('resellable, damaged or mixed'),
  refund: z.object({ id: z.string(), amount: moneySchema, status: z.enum(['pending', 'succeeded', 'failed']) }).nullable(),
  refundQuote: z
    .object({ goods: moneySchema, tax: moneySchema, shipping: moneySchema, fee: moneySchema, amount: moneySchema })
    .nullable()
    .describe('What "refund" would pay now; only while a refund is possible'),
  replacementOrder: z.object({ number: z.string(), status: z.string() }).nullable().describe('For exchanges: the order that carries the replacement'),
  allowedActions: z.array(z.enum(RETURN_ACTIONS)).describe('What may be done now'),
  createdAt: iso,
  updatedAt: iso,
});

function caseJson(d: ReturnDetail): z.infer<typeof caseSchema> {
  const rc = d.returnCase;
  const c = d.order.currency;
  const money = (amount: number) => ({ amount, currency: c });
  return {
    id: rc.id,
    number: rc.number,
    type: rc.type as z.infer<typeof caseSchema>['type'],
    status: rc.status as z.infer<typeof caseSchema>['status'],
    reason: rc.reason,
    condition: rc.condition,
    photos: rc.photos.length,
    orderNumber: d.order.number,
    caseNumber: d.supportCase?.number ?? null,
    items: d.items.map((i) => ({
      sku: i.sku,
      name: i.name,
      quantity: i.quantity,
      unitPrice: money(i.unitPrice),
      exchangeFor: i.exchange ? { sku: i.exchange.sku, quantity: i.exchange.quantity } : null,
      condition: i.condition,
    })),
    declineReason: rc.declineReason,
    receivedCondition: rc.receivedCondition,
    refund: d.refund ? { id: d.refund.id, amount: { amount: d.refund.amount, currency: d.refund.currency }, status: d.refund.status as 'pending' | 'succeeded' | 'failed' } : null,
    refundQuote: d.quote
      ? { goods: money(d.quote.goods), tax: money(d.quote.tax), shipping: money(d.quote.shipping), fee: money(d.quote.fee), amount: money(d.quote.amount) }
      : null,
    replacementOrder: d.replacement,
    allowedActions: RETURN_ACTIONS.filter((a) => d.next.includes(ACTION_TARGET[a])),
    createdAt: rc.createdAt.toISOString(),
    updatedAt: rc.updatedAt.toISOString(),
  };
}

const idParams = z.object({ id: z.string().min(1).max(40).describe('The case id, or its RMA number') });

export function returnsApi(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/returns',
      {
        schema: {
          tags: ['returns'],
          summary: 'Apply for a return, an exchange or a refund only, for a delivered order',
          description:
            'The order number with the email address or phone number given at checkout, as for tracking (same answer for an unknown order and a wrong contact; ' +
            'failed attempts are rate limited). 409 before delivery, after the return window, when more units are asked for than are left to return, or when a ' +
            'replacement is out of stock; 422 for missing or invalid fields (the condition is required). `exchangeFor` is for exchanges: variants of the same ' +
            'products, one for every unit sent back (the same variants when omitted). Photos can be attached on the /returns page.',
          body: z.object({
            orderNumber: z.string().max(100),
            contact: z.string().max(300).describe('Email address or phone number'),
            type: z.enum(RETURN_TYPE_NAMES),
            items: z.array(line).min(1).max(50),
            reason: z.enum(RETURN_REASON_NAMES),
            condition: z.string().max(5000).describe("The product's condition, in the customer's words"),
            exchangeFor: z.array(line).max(50).optional(),
          }),
          response: { 201: opened, ...errors(404, 409, 422, 429) },
        },
      },
      async (req, reply) => {
        const r = await applyForReturn(ctx, { ...req.body, clientIp: req.ip });
        return reply.code(201).send({ id: r.id, number: r.number, status: r.status, caseNumber: r.caseNumber });
      },
    );

    const manage = requireApiStaff(ctx, 'returns.manage');
    const security = [{ bearer: [] }];
    const tags = ['admin: returns'];

    app.get(
      '/admin/returns',
      {
        preHandler: manage,
        schema: {
          tags,
          summary: 'After-sales cases by status, with counts per status',
          security,
          querystring: z.object({
            status: z
              .enum([...RETURN_STATUSES, 'open', 'all'])
              .default('open')
              .describe('A status, "open" (every case not closed) or "all"'),
            page: z.coerce.number().int().min(1).max(10_000).default(1),
            limit: z.coerce.number().int().min(1).max(100).default(50),
          }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.string(),
                  number: z.string(),
                  type: z.string(),
                  status: z.enum(RETURN_STATUSES),
                  reason: z.string(),
                  orderNumber: z.string(),
                  customerName: z.string(),
                  items: z.array(line),
                  createdAt: iso,
                  updatedAt: iso,
                }),
              ),
              total: z.number().int(),
              page: z.number().int(),
              limit: z.number().int(),
              counts: z.record(z.string(), z.number().int()),
            }),
            ...errors(400, 401, 403),
          },
        },
      },
      async (req) => {
        const list = await listReturns(ctx.db, { status: req.query.status, page: req.query.page, limit: req.query.limit });
        return {
          items: list.items.map((i) => ({
            id: i.id,
            number: i.number,
            type: i.type,
            status: i.status,
            reason: i.reason,
            orderNumber: i.orderNumber,
            customerName: i.customerName,
            items: i.items,
            createdAt: i.createdAt.toISOString(),
            updatedAt: i.updatedAt.toISOString(),
          })),
          total: list.total,
          page: req.query.page,
          limit: req.query.limit,
          counts: list.counts,
        };
      },
    );

    app.get(
      '/admin/returns/:id',
      { preHandler: manage, schema: { tags, summary: 'One after-sales case', security, params: idParams, response: { 200: caseSchema, ...errors(401, 403, 404) } } },
      async (req) => caseJson(await getReturn(ctx, req.params.id)),
    );

    const schemaOf = (summary: string, description: string) => ({
      tags,
      summary,
      description,
      security,
      params: idParams,
      response: { 200: caseSchema, ...errors(401, 403, 404, 409, 422) },
    });
    const action = (summary: string, description: string) => ({ preHandler: manage, schema: schemaOf(summary, description) });

    app.post(
      '/admin/returns/:id/approve',
      {
        preHandler: manage,
        schema: {
          ...schemaOf('Approve: the customer is emailed the RMA number and the return address', '409 unless requested. A refund-only case goes on to the refund.'),
          body: z.object({ note: z.string().max(500).optional().describe('Added to the email') }).nullish(),
        },
      },
      async (req) => {
        await approveReturn(ctx, req.params.id, staffActor(req.staff), { note: req.body?.note });
        return caseJson(await getReturn(ctx, req.params.id));
      },
    );

    app.post(
      '/admin/returns/:id/decline',
      {
        preHandler: manage,
        schema: { ...schemaOf('Decline, with the reason the customer is emailed', '409 unless requested; the units can be asked for again.'), body: z.object({ reason: z.string().max(500) }) },
      },
      async (req) => {
        await declineReturn(ctx, req.params.id, staffActor(req.staff), { reason: req.body.reason });
        return caseJson(await getReturn(ctx, req.params.id));
      },
    );

    app.post(
      '/admin/returns/:id/receive',
      {
        preHandler: manage,
        schema: {
          ...schemaOf(
            'Record the items as received: resellable ones are restocked, damaged ones written off',
            '409 unless approved (and not refund-only). Give `condition` for every item, or per item in `items` (which wins).',
          ),
          body: z.object({ condition: z.enum(CONDITIONS).optional(), items: z.array(z.object({ sku: z.string().max(60), condition: z.enum(CONDITIONS) })).max(50).optional() }),
        },
      },
      async (req) => {
        await receiveReturn(ctx, req.params.id, staffActor(req.staff), req.body);
        return caseJson(await getReturn(ctx, req.params.id));
      },
    );

    app.post(
      '/admin/returns/:id/refund',
      action(
        'Refund the case: unit prices paid plus their tax share, shipping by policy, less any restocking fee',
        'Once per case: a repeated call answers with the refund already made (same refund id). 409 unless received (a return) or approved (refund only).',
      ),
      async (req) => {
        await refundReturn(ctx, req.params.id, staffActor(req.staff));
        return caseJson(await getReturn(ctx, req.params.id));
      },
    );

    app.post(
      '/admin/returns/:id/exchange',
      action('Send the replacement: a no-charge order for the chosen variants, stock taken, going through processing', '409 unless a received exchange, or when the stock is short.'),
      async (req) => {
        await exchangeReturn(ctx, req.params.id, staffActor(req.staff));
        return caseJson(await getReturn(ctx, req.params.id));
      },
    );

    app.post('/admin/returns/:id/close', action('Close the case', '409 unless refunded, exchanged or declined.'), async (req) => {
      await closeReturn(ctx, req.params.id, staffActor(req.staff));
      return caseJson(await getReturn(ctx, req.params.id));
    });
  };
}
