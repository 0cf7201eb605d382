// Sent when the refund for a return (or a refund-only case) has been issued.
import { caseSummary, caseWord, contactLine, money, refundFacts, refundTiming, trackingButton, type Block, type Template } from './content.ts';
import type { ReturnCasePayload } from '../domain/notifications/email-payloads.ts';

export const returnRefunded: Template<ReturnCasePayload> = (p, ctx) => {
  const amount = p.refund ? money(p.refund.amount, p.refund.currency) : null;
  const blocks: Block[] = [
    { kind: 'heading', text: 'Your refund has been issued' },
    {
      kind: 'paragraph',
      text: amount
        ? [`Your ${caseWord[p.type]} for order `, { strong: p.orderNumber }, ' is complete and we have refunded ', { strong: amount }, '.']
        : [`Your ${caseWord[p.type]} for order `, { strong: p.orderNumber }, ' is complete and we have issued your refund.'],
    },
    ...caseSummary(p),
  ];
  if (p.refund) blocks.push({ kind: 'section', title: 'Your refund' }, refundFacts(p.refund));
  blocks.push(refundTiming, trackingButton(p.trackingUrl), contactLine(ctx));
  return {
    subject: amount ? `Refund of ${amount} issued for ${p.caseNumber}` : `Refund issued for ${p.caseNumber}`,
    preheader: `Your ${caseWord[p.type]} for order ${p.orderNumber} is complete.`,
    blocks,
  };
};
