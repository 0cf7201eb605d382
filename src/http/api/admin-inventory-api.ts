// Admin API for stock: read a variant's stock, set it to a counted quantity. Bearer token
// with the stock.adjust permission (owner, warehouse).
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { MAX_STOCK, findVariantStock, setStock, type VariantStock } from '../../domain/inventory/inventory-service.ts';
import { notFound } from '../../domain/shared/errors.ts';
import { requireApiStaff } from '../admin/auth.ts';
import { errors, moneySchema } from './schemas.ts';

const variantStock = z.object({
  sku: z.string(),
  productName: z.string(),
  options: z.record(z.string(), z.string()),
  price: moneySchema,
  stock: z.number().int(),
  updatedAt: z.iso.datetime().optional().describe('When the stock last changed; absent if it never changed since the variant was added'),
});

const skuParams = z.object({ sku: z.string().min(1).max(64) });

const view = (v: VariantStock) => ({ ...v, updatedAt: v.updatedAt?.toISOString() });

export function adminInventoryApi(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const guarded = { preHandler: requireApiStaff(ctx, 'stock.adjust') };

    app.get(
      '/admin/variants/:sku',
      {
        ...guarded,
        schema: {
          tags: ['admin'],
          summary: 'A variant with its stock',
          security: [{ bearer: [] }],
          params: skuParams,
          response: { 200: variantStock, ...errors(401, 403, 404) },
        },
      },
      async (req) => {
        const v = await findVariantStock(ctx.db, req.params.sku);
        if (!v) throw notFound(`SKU ${req.params.sku}`);
        return view(v);
      },
    );

    app.put(
      '/admin/variants/:sku/stock',
      {
        ...guarded,
        schema: {
          tags: ['admin'],
          summary: 'Set a variant’s stock to a counted quantity',
          description: 'Recorded in the stock ledger with who set it, the difference, and the reason given.',
          security: [{ bearer: [] }],
          params: skuParams,
          body: z.object({
            quantity: z.number().int().min(0).max(MAX_STOCK),
            reason: z.string().trim().max(500).optional().describe('Why, e.g. "cycle count aisle 3"'),
          }),
          response: { 200: variantStock, ...errors(401, 403, 404, 422) },
        },
      },
      async (req) => {
        await ctx.db.transaction((tx) => setStock(tx, { sku: req.params.sku, quantity: req.body.quantity, staffId: req.staff.id, note: req.body.reason }));
        const v = await findVariantStock(ctx.db, req.params.sku);
        return view(v!);
      },
    );
  };
}
