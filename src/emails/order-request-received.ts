// Sent when a customer asks to cancel or change an order: we have it, and here is the rule.
import { capitalize, contactLine, present, requestWords, trackingButton, type Template } from './content.ts';
import type { OrderRequestPayload } from '../domain/notifications/email-payloads.ts';

export const orderRequestReceived: Template<OrderRequestPayload> = (p, ctx) => {
  const w = requestWords[p.requestType];
  return {
    subject: `${capitalize(w.noun)} request for ${p.orderNumber} received`,
    preheader: `We are reviewing your request to ${w.verb} order ${p.orderNumber}.`,
    blocks: [
      { kind: 'heading', text: 'We have your request' },
      {
        kind: 'paragraph',
        text: [
          `Thanks for letting us know you would like to ${w.verb} order `,
          { strong: p.orderNumber },
          '. Our customer service team will review it and reply by email.',
        ],
      },
      {
        kind: 'facts',
        rows: [
          ['Order number', p.orderNumber],
          ['Request', w.label],
          ['Case number', p.caseNumber],
        ],
      },
      ...(present(p.reason) ? [{ kind: 'quote' as const, label: 'Your note', text: p.reason }] : []),
      {
        kind: 'note',
        text: 'An order can only be changed or cancelled before it is handed to the carrier. If it ships while we review your request, we will tell you what you can do instead.',
      },
      trackingButton(p.trackingUrl),
      contactLine(ctx),
    ],
  };
};
