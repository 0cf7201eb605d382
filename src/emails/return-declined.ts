// Sent when a return, exchange or refund request cannot be approved.
import { caseSummary, caseWord, contactLine, present, trackingButton, type Template } from './content.ts';
import type { ReturnCasePayload } from '../domain/notifications/email-payloads.ts';

export const returnDeclined: Template<ReturnCasePayload> = (p, ctx) => {
  const word = caseWord[p.type];
  return {
    subject: `Update on your ${word} request ${p.caseNumber}`,
    preheader: `We could not approve your ${word} request for order ${p.orderNumber}.`,
    blocks: [
      { kind: 'heading', text: `We could not approve your ${word} request` },
      {
        kind: 'paragraph',
        text: [`We reviewed your ${word} request for order `, { strong: p.orderNumber }, ' and are sorry that we cannot approve it.'],
      },
      ...caseSummary(p),
      ...(present(p.reason) ? [{ kind: 'quote' as const, label: 'Why', text: p.reason }] : []),
      {
        kind: 'paragraph',
        text: 'If you think we have missed something, or you can tell us more (photos of the item help), reply to this email and we will take another look.',
      },
      trackingButton(p.trackingUrl),
      contactLine(ctx),
    ],
  };
};
