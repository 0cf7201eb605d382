// /sitemap.xml (sitemaps.org protocol): the home page, the listing and each category's
// listing, every visible product with <lastmod> from its last change, and the policy and
// contact pages. Hidden products never appear.
import type { Category } from '../../domain/catalog/catalog-repo.ts';
import type { VisibleProduct } from '../../domain/catalog/catalog-listing-repo.ts';
import { absoluteUrl } from '../pages/head.ts';
import { POLICIES } from '../pages/views/policy-views.tsx';
import { xmlElement } from './xml.ts';

/** A sitemap file may list at most 50,000 addresses (sitemaps.org); a shop this size would need an index of several files. */
export const SITEMAP_MAX_URLS = 50_000;

export function sitemapXml(publicUrl: string, categories: Category[], products: VisibleProduct[]): string {
  const latest = (list: VisibleProduct[]) => (list.length ? new Date(Math.max(...list.map((p) => p.updatedAt.getTime()))) : undefined);
  const entry = (path: string, lastmod?: Date) => `<url>${xmlElement('loc', absoluteUrl(publicUrl, path))}${xmlElement('lastmod', lastmod?.toISOString())}</url>`;
  const urls = [
    entry('/', latest(products)),
    entry('/products', latest(products)),
    ...categories.map((c) => entry(`/products?category=${encodeURIComponent(c.slug)}`, latest(products.filter((p) => p.categorySlug === c.slug)))),
    ...products.map((p) => entry(`/products/${encodeURIComponent(p.slug)}`, p.updatedAt)),
    ...Object.keys(POLICIES).map((slug) => entry(`/policies/${slug}`)),
    entry('/contact'),
  ].slice(0, SITEMAP_MAX_URLS);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}

/** /robots.txt: personal and back-office pages stay out of crawlers' way; the sitemap is named. */
export function robotsTxt(publicUrl: string): string {
  const disallow = ['/cart', '/checkout', '/account', '/track', '/returns', '/sandbox', '/admin', '/api/'];
  return ['User-agent: *', ...disallow.map((p) => `Disallow: ${p}`), '', `Sitemap: ${absoluteUrl(publicUrl, '/sitemap.xml')}`, ''].join('\n');
}
