// /robots.txt, /sitemap.xml and /feeds/products.xml. The two XML documents are built from
// the database on first request and kept until the catalog or the settings change: every
// instance drops its copy on the change announcement (PostgreSQL NOTIFY, change-bus.ts), so
// no instance serves a sitemap that lists a product another instance has just hidden.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { CatalogReader } from '../../domain/catalog/catalog-reader.ts';
import { listFeedProducts, listVisibleProducts } from '../../domain/catalog/catalog-listing-repo.ts';
import { MemoCache } from '../../domain/shared/memo-cache.ts';
import { etagMatches } from '../content-encoding.ts';
import { productFeedXml } from './product-feed.ts';
import { robotsTxt, sitemapXml } from './sitemap.ts';

type Document = { body: string; etag: string };

const document = (body: string): Document => ({ body, etag: `W/"${createHash('sha1').update(body).digest('base64url')}"` });

export async function seoRoutes(app: FastifyInstance, { ctx, catalog }: { ctx: AppContext; catalog: CatalogReader }) {
  const documents = new MemoCache<Document>(4);
  catalog.onInvalidate(() => documents.clear());
  ctx.onChange('settings', () => documents.clear());
  const publicUrl = ctx.config.publicUrl;
  const robots = robotsTxt(publicUrl);

  app.get('/robots.txt', { schema: { hide: true } }, async (_req, reply) => reply.type('text/plain; charset=utf-8').send(robots));

  app.get('/sitemap.xml', { schema: { hide: true } }, async (req, reply) => {
    const doc = await documents.getOrCompute('sitemap', async () => {
      const [categories, products] = await Promise.all([catalog.categories(), listVisibleProducts(ctx.db)]);
      return document(sitemapXml(publicUrl, categories, products));
    });
    return sendDocument(req, reply, doc, 'application/xml; charset=utf-8');
  });

  app.get('/feeds/products.xml', { schema: { hide: true } }, async (req, reply) => {
    const doc = await documents.getOrCompute('feed', async () => document(productFeedXml(ctx.settings(), publicUrl, await listFeedProducts(ctx.db))));
    return sendDocument(req, reply, doc, 'application/rss+xml; charset=utf-8');
  });
}

/** Crawlers revalidate with the entity tag; "no-cache" lets no shared cache keep a stale copy. */
function sendDocument(req: FastifyRequest, reply: FastifyReply, doc: Document, type: string) {
  reply.header('etag', doc.etag).header('cache-control', 'no-cache');
  if (etagMatches(req.headers['if-none-match'], doc.etag)) return reply.code(304).send();
  return reply.type(type).send(doc.body);
}
