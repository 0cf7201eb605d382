// Sent when a customer reports a problem with a delivery (damage, missing items, wrong item).
import { contactLine, trackingButton, type Template } from './content.ts';
import type { DeliveryProblemPayload } from '../domain/notifications/email-payloads.ts';

export const deliveryProblemReceived: Template<DeliveryProblemPayload> = (p, ctx) => ({
  subject: `We are looking into order ${p.orderNumber} (case ${p.caseNumber})`,
  preheader: 'Thanks for telling us. Our team is on it.',
  blocks: [
    { kind: 'heading', text: 'We are looking into it' },
    {
      kind: 'paragraph',
      text: ['Thank you for telling us about a problem with order ', { strong: p.orderNumber }, '. We are sorry about this and will get back to you during our service hours.'],
    },
    {
      kind: 'facts',
      rows: [
        ['Case number', p.caseNumber],
        ['Order number', p.orderNumber],
      ],
    },
    { kind: 'quote', label: 'What you reported', text: p.problem },
    {
      kind: 'note',
      text: 'Until we have sorted this out, please keep the parcel, its packaging and the items as they are. We may ask you for photos.',
    },
    trackingButton(p.trackingUrl),
    contactLine(ctx),
  ],
});
