// What a template produces: a subject and a list of content blocks. The layout turns the
// same blocks into the HTML part and the plain-text part, so the two always say the same.
import { DateTime } from 'luxon';
import { formatMoney } from '../domain/shared/money.ts';
import { telHref } from '../domain/shared/phone.ts';
import type { RefundInfo, RenderContext, ReturnCasePayload } from '../domain/notifications/email-payloads.ts';

/** Inline text: plain, bold, or a link. */
export type Inline = string | { strong: string } | { link: string; href: string };

export type ItemLine = {
  name: string;
  /** Secondary lines under the name: chosen options, SKU. */
  details?: string[];
  quantity: number;
  unitPrice?: string;
  lineTotal?: string;
};

export type Block =
  /** The email's main title, once at the top. */
  | { kind: 'heading'; text: string }
  /** A paragraph; newlines inside a plain string are kept as line breaks. */
  | { kind: 'paragraph'; text: string | Inline[]; muted?: boolean }
  /** A titled section start. */
  | { kind: 'section'; title: string }
  /** The main call to action. */
  | { kind: 'button'; label: string; href: string }
  /** Label / value pairs (order number, card, carrier…). Empty values are left out. */
  | { kind: 'facts'; rows: Array<[label: string, value: string | null | undefined]> }
  /** Products, with optional prices and a totals block. */
  | { kind: 'items'; lines: ItemLine[]; totals?: Array<{ label: string; value: string; total?: boolean }> }
  /** Numbered steps. */
  | { kind: 'steps'; steps: Array<{ title: string; text: string | Inline[] }> }
  | { kind: 'bullets'; items: string[] }
  /** A postal address, one line each, with optional smaller lines below. */
  | { kind: 'address'; lines: string[]; extra?: string[] }
  /** Text someone wrote (the customer's message), shown set apart. */
  | { kind: 'quote'; label: string; text: string }
  /** A tinted box for the one thing not to miss. */
  | { kind: 'note'; title?: string; text: string | Inline[] };

export type EmailContent = {
  subject: string;
  /** The preview line mail apps show next to the subject. */
  preheader: string;
  blocks: Block[];
};

export type Template<P> = (payload: P, ctx: RenderContext) => EmailContent;

export const money = (cents: number, currency: string) => formatMoney(cents, currency);

/** "March 5, 2026, 2:14 PM EST" in the shop's time zone; unparseable input is shown as given. */
export function formatDateTime(iso: string, ctx: RenderContext): string {
  const dt = DateTime.fromISO(iso).setZone(ctx.settings.serviceHours.timeZone).setLocale('en-US');
  return dt.isValid ? dt.toFormat('LLLL d, yyyy, h:mm a ZZZZ') : iso;
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** "US" → "United States"; anything that is not a known region code is shown as given. */
export function countryName(code: string): string {
  try {
    return /^[A-Za-z]{2}$/.test(code) ? (regionNames.of(code.toUpperCase()) ?? code) : code;
  } catch {
    return code;
  }
}

const brandNames: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  american_express: 'American Express',
  discover: 'Discover',
  diners: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
};

export function cardLabel(brand: string, last4: string): string {
  const key = brand.trim().toLowerCase().replace(/[\s-]+/g, '_');
  const name = brandNames[key] ?? (brand ? brand.charAt(0).toUpperCase() + brand.slice(1) : 'Card');
  return `${name} ending in ${last4}`;
}

/** The refund facts shown wherever money goes back to a card. */
export function refundFacts(refund: RefundInfo): Block {
  return {
    kind: 'facts',
    rows: [
      ['Refund amount', money(refund.amount, refund.currency)],
      ['Refunded to', cardLabel(refund.brand, refund.last4)],
    ],
  };
}

/** Banks, not the shop, decide when a refund shows up; say so once, the same way everywhere. */
export const refundTiming: Block = {
  kind: 'paragraph',
  muted: true,
  text: 'Refunds go back to the card used for the purchase. Depending on your bank, it can take a few business days before the amount appears on your statement.',
};

export const trackingButton = (href: string, label = 'View your order'): Block => ({ kind: 'button', label, href });

/** How to reach customer service, in a sentence; the footer has the full details. */
export function contactLine(ctx: RenderContext): Block {
  const { phone, email } = ctx.settings.contact;
  return {
    kind: 'paragraph',
    text: [
      'Questions? Reply to this email, write to ',
      { link: email, href: `mailto:${email}` },
      ' or call ',
      { link: phone, href: telHref(phone) },
      ' during our service hours.',
    ],
  };
}

/** Only links a mail app may safely follow; anything else is shown as text. */
export function safeHref(href: string | null | undefined): string | null {
  if (!href) return null;
  const h = href.trim();
  return /^(https?:\/\/|mailto:|tel:)/i.test(h) ? h : null;
}

/** Plain words for the three kinds of after-sales case. */
export const caseWord = { return: 'return', exchange: 'exchange', refund: 'refund' } as const;

export const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Product lines without prices, e.g. the items of a shipment or a return. */
export const simpleItems = (items: Array<{ name: string; quantity: number }> | null | undefined): ItemLine[] =>
  (items ?? []).map((i) => ({ name: i.name, quantity: i.quantity }));

/** Payload text may be empty or missing; treat whitespace-only as missing. */
export const present = (s: string | null | undefined): s is string => typeof s === 'string' && s.trim() !== '';

/** Words for the two kinds of order request. */
export const requestWords = {
  cancel: { noun: 'cancellation', verb: 'cancel', label: 'Cancel the order' },
  modify: { noun: 'change', verb: 'change', label: 'Change the order' },
} as const;

/** The facts and items every after-sales email repeats, so the customer can match them up. */
export function caseSummary(p: ReturnCasePayload): Block[] {
  return [
    {
      kind: 'facts',
      rows: [
        ['Case number', p.caseNumber],
        ['Order number', p.orderNumber],
        ['Request', capitalize(caseWord[p.type])],
        ['RMA number', p.rmaNumber],
      ],
    },
    ...(p.items?.length ? [{ kind: 'section' as const, title: 'Items' }, { kind: 'items' as const, lines: simpleItems(p.items) }] : []),
  ];
}
