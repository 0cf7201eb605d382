// Sent when a return or exchange is approved: the RMA number and how to send the items back
// (a refund-only case is told the refund follows, with nothing to send).
import { capitalize, caseSummary, caseWord, contactLine, present, trackingButton, type Template } from './content.ts';
import type { ReturnCasePayload } from '../domain/notifications/email-payloads.ts';

export const returnApproved: Template<ReturnCasePayload> = (p, ctx) => {
  const word = caseWord[p.type];
  // A refund-only case (an item missing, or damaged beyond use) has nothing to send back.
  if (p.type === 'refund') return refundApproved(p, ctx);
  const { storeName, contact } = ctx.settings;
  // Without an RMA number the case number is what identifies the parcel on arrival.
  const mark = present(p.rmaNumber) ? `RMA number ${p.rmaNumber}` : `case number ${p.caseNumber}`;
  const afterwards =
    p.type === 'exchange'
      ? 'we check the items and send your replacement, with a new tracking number.'
      : 'we check the items and refund the card you paid with.';
  return {
    subject: present(p.rmaNumber)
      ? `Your ${word} ${p.caseNumber} is approved (RMA ${p.rmaNumber})`
      : `Your ${word} ${p.caseNumber} is approved`,
    preheader: `How to send the items from order ${p.orderNumber} back to us.`,
    blocks: [
      { kind: 'heading', text: `Your ${word} is approved` },
      {
        kind: 'paragraph',
        text: [`Good news: we approved your ${word} request for order `, { strong: p.orderNumber }, '. Here is how to send the items back.'],
      },
      ...caseSummary(p),
      ...(present(p.reason) ? [{ kind: 'quote' as const, label: 'Note from our team', text: p.reason }] : []),
      { kind: 'section', title: 'How to send the items back' },
      {
        kind: 'steps',
        steps: [
          { title: 'Pack the items', text: 'Pack them securely, in their original packaging if you still have it.' },
          { title: 'Mark the parcel', text: [`Write the `, { strong: mark }, ' clearly on the outside of the parcel.'] },
          present(p.returnLabelUrl)
            ? { title: 'Stick on the prepaid label', text: 'Print the return label below and stick it on the parcel: the postage is paid. Hand it to the carrier and keep the receipt until your case is closed.' }
            : { title: 'Ship it to us', text: 'Send it to the address below and keep the receipt and tracking number until your case is closed.' },
        ],
      },
      ...(present(p.returnLabelUrl) ? [{ kind: 'button' as const, label: 'Print your prepaid return label', href: p.returnLabelUrl }] : []),
      {
        kind: 'quote',
        label: 'Return address',
        text: [`${storeName} Returns`, contact.address, capitalize(mark)].join('\n'),
      },
      { kind: 'paragraph', text: `When your parcel arrives, ${afterwards}` },
      trackingButton(p.trackingUrl),
      contactLine(ctx),
    ],
  };
};

const refundApproved: Template<ReturnCasePayload> = (p, ctx) => ({
  subject: `Your refund request ${p.caseNumber} is approved`,
  preheader: `Nothing to send back: the refund for order ${p.orderNumber} follows shortly.`,
  blocks: [
    { kind: 'heading', text: 'Your refund request is approved' },
    {
      kind: 'paragraph',
      text: ['We approved your refund request for order ', { strong: p.orderNumber }, '. There is nothing to send back: we will refund the card you paid with and email you when it is done.'],
    },
    ...caseSummary(p),
    ...(present(p.reason) ? [{ kind: 'quote' as const, label: 'Note from our team', text: p.reason }] : []),
    trackingButton(p.trackingUrl),
    contactLine(ctx),
  ],
});
