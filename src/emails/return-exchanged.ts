// Sent when the replacement for an exchange is on its way (a new order at no charge, in processing).
import { caseSummary, contactLine, trackingButton, type Template } from './content.ts';
import type { ReturnCasePayload } from '../domain/notifications/email-payloads.ts';

export const returnExchanged: Template<ReturnCasePayload> = (p, ctx) => ({
  subject: `Your replacement for ${p.caseNumber} is on its way`,
  preheader: `The replacement for order ${p.orderNumber} is being prepared.`,
  blocks: [
    { kind: 'heading', text: 'Your replacement is on its way' },
    {
      kind: 'paragraph',
      // The replacement travels as a new order at no charge: prepared, packed and shipped like any order.
      text: ['We received the items you sent back for order ', { strong: p.orderNumber }, ' and are preparing your replacement, at no charge.'],
    },
    ...caseSummary(p),
    { kind: 'paragraph', text: 'You can follow it from preparation to delivery on its order page; we email you the tracking number when it ships.' },
    trackingButton(p.trackingUrl, 'Track your replacement'),
    {
      kind: 'note',
      title: 'When it arrives',
      text: 'Check that the outer packaging is intact and the number of items is right before you sign for it.',
    },
    contactLine(ctx),
  ],
});
