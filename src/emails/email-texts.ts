// The shop's own wording for an email: a subject, an intro and a closing written in the back
// office with {{variables}}, laid over what the template made. Only those three texts change;
// every other block (items, totals, payment record, tracking link) stays as the template built
// it, so no override can remove them. Overrides are plain text: they become ordinary text
// blocks, which the HTML layout escapes and the text layout prints, from the same string.
import type { Block, EmailContent } from './content.ts';
import type { RenderContext, TemplateName, TemplatePayloads } from '../domain/notifications/email-payloads.ts';
import type { EmailTexts } from '../db/schema/notifications.ts';

export type { EmailTexts };
export type TextField = keyof EmailTexts;
export const TEXT_FIELDS: readonly TextField[] = ['subject', 'intro', 'closing'];

type AnyPayload = Record<string, unknown>;
type Variable = { description: string; value: (p: AnyPayload, ctx: RenderContext) => string };

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const order = (p: AnyPayload) => (p.order ?? {}) as { number?: string; shippingAddress?: { name?: string } };

/** Every variable an email may use, with what it stands for. */
export const VARIABLES = {
  shop_name: { description: 'The shop name from Settings', value: (_p, ctx) => ctx.settings.storeName },
  order_number: { description: 'The order number', value: (p) => str(p.orderNumber) || str(order(p).number) },
  customer_name: { description: 'The customer’s name', value: (p) => str(order(p).shippingAddress?.name) || str(p.name) },
  case_number: { description: 'The support or return case number', value: (p) => str(p.caseNumber) },
  carrier: { description: 'The carrier of the parcel', value: (p) => str(p.carrier) },
  tracking_number: { description: 'The carrier’s tracking number', value: (p) => str(p.trackingNumber) },
} satisfies Record<string, Variable>;

export type VariableName = keyof typeof VARIABLES;

const orderEmail: VariableName[] = ['shop_name', 'order_number'];
const caseEmail: VariableName[] = ['shop_name', 'order_number', 'case_number'];

/** The fixed list of variables each email may use: only what its payload always carries. */
export const EMAIL_VARIABLES: { [K in TemplateName]: readonly VariableName[] } = {
  order_confirmation: ['shop_name', 'order_number', 'customer_name'],
  order_shipped: [...orderEmail, 'carrier', 'tracking_number'],
  order_delivered: orderEmail,
  order_request_received: orderEmail,
  order_request_approved: orderEmail,
  order_request_declined: orderEmail,
  order_cancelled: orderEmail,
  refund_issued: orderEmail,
  return_received: caseEmail,
  return_approved: caseEmail,
  return_declined: caseEmail,
  return_refunded: caseEmail,
  return_exchanged: caseEmail,
  delivery_problem_received: caseEmail,
  contact_acknowledgement: ['shop_name', 'customer_name', 'case_number'],
  support_reply: ['shop_name', 'customer_name', 'case_number'],
  payment_released: ['shop_name'],
  customer_sign_in: ['shop_name'],
  cart_reminder: ['shop_name'],
  payment_link: ['shop_name'],
  webhook_disabled: ['shop_name'],
};

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The {{names}} in `text` that `template` does not offer, each once, in order of appearance. */
export function unknownVariables(template: TemplateName, text: string): string[] {
  const allowed = new Set<string>(EMAIL_VARIABLES[template]);
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))].filter((name) => !allowed.has(name));
}

/** Replaces each {{variable}} with its value for this email (unknown names were refused on save). */
export function fillVariables<T extends TemplateName>(template: T, text: string, payload: TemplatePayloads[T], ctx: RenderContext): string {
  const allowed = new Set<string>(EMAIL_VARIABLES[template]);
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    allowed.has(name) ? VARIABLES[name as VariableName].value(payload as unknown as AnyPayload, ctx) : whole,
  );
}

/**
 * Where the intro and closing sit in a template's blocks: the intro is the first paragraph
 * before any section (after the heading); the closing is the last block when it is a plain
 * paragraph. Either may be missing, and the override is then inserted at that place.
 */
export function textSlots(blocks: Block[]): { intro: number; closing: number } {
  const firstSection = blocks.findIndex((b) => b.kind === 'section');
  const beforeSections = firstSection === -1 ? blocks.length : firstSection;
  const intro = blocks.findIndex((b, i) => i < beforeSections && b.kind === 'paragraph');
  const last = blocks.at(-1);
  const closing = last?.kind === 'paragraph' && !last.muted && blocks.length - 1 !== intro ? blocks.length - 1 : -1;
  return { intro, closing };
}

/** The template's content with the overridden texts (already filled in) put in their places. */
export function applyTexts(content: EmailContent, texts: { [F in TextField]?: string | null }): EmailContent {
  const blocks = [...content.blocks];
  const { intro, closing } = textSlots(blocks);
  // The closing first: replacing it never moves the intro.
  if (texts.closing) {
    const block: Block = { kind: 'paragraph', text: texts.closing };
    if (closing >= 0) blocks[closing] = block;
    else blocks.push(block);
  }
  if (texts.intro) {
    const block: Block = { kind: 'paragraph', text: texts.intro };
    if (intro >= 0) blocks[intro] = block;
    else blocks.splice(blocks[0]?.kind === 'heading' ? 1 : 0, 0, block);
  }
  return { ...content, subject: texts.subject || content.subject, blocks };
}
