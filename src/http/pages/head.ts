// The search-engine and link-preview part of a storefront page's <head>: description,
// robots, canonical address, Open Graph and Twitter card tags, and JSON-LD structured data.
// Every URL here is absolute, from PUBLIC_URL: crawlers and chat apps resolve nothing.
import type { StoreSettings } from '../../domain/settings/store-settings.ts';
import { escapeHtml, jsonForScript } from './html.tsx';

export type SocialImage = { url: string; width: number; height: number; alt: string };

export type PageMeta = {
  /** Page title without the store name ('' for the home page). */
  title: string;
  description?: string;
  /** Kept out of search results: personal pages (cart, checkout, tracking, account) and search results. */
  noindex?: boolean;
  /** The page's one address (path and query, no tracking or sort parameters); indexable pages only. */
  canonicalPath?: string;
  /** Open Graph kind and picture: a product page shows its first photo in link previews. */
  social?: { type: 'website' | 'product'; image?: SocialImage };
  /** schema.org nodes (Product, Store…), written as JSON-LD. */
  structuredData?: object[];
};

/** A path on this shop as an absolute URL. */
export const absoluteUrl = (publicUrl: string, path: string) => `${publicUrl}${path.startsWith('/') ? path : `/${path}`}`;

/** What a page without its own description says about the shop. */
export const shopDescription = (settings: StoreSettings) =>
  `${settings.storeName}: lighting, textiles, kitchenware and decor, carefully packed and tracked to your door.`;

export function headTags(settings: StoreSettings, publicUrl: string, page: PageMeta): string {
  const description = page.description?.trim() || shopDescription(settings);
  const tags = [meta('name', 'description', description)];
  if (page.noindex) {
    tags.push(meta('name', 'robots', 'noindex'));
  } else {
    const url = page.canonicalPath ? absoluteUrl(publicUrl, page.canonicalPath) : undefined;
    if (url) tags.push(`<link rel="canonical" href="${escapeHtml(url)}">`);
    tags.push(...socialTags(settings, publicUrl, page, description, url));
  }
  for (const node of page.structuredData ?? []) tags.push(`<script type="application/ld+json">${jsonForScript(node)}</script>`);
  return tags.join('');
}

function socialTags(settings: StoreSettings, publicUrl: string, page: PageMeta, description: string, url: string | undefined): string[] {
  const title = page.title || settings.storeName;
  const image = page.social?.image;
  const imageUrl = image ? absoluteUrl(publicUrl, image.url) : undefined;
  const tags = [
    meta('property', 'og:site_name', settings.storeName),
    meta('property', 'og:type', page.social?.type ?? 'website'),
    meta('property', 'og:title', title),
    meta('property', 'og:description', description),
    // A large card when there is a picture to show, the small one otherwise.
    meta('name', 'twitter:card', image ? 'summary_large_image' : 'summary'),
    meta('name', 'twitter:title', title),
    meta('name', 'twitter:description', description),
  ];
  if (url) tags.push(meta('property', 'og:url', url));
  if (image && imageUrl) {
    tags.push(
      meta('property', 'og:image', imageUrl),
      meta('property', 'og:image:width', String(image.width)),
      meta('property', 'og:image:height', String(image.height)),
      meta('property', 'og:image:alt', image.alt),
      meta('name', 'twitter:image', imageUrl),
      meta('name', 'twitter:image:alt', image.alt),
    );
  }
  return tags;
}

const meta = (attr: 'name' | 'property', key: string, content: string) => `<meta ${attr}="${key}" content="${escapeHtml(content)}">`;
