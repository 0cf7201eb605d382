// schema.org structured data (JSON-LD) for search engines: the product on its page, and the
// shop itself (address, phone, email, opening hours, return policy) from the store settings.
// Only properties schema.org defines for each type are used; test/helpers/schema-org.ts checks.
import type { ProductDetail } from '../../domain/catalog/catalog-repo.ts';
import type { StoreSettings } from '../../domain/settings/store-settings.ts';
import { decimalAmount } from '../../domain/shared/money.ts';
import { absoluteUrl } from './head.ts';
import { optionText } from './views/catalog-views.tsx';

const SCHEMA = 'https://schema.org';
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** The shop's node id: offers name it as their seller. */
const storeId = (publicUrl: string) => absoluteUrl(publicUrl, '/#store');

/** The brand a product names in its specifications ("Brand: Acme"), if any. */
export const productBrand = (p: Pick<ProductDetail, 'specifications'>) => p.specifications.find((s) => s.name.trim().toLowerCase() === 'brand')?.value.trim() || undefined;

export function productStructuredData(p: ProductDetail, settings: StoreSettings, publicUrl: string): object {
  const url = absoluteUrl(publicUrl, `/products/${encodeURIComponent(p.slug)}`);
  const brand = productBrand(p);
  const single = p.variants.length === 1 ? p.variants[0] : undefined;
  return {
    '@context': SCHEMA,
    '@type': 'Product',
    '@id': `${url}#product`,
    name: p.name,
    description: p.description || undefined,
    url,
    image: p.images.length ? p.images.map((i) => absoluteUrl(publicUrl, i.url)) : undefined,
    sku: single?.sku,
    category: p.category.name,
    brand: brand ? { '@type': 'Brand', name: brand } : undefined,
    // One offer per variant, each with its own SKU, price and availability.
    offers: p.variants.map((v) => ({
      '@type': 'Offer',
      name: p.variants.length > 1 ? optionText(v.options) || v.sku : undefined,
      sku: v.sku,
      price: decimalAmount(v.price.amount),
      priceCurrency: v.price.currency,
      availability: `${SCHEMA}/${v.stock > 0 ? 'InStock' : 'OutOfStock'}`,
      itemCondition: `${SCHEMA}/NewCondition`,
      url,
      seller: { '@type': 'Store', '@id': storeId(publicUrl), name: settings.storeName },
    })),
  };
}

/** The product page's breadcrumb trail (Home / category / product), as search results show it. */
export function breadcrumbStructuredData(p: Pick<ProductDetail, 'slug' | 'name' | 'category'>, publicUrl: string): object {
  const trail = [
    { name: 'Home', path: '/' },
    { name: p.category.name, path: `/products?category=${encodeURIComponent(p.category.slug)}` },
    { name: p.name, path: `/products/${encodeURIComponent(p.slug)}` },
  ];
  return {
    '@context': SCHEMA,
    '@type': 'BreadcrumbList',
    itemListElement: trail.map((t, i) => ({
      '@type': 'ListItem',
      position: i + 1,
      name: t.name,
      item: { '@type': 'WebPage', '@id': absoluteUrl(publicUrl, t.path), url: absoluteUrl(publicUrl, t.path) },
    })),
  };
}

export function storeStructuredData(settings: StoreSettings, publicUrl: string): object {
  const c = settings.contact;
  return {
    '@context': SCHEMA,
    '@type': 'Store',
    '@id': storeId(publicUrl),
    name: settings.storeName,
    url: absoluteUrl(publicUrl, '/'),
    email: c.email,
    telephone: c.phone,
    address: postalAddress(c.address),
    currenciesAccepted: settings.currency,
    openingHoursSpecification: openingHours(settings.serviceHours.weekly),
    // Closed days: opening and closing at midnight is how schema.org says "closed".
    specialOpeningHoursSpecification: settings.serviceHours.holidays.length
      ? settings.serviceHours.holidays.map((d) => ({ '@type': 'OpeningHoursSpecification', opens: '00:00', closes: '00:00', validFrom: d, validThrough: d }))
      : undefined,
    hasMerchantReturnPolicy: returnPolicy(settings, publicUrl),
  };
}

/** Days with the same interval share one specification: Mon–Fri 09:00–12:00, Mon–Fri 14:00–18:00. */
function openingHours(weekly: StoreSettings['serviceHours']['weekly']): object[] {
  const byInterval = new Map<string, { opens: string; closes: string; days: string[] }>();
  for (let day = 1; day <= 7; day++) {
    for (const { start, end } of weekly[String(day)] ?? []) {
      const key = `${start}-${end}`;
      const spec = byInterval.get(key) ?? { opens: start, closes: end, days: [] };
      spec.days.push(`${SCHEMA}/${DAYS[day - 1]}`);
      byInterval.set(key, spec);
    }
  }
  return [...byInterval.values()]
    .sort((a, b) => a.opens.localeCompare(b.opens))
    .map((s) => ({ '@type': 'OpeningHoursSpecification', dayOfWeek: s.days, opens: s.opens, closes: s.closes }));
}

function returnPolicy(settings: StoreSettings, publicUrl: string): object {
  const r = settings.returns;
  return {
    '@type': 'MerchantReturnPolicy',
    // The shop delivers in the United States only (checkout takes US states).
    applicableCountry: 'US',
    returnPolicyCategory: `${SCHEMA}/${r.windowDays > 0 ? 'MerchantReturnFiniteReturnWindow' : 'MerchantReturnNotPermitted'}`,
    merchantReturnDays: r.windowDays > 0 ? r.windowDays : undefined,
    returnMethod: r.windowDays > 0 ? `${SCHEMA}/ReturnByMail` : undefined,
    // A number is a percentage of the price to schema.org.
    restockingFee: r.restockingFeeBp ? r.restockingFeeBp / 100 : undefined,
    merchantReturnLink: absoluteUrl(publicUrl, '/policies/returns'),
  };
}

/**
 * The settings keep the address as one line, "3850 Central Ave Apt 19, Parkersburg, WV 26104, US";
 * read as street, city, "STATE ZIP", country. Anything else is given whole as the street address.
 */
export function postalAddress(line: string): object {
  const parts = line.split(',').map((s) => s.trim()).filter(Boolean);
  const country = parts.length >= 4 && /^[A-Z]{2}$/.test(parts.at(-1)!) ? parts.at(-1) : undefined;
  const stateZip = parts.at(country ? -2 : -1)?.match(/^([A-Z]{2})\s+(\d{5}(?:-\d{4})?)$/);
  const rest = parts.slice(0, country ? -2 : -1);
  if (!stateZip || rest.length < 2) return { '@type': 'PostalAddress', streetAddress: line };
  return {
    '@type': 'PostalAddress',
    streetAddress: rest.slice(0, -1).join(', '),
    addressLocality: rest.at(-1),
    addressRegion: stateZip[1],
    postalCode: stateZip[2],
    addressCountry: country ?? 'US',
  };
}
