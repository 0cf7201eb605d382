// Sent when a cancellation or change request has been accepted.
import { contactLine, money, present, refundFacts, refundTiming, requestWords, trackingButton, type Block, type Template } from './content.ts';
import type { OrderRequestPayload } from '../domain/notifications/email-payloads.ts';

export const orderRequestApproved: Template<OrderRequestPayload> = (p, ctx) => {
  const cancel = p.requestType === 'cancel';
  const blocks: Block[] = [
    { kind: 'heading', text: cancel ? 'Your order has been cancelled' : 'Your order has been updated' },
    {
      kind: 'paragraph',
      text: cancel
        ? ['We approved your request: order ', { strong: p.orderNumber }, ' is cancelled and will not be shipped.']
        : ['We approved your request and made the changes to order ', { strong: p.orderNumber }, '.'],
    },
    {
      kind: 'facts',
      rows: [
        ['Order number', p.orderNumber],
        ['Request', requestWords[p.requestType].label],
        ['Case number', p.caseNumber],
      ],
    },
  ];
  if (present(p.reason)) blocks.push({ kind: 'quote', label: cancel ? 'Note from our team' : 'What we changed', text: p.reason });
  if (p.refund) blocks.push({ kind: 'section', title: 'Your refund' }, refundFacts(p.refund), refundTiming);
  if (p.payment) {
    const amount = money(p.payment.amount, p.payment.currency);
    blocks.push(
      { kind: 'section', title: 'To pay for the changes' },
      { kind: 'paragraph', text: ['The changes add ', { strong: amount }, ' to the order. We prepare it once this is paid.'] },
      { kind: 'button', label: `Pay ${amount}`, href: p.payment.url },
    );
  }
  if (!cancel && !p.payment) {
    blocks.push({
      kind: 'paragraph',
      text: 'Your order now continues as usual: verification, preparation, packing and handover to the carrier. We will email you the tracking number when it ships.',
    });
  }
  blocks.push(trackingButton(p.trackingUrl), contactLine(ctx));
  return {
    subject: cancel ? `Cancellation approved: order ${p.orderNumber}` : `Changes approved: order ${p.orderNumber}`,
    preheader: cancel ? `Order ${p.orderNumber} is cancelled.` : `Order ${p.orderNumber} has been updated as you asked.`,
    blocks,
  };
};
