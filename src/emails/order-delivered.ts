// Sent when the carrier reports delivery: ask for a quick check and make reporting easy.
import { contactLine, type Template } from './content.ts';
import type { OrderDeliveredPayload } from '../domain/notifications/email-payloads.ts';

export const orderDelivered: Template<OrderDeliveredPayload> = (p, ctx) => ({
  subject: `Order ${p.orderNumber} was delivered`,
  preheader: 'Your parcel has arrived. Please take a moment to check it.',
  blocks: [
    { kind: 'heading', text: 'Your order has arrived' },
    {
      kind: 'paragraph',
      text: ['The carrier reports that order ', { strong: p.orderNumber }, ' has been delivered. We hope you enjoy it.'],
    },
    { kind: 'section', title: 'Please take a quick look' },
    {
      kind: 'bullets',
      items: [
        'The outer packaging is intact, with no tears, dents or signs of opening.',
        'The number of items matches your order.',
      ],
    },
    {
      kind: 'paragraph',
      text: 'If something is damaged, missing or not what you ordered, tell us and we will put it right.',
    },
    { kind: 'button', label: 'Report a problem', href: p.reportProblemUrl },
    {
      kind: 'paragraph',
      muted: true,
      text: [
        'Want to return or exchange an item later? Start a request from ',
        { link: 'your order page', href: p.trackingUrl },
        ' with your order number and a short description of the item’s condition.',
      ],
    },
    contactLine(ctx),
  ],
});
