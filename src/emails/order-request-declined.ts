// Sent when a cancellation or change request cannot be carried out, usually because the
// order has already been handed to the carrier.
import { contactLine, present, requestWords, trackingButton, type Template } from './content.ts';
import type { OrderRequestPayload } from '../domain/notifications/email-payloads.ts';

export const orderRequestDeclined: Template<OrderRequestPayload> = (p, ctx) => {
  const w = requestWords[p.requestType];
  return {
    subject: `We could not ${w.verb} order ${p.orderNumber}`,
    preheader: `An update on your ${w.noun} request for order ${p.orderNumber}.`,
    blocks: [
      { kind: 'heading', text: `We could not ${w.verb} your order` },
      {
        kind: 'paragraph',
        text: [`We are sorry: your request to ${w.verb} order `, { strong: p.orderNumber }, ' could not be carried out.'],
      },
      {
        kind: 'facts',
        rows: [
          ['Order number', p.orderNumber],
          ['Request', w.label],
          ['Case number', p.caseNumber],
        ],
      },
      present(p.reason)
        ? { kind: 'quote', label: 'Why', text: p.reason }
        : {
            kind: 'paragraph',
            text: 'Usually this means the order had already been handed to the carrier. From that point on, it can no longer be changed or cancelled.',
          },
      {
        kind: 'paragraph',
        text: 'Once your parcel arrives you can still ask for a return or an exchange: start a request from your order page with your order number and a description of the item’s condition.',
      },
      trackingButton(p.trackingUrl),
      contactLine(ctx),
    ],
  };
};
