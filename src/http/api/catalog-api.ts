// Catalog JSON API: product listing and product detail.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { SORTS } from '../../domain/catalog/catalog-repo.ts';
import { notFound } from '../../domain/shared/errors.ts';
import type { CatalogReader } from '../../domain/catalog/catalog-reader.ts';
import { errors, moneySchema, pageQuery } from './schemas.ts';

const summary = z.object({
  slug: z.string(),
  name: z.string(),
  category: z.string(),
  price: moneySchema,
  image: z.string().nullable(),
  inStock: z.boolean(),
});

const detail = z.object({
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  category: z.string(),
  images: z.array(z.object({ url: z.string(), thumbUrl: z.string(), alt: z.string(), width: z.number(), height: z.number() })),
  specifications: z.array(z.object({ name: z.string(), value: z.string() })),
  variants: z.array(
    z.object({
      sku: z.string(),
      options: z.record(z.string(), z.string()),
      price: moneySchema,
      compareAtPrice: moneySchema.optional(),
      stock: z.number().int(),
      /** One unit's shipping weight and size, when recorded. */
      weightGrams: z.number().int().nullable(),
      dimensionsMm: z.object({ length: z.number().int(), width: z.number().int(), height: z.number().int() }).nullable(),
    }),
  ),
});

export function catalogApi(ctx: AppContext, catalog: CatalogReader): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/products',
      {
        schema: {
          tags: ['catalog'],
          summary: 'List products',
          querystring: z.object({
            q: z.string().max(100).optional(),
            category: z.string().max(60).optional(),
            sort: z.enum(SORTS).optional(),
            ...pageQuery,
          }),
          response: { 200: z.object({ items: z.array(summary), total: z.number().int(), page: z.number().int(), limit: z.number().int() }), ...errors(400) },
        },
      },
      async (req) => {
        const { items, total } = await catalog.list(req.query);
        return {
          items: items.map((p) => ({ slug: p.slug, name: p.name, category: p.category.slug, price: p.price, image: p.image?.thumbUrl ?? null, inStock: p.inStock })),
          total,
          page: req.query.page,
          limit: req.query.limit,
        };
      },
    );

    app.get(
      '/products/:slug',
      {
        schema: {
          tags: ['catalog'],
          summary: 'One product with images, specifications and variants',
          params: z.object({ slug: z.string().max(120) }),
          response: { 200: detail, ...errors(404) },
        },
      },
      async (req) => {
        const p = await catalog.product(req.params.slug);
        if (!p) throw notFound('Product');
        return {
          slug: p.slug,
          name: p.name,
          description: p.description,
          category: p.category.slug,
          images: p.images,
          specifications: p.specifications,
          variants: p.variants.map(({ id: _id, ...v }) => v),
        };
      },
    );
  };
}
