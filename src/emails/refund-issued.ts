// Sent when money goes back to the customer's card for an order.
import { cardLabel, contactLine, money, refundTiming, trackingButton, type Template } from './content.ts';
import type { RefundIssuedPayload } from '../domain/notifications/email-payloads.ts';

export const refundIssued: Template<RefundIssuedPayload> = (p, ctx) => {
  const amount = money(p.amount, p.currency);
  const card = cardLabel(p.brand, p.last4);
  return {
    subject: `Refund of ${amount} for order ${p.orderNumber}`,
    preheader: `${amount} is on its way back to your ${card}.`,
    blocks: [
      { kind: 'heading', text: 'Your refund is on its way' },
      { kind: 'paragraph', text: ['We have refunded ', { strong: amount }, ` to your ${card}.`] },
      {
        kind: 'facts',
        rows: [
          ['Order number', p.orderNumber],
          ['Refund amount', amount],
          ['Refunded to', card],
          ['Reason', p.reason],
        ],
      },
      refundTiming,
      trackingButton(p.trackingUrl),
      contactLine(ctx),
    ],
  };
};
