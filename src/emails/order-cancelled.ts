// Sent when an order is cancelled (by request, by staff, or because payment could not be kept).
import { contactLine, refundFacts, refundTiming, trackingButton, type Block, type Template } from './content.ts';
import type { OrderCancelledPayload } from '../domain/notifications/email-payloads.ts';

export const orderCancelled: Template<OrderCancelledPayload> = (p, ctx) => {
  const blocks: Block[] = [
    { kind: 'heading', text: 'Your order has been cancelled' },
    { kind: 'paragraph', text: ['Order ', { strong: p.orderNumber }, ' has been cancelled and will not be shipped.'] },
  ];
  if (p.refund) blocks.push({ kind: 'section', title: 'Your refund' }, refundFacts(p.refund), refundTiming);
  blocks.push(trackingButton(p.trackingUrl), contactLine(ctx));
  return {
    subject: `Order ${p.orderNumber} cancelled`,
    preheader: p.refund ? 'Your order is cancelled and the payment is being refunded.' : 'Your order is cancelled.',
    blocks,
  };
};
