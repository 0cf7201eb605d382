// Sent when a payment succeeded but no order could be made from it: the money goes back.
import { contactLine, refundFacts, refundTiming, type Block, type Template } from './content.ts';
import type { PaymentReleasedPayload } from '../domain/notifications/email-payloads.ts';

export const paymentReleased: Template<PaymentReleasedPayload> = (p, ctx) => {
  const why =
    p.reason === 'out_of_stock'
      ? `While your payment was being confirmed, the last units of what you chose were sold (${p.detail}). We could not place your order.`
      : p.reason === 'discount_used_up'
        ? `${p.detail} We could not place your order at the discounted price.`
        : 'This cart had already been paid for and turned into an order, so this second payment was not needed.';
  const blocks: Block[] = [
    { kind: 'heading', text: 'Your order could not be placed' },
    { kind: 'paragraph', text: why },
    { kind: 'section', title: p.refunded ? 'Your refund' : 'Your payment' },
    refundFacts({ amount: p.amount, currency: p.currency, brand: p.brand, last4: p.last4 }),
    p.refunded
      ? refundTiming
      : { kind: 'paragraph', text: 'The amount was only reserved on your card and has been released; it was never charged. Your bank may take a few days to show it.' },
    { kind: 'button', label: 'Back to your cart', href: p.cartUrl },
    contactLine(ctx),
  ];
  return {
    subject: p.reason !== 'duplicate' ? 'Your order could not be placed: your payment is coming back' : 'A second payment was returned',
    preheader: p.refunded ? 'Nothing is owed: the full amount is being refunded.' : 'Nothing was charged: the reserved amount was released.',
    blocks,
  };
};
