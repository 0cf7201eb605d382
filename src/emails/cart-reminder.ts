// The one reminder after a checkout left without paying: what is in the cart at today's
// prices, what changed since, a link that restores the cart, and a way to stop these emails.
// The footer carries the shop's postal address, as every marketing email must.
import { money, type Template } from './content.ts';
import type { CartReminderPayload } from '../domain/notifications/email-payloads.ts';

export const cartReminder: Template<CartReminderPayload> = (p, ctx) => ({
  subject: `Your cart at ${ctx.settings.storeName} is saved`,
  preheader: 'Pick up where you left off: your cart is waiting.',
  blocks: [
    { kind: 'heading', text: 'You left something in your cart' },
    { kind: 'paragraph', text: 'You started a checkout with us and did not finish it. Your cart is saved; this link brings it back on any device.' },
    ...(p.changes.length ? [{ kind: 'note' as const, title: 'Since you left', text: p.changes.join(' ') }] : []),
    {
      kind: 'items',
      lines: p.items.map((i) => ({ name: i.name, quantity: i.quantity, unitPrice: money(i.unitPrice, i.currency), lineTotal: money(i.unitPrice * i.quantity, i.currency) })),
    },
    { kind: 'button', label: 'Return to my cart', href: p.restoreUrl },
    { kind: 'paragraph', muted: true, text: 'Prices and stock are checked again when you pay. This is the only reminder we send about this cart.' },
    {
      kind: 'paragraph',
      muted: true,
      text: ['Do not want reminders like this? ', { link: 'Unsubscribe', href: p.unsubscribeUrl }, '. Emails about your orders still reach you.'],
    },
  ],
});
