// Sent when the replacement for an exchange has been shipped.
import { caseSummary, contactLine, trackingButton, type Template } from './content.ts';
import type { ReturnCasePayload } from './types.ts';

export const returnExchanged: Template<ReturnCasePayload> = (p, ctx) => ({
  subject: `Your replacement for ${p.caseNumber} has shipped`,
  preheader: `The replacement for order ${p.orderNumber} is on its way.`,
  blocks: [
    { kind: 'heading', text: 'Your replacement is on its way' },
    {
      kind: 'paragraph',
      text: ['We received the items you sent back for order ', { strong: p.orderNumber }, ' and have shipped your replacement.'],
    },
    ...caseSummary(p),
    { kind: 'paragraph', text: 'You can follow the delivery on your order page.' },
    trackingButton(p.trackingUrl, 'Track your replacement'),
    {
      kind: 'note',
      title: 'When it arrives',
      text: 'Check that the outer packaging is intact and the number of items is right before you sign for it.',
    },
    contactLine(ctx),
  ],
});
