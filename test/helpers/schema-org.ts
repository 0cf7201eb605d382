// A small schema.org checker for the JSON-LD the storefront emits: every property must be one
// schema.org defines for the node's type (or a type it inherits from), and every value must be
// of one of the property's expected types. The table is copied from the definitions on
// https://schema.org (each type's page lists its properties and their expected types), for the
// types the shop uses and their ancestors; properties the shop does not emit are listed only
// where they help show the table is the real vocabulary, not the shop's own list.

type Range = string[];
type TypeDef = { parents: string[]; properties: Record<string, Range> };

const TYPES: Record<string, TypeDef> = {
  Thing: {
    parents: [],
    properties: {
      name: ['Text'],
      alternateName: ['Text'],
      description: ['Text'],
      url: ['URL'],
      image: ['ImageObject', 'URL'],
      sameAs: ['URL'],
      identifier: ['PropertyValue', 'Text', 'URL'],
    },
  },
  Intangible: { parents: ['Thing'], properties: {} },
  StructuredValue: { parents: ['Intangible'], properties: {} },
  Product: {
    parents: ['Thing'],
    properties: {
      brand: ['Brand', 'Organization'],
      category: ['Text', 'URL', 'Thing'],
      sku: ['Text'],
      mpn: ['Text'],
      gtin: ['Text', 'URL'],
      productID: ['Text'],
      color: ['Text'],
      material: ['Text', 'URL', 'Product'],
      offers: ['Offer'],
      itemCondition: ['OfferItemCondition'],
      hasMerchantReturnPolicy: ['MerchantReturnPolicy'],
      additionalProperty: ['PropertyValue'],
    },
  },
  CreativeWork: { parents: ['Thing'], properties: { about: ['Thing'], headline: ['Text'], inLanguage: ['Language', 'Text'] } },
  WebPage: { parents: ['CreativeWork'], properties: { breadcrumb: ['BreadcrumbList', 'Text'], lastReviewed: ['Date'] } },
  ItemList: { parents: ['Intangible'], properties: { itemListElement: ['ListItem', 'Text', 'Thing'], numberOfItems: ['Integer'], itemListOrder: ['ItemListOrderType', 'Text'] } },
  BreadcrumbList: { parents: ['ItemList'], properties: {} },
  ListItem: { parents: ['Intangible'], properties: { item: ['Thing'], position: ['Integer', 'Text'], nextItem: ['ListItem'], previousItem: ['ListItem'] } },
  Brand: { parents: ['Intangible'], properties: { logo: ['ImageObject', 'URL'], slogan: ['Text'] } },
  Offer: {
    parents: ['Intangible'],
    properties: {
      price: ['Number', 'Text'],
      priceCurrency: ['Text'],
      priceValidUntil: ['Date'],
      availability: ['ItemAvailability'],
      itemCondition: ['OfferItemCondition'],
      sku: ['Text'],
      gtin: ['Text', 'URL'],
      mpn: ['Text'],
      seller: ['Organization', 'Person'],
      offeredBy: ['Organization', 'Person'],
      itemOffered: ['Product', 'Service', 'Thing'],
      hasMerchantReturnPolicy: ['MerchantReturnPolicy'],
      category: ['Text', 'URL', 'Thing'],
    },
  },
  AggregateOffer: {
    parents: ['Offer'],
    properties: { lowPrice: ['Number', 'Text'], highPrice: ['Number', 'Text'], offerCount: ['Integer'], offers: ['Offer'] },
  },
  Organization: {
    parents: ['Thing'],
    properties: {
      address: ['PostalAddress', 'Text'],
      telephone: ['Text'],
      email: ['Text'],
      logo: ['ImageObject', 'URL'],
      legalName: ['Text'],
      contactPoint: ['ContactPoint'],
      hasMerchantReturnPolicy: ['MerchantReturnPolicy'],
    },
  },
  Place: {
    parents: ['Thing'],
    properties: {
      address: ['PostalAddress', 'Text'],
      telephone: ['Text'],
      openingHoursSpecification: ['OpeningHoursSpecification'],
      specialOpeningHoursSpecification: ['OpeningHoursSpecification'],
      hasMap: ['Map', 'URL'],
    },
  },
  LocalBusiness: {
    parents: ['Organization', 'Place'],
    properties: { currenciesAccepted: ['Text'], openingHours: ['Text'], paymentAccepted: ['Text'], priceRange: ['Text'] },
  },
  Store: { parents: ['LocalBusiness'], properties: {} },
  OnlineBusiness: { parents: ['Organization'], properties: {} },
  OnlineStore: { parents: ['OnlineBusiness'], properties: {} },
  ContactPoint: {
    parents: ['StructuredValue'],
    properties: { telephone: ['Text'], email: ['Text'], contactType: ['Text'], hoursAvailable: ['OpeningHoursSpecification'], areaServed: ['Place', 'Text'] },
  },
  PostalAddress: {
    parents: ['ContactPoint'],
    properties: {
      streetAddress: ['Text'],
      addressLocality: ['Text'],
      addressRegion: ['Text'],
      postalCode: ['Text'],
      addressCountry: ['Country', 'Text'],
      postOfficeBoxNumber: ['Text'],
    },
  },
  OpeningHoursSpecification: {
    parents: ['StructuredValue'],
    properties: { dayOfWeek: ['DayOfWeek'], opens: ['Time'], closes: ['Time'], validFrom: ['Date', 'DateTime'], validThrough: ['Date', 'DateTime'] },
  },
  MerchantReturnPolicy: {
    parents: ['Intangible'],
    properties: {
      applicableCountry: ['Country', 'Text'],
      returnPolicyCountry: ['Country', 'Text'],
      returnPolicyCategory: ['MerchantReturnEnumeration'],
      merchantReturnDays: ['Date', 'DateTime', 'Integer'],
      merchantReturnLink: ['URL'],
      returnMethod: ['ReturnMethodEnumeration'],
      returnFees: ['ReturnFeesEnumeration'],
      refundType: ['RefundTypeEnumeration'],
      restockingFee: ['MonetaryAmount', 'Number'],
      itemCondition: ['OfferItemCondition'],
      inStoreReturnsOffered: ['Boolean'],
    },
  },
};

