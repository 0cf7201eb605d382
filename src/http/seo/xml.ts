// Escaping for the two XML documents the shop writes (sitemap, product feed). Both have a
// fixed shape, so strings are assembled directly; only the text needs care.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Characters XML 1.0 does not allow at all (most control characters): dropped, or the document is not well-formed. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text for an XML element or attribute value. */
export const xmlText = (s: string) => s.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/** `<name>text</name>`, or nothing when there is no value. */
export const xmlElement = (name: string, value: string | undefined) => (value === undefined || value === '' ? '' : `<${name}>${xmlText(value)}</${name}>`);
