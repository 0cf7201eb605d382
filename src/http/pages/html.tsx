// Small helpers for server-rendered HTML. Pages are Preact components rendered to
// strings (escaping by default); finished fragments are plain strings so they can be cached.
import { renderToString } from 'preact-render-to-string';
import type { VNode } from 'preact';

export const render = (node: VNode): string => renderToString(node);

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML (for the few string templates that skip Preact, e.g. <title>). */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