/** Enumerations: their members, written as https://schema.org/<Member>. */
const ENUMERATIONS: Record<string, string[]> = {
  ItemAvailability: ['BackOrder', 'Discontinued', 'InStock', 'InStoreOnly', 'LimitedAvailability', 'MadeToOrder', 'OnlineOnly', 'OutOfStock', 'PreOrder', 'PreSale', 'Reserved', 'SoldOut'],
  OfferItemCondition: ['DamagedCondition', 'NewCondition', 'RefurbishedCondition', 'UsedCondition'],
  DayOfWeek: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday', 'PublicHolidays'],
  MerchantReturnEnumeration: ['MerchantReturnFiniteReturnWindow', 'MerchantReturnNotPermitted', 'MerchantReturnUnlimitedWindow', 'MerchantReturnUnspecified'],
  ReturnMethodEnumeration: ['ReturnAtKiosk', 'ReturnByMail', 'ReturnInStore'],
  ReturnFeesEnumeration: ['FreeReturn', 'OriginalShippingFees', 'RestockingFees', 'ReturnFeesCustomerResponsibility', 'ReturnShippingFees'],
  RefundTypeEnumeration: ['ExchangeRefund', 'FullRefund', 'StoreCreditRefund'],
};

const DATA_TYPES: Record<string, (v: unknown) => boolean> = {
  Text: (v) => typeof v === 'string',
  URL: (v) => typeof v === 'string' && /^https?:\/\//.test(v) && URL.canParse(v),
  Number: (v) => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)),
  Integer: (v) => Number.isInteger(v),
  Boolean: (v) => typeof v === 'boolean',
  Date: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v),
  DateTime: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.test(v),
  Time: (v) => typeof v === 'string' && /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.test(v),
};

/** The type and every type it inherits from. */
function ancestry(type: string): string[] {
  const def = TYPES[type];
  return def ? [type, ...def.parents.flatMap(ancestry)] : [type];
}

const isSubtype = (type: string, of: string) => ancestry(type).includes(of);

function propertyRange(types: string[], property: string): Range | undefined {
  const ranges = types.flatMap(ancestry).map((t) => TYPES[t]?.properties[property]).filter((r): r is Range => Boolean(r));
  return ranges.length ? [...new Set(ranges.flat())] : undefined;
}

function valueFits(value: unknown, range: Range, path: string, problems: string[]): boolean {
  for (const expected of range) {
    if (DATA_TYPES[expected]?.(value)) return true;
    if (ENUMERATIONS[expected] && typeof value === 'string' && ENUMERATIONS[expected].some((m) => value === `https://schema.org/${m}`)) return true;
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const types = [(value as { '@type'?: unknown })['@type']].flat();
    if (types.some((t) => typeof t === 'string' && range.some((r) => isSubtype(t, r)))) {
      problems.push(...checkNode(value as Record<string, unknown>, path));
      return true;
    }
  }
  return false;
}

/** Problems with one JSON-LD node and the nodes inside it, each naming its path ("Product.offers[0].price"). */
export function checkNode(node: Record<string, unknown>, path = ''): string[] {
  const problems: string[] = [];
  const types = [node['@type']].flat();
  const here = path || String(types[0]);
  if (!types.length || types.some((t) => typeof t !== 'string' || !TYPES[t])) return [`${here}: unknown or missing @type ${JSON.stringify(node['@type'])}`];
  for (const [key, raw] of Object.entries(node)) {
    if (key.startsWith('@')) continue;
    const range = propertyRange(types as string[], key);
    if (!range) {
      problems.push(`${here}.${key}: not a schema.org property of ${types.join('/')}`);
      continue;
    }
    const values = Array.isArray(raw) ? raw : [raw];
    values.forEach((v, i) => {
      const at = `${here}.${key}${Array.isArray(raw) ? `[${i}]` : ''}`;
      if (!valueFits(v, range, at, problems)) problems.push(`${at}: ${JSON.stringify(v)} is not one of ${range.join(', ')}`);
    });
  }
  return problems;
}

/** Problems with a top-level JSON-LD document: the schema.org context, then its node. */
export function checkJsonLd(doc: Record<string, unknown>): string[] {
  const context = doc['@context'] === 'https://schema.org' ? [] : [`@context is ${JSON.stringify(doc['@context'])}, not https://schema.org`];
  return [...context, ...checkNode(doc)];
}
