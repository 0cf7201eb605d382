// Sent when a return, exchange or refund application arrives.
import { caseSummary, caseWord, contactLine, present, trackingButton, type Template } from './content.ts';
import type { ReturnCasePayload } from '../domain/notifications/email-payloads.ts';

export const returnReceived: Template<ReturnCasePayload> = (p, ctx) => {
  const word = caseWord[p.type];
  return {
    subject: `We received your ${word} request ${p.caseNumber}`,
    preheader: `Your ${word} request for order ${p.orderNumber} is being reviewed.`,
    blocks: [
      { kind: 'heading', text: `We have your ${word} request` },
      {
        kind: 'paragraph',
        text: [`Thank you. We have received your ${word} request for order `, { strong: p.orderNumber }, ' and will review it shortly.'],
      },
      ...caseSummary(p),
      ...(present(p.reason) ? [{ kind: 'quote' as const, label: 'What you told us', text: p.reason }] : []),
      {
        kind: 'note',
        title: 'Please wait for our reply before sending anything',
        text: 'Keep the items and their packaging as they are. If we approve the request, we will email you a return authorization (RMA) number and the address to ship to.',
      },
      trackingButton(p.trackingUrl),
      contactLine(ctx),
    ],
  };
};
