// Admin API for discounts: list, create, read, change and deactivate codes and automatic
// promotions. Bearer token with discounts.manage (owner, support). Money in cents, percent in
// basis points (1500 = 15 %), instants in ISO 8601; endsAt is the first instant it no longer applies.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { createDiscount, deactivateDiscount, findDiscount, listDiscounts, updateDiscount } from '../../domain/discounts/discount-admin.ts';
import { DISCOUNT_KIND_NAMES, type DiscountInput } from '../../domain/discounts/discount-rules.ts';
import type { DiscountRow } from '../../domain/discounts/discount-service.ts';
import { requireApiStaff } from '../admin/auth.ts';
import { errors } from './schemas.ts';

const kind = z.enum(DISCOUNT_KIND_NAMES as ['percent', 'fixed', 'free_shipping']);
const cap = z.number().int().nullable().describe('null: no cap');

const discountSchema = z.object({
  id: z.string(),
  code: z.string().nullable().describe('What shoppers type (case does not matter); null for an automatic promotion'),
  name: z.string(),
  kind,
  value: z.number().int().describe('percent: basis points (1500 = 15 %); fixed: cents; free_shipping: 0'),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable().describe('The first instant it no longer applies'),
  minSubtotal: z.number().int().describe('Cents of goods (before the discount) it needs'),
  usageCap: cap,
  perCustomerCap: cap.describe('Orders per email address (ignoring case); null: no cap'),
  active: z.boolean(),
  usedCount: z.number().int(),
  createdAt: z.string(),
});

const bodySchema = z.object({
  code: z.string().max(64).nullable().default(null),
  name: z.string().max(200).default(''),
  kind,
  value: z.number().int().default(0),
  startsAt: z.iso.datetime({ offset: true }).nullable().default(null),
  endsAt: z.iso.datetime({ offset: true }).nullable().default(null),
  minSubtotal: z.number().int().default(0),
  usageCap: cap.default(null),
  perCustomerCap: cap.default(null),
  active: z.boolean().default(true),
});

const inputOf = (b: z.infer<typeof bodySchema>): DiscountInput => ({
  ...b,
  code: b.code?.trim() || null,
  startsAt: b.startsAt ? new Date(b.startsAt) : null,
  endsAt: b.endsAt ? new Date(b.endsAt) : null,
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const discountJson = (d: DiscountRow): z.infer<typeof discountSchema> => ({
  id: d.id,
  code: d.code,
  name: d.name,
  kind: d.kind,
  value: d.value,
  startsAt: iso(d.startsAt),
  endsAt: iso(d.endsAt),
  minSubtotal: d.minSubtotal,
  usageCap: d.usageCap,
  perCustomerCap: d.perCustomerCap,
  active: d.active,
  usedCount: d.usedCount,
  createdAt: d.createdAt.toISOString(),
});

const idParams = z.object({ id: z.string().min(1).max(64) });
const tags = ['admin: discounts'];
const security = [{ bearer: [] }];

export function adminDiscountsApi(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const preHandler = requireApiStaff(ctx, 'discounts.manage');

    app.get(
      '/admin/discounts',
      { preHandler, schema: { tags, security, summary: 'Every discount, newest first', response: { 200: z.object({ items: z.array(discountSchema) }), ...errors(401, 403) } } },
      async () => ({ items: (await listDiscounts(ctx.db)).map(discountJson) }),
    );

    app.post(
      '/admin/discounts',
      {
        preHandler,
        schema: {
          tags,
          security,
          summary: 'Create a code or an automatic promotion',
          description: 'Refused with 422 and a message per field: percent 1–100 % (100–10000 bp), fixed above 0, end after start, code of 3–32 letters, digits, - or _, a code already in use.',
          body: bodySchema,
          response: { 201: discountSchema, ...errors(401, 403, 422) },
        },
      },
      async (req, reply) => reply.code(201).send(discountJson(await createDiscount(ctx, inputOf(req.body)))),
    );

    app.get(
      '/admin/discounts/:id',
      { preHandler, schema: { tags, security, summary: 'One discount', params: idParams, response: { 200: discountSchema, ...errors(401, 403, 404) } } },
      async (req) => discountJson(await findDiscount(ctx.db, req.params.id)),
    );

    app.put(
      '/admin/discounts/:id',
      {
        preHandler,
        schema: { tags, security, summary: 'Change a discount (its used count stays)', params: idParams, body: bodySchema, response: { 200: discountSchema, ...errors(401, 403, 404, 422) } },
      },
      async (req) => discountJson(await updateDiscount(ctx, req.params.id, inputOf(req.body))),
    );

    app.post(
      '/admin/discounts/:id/deactivate',
      { preHandler, schema: { tags, security, summary: 'Stop new orders from using it', params: idParams, response: { 200: discountSchema, ...errors(401, 403, 404) } } },
      async (req) => discountJson(await deactivateDiscount(ctx, req.params.id)),
    );
  };
}
