// Small helpers for server-rendered HTML. Pages are Preact components rendered to
// strings (escaping by default); finished fragments are plain strings so they can be cached.
import { renderToString } from 'preact-render-to-string';
import type { VNode } from 'preact';

export const render = (node: VNode): string => renderToString(node);

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML (for the few string templates that skip Preact, e.g. <title>). */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/**
 * JSON for inside a <script> element (JSON-LD). JSON.stringify leaves `<` as is, so a product
 * named `</script><script>…` would end the element; `\u003c` is the same JSON to a parser.
 * `>` and `&` are escaped too (`<!--`, `]]>`), and U+2028/U+2029, which older JavaScript
 * parsers read as line ends.
 */
export const jsonForScript = (value: unknown): string =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
