// Sent when the parcel has been handed to the carrier.
import { contactLine, present, safeHref, simpleItems, trackingButton, type Block, type Template } from './content.ts';
import type { OrderShippedPayload } from '../domain/notifications/email-payloads.ts';

export const orderShipped: Template<OrderShippedPayload> = (p, ctx) => {
  const carrierUrl = safeHref(p.carrierTrackingUrl);
  const items = simpleItems(p.items);
  const blocks: Block[] = [
    { kind: 'heading', text: 'Your order is on its way' },
    {
      kind: 'paragraph',
      text: ['Good news: order ', { strong: p.orderNumber }, ` has left our warehouse and is now with ${p.carrier}.`],
    },
    {
      kind: 'facts',
      rows: [
        ['Order number', p.orderNumber],
        ['Carrier', p.carrier],
        ['Tracking number', p.trackingNumber],
      ],
    },
    trackingButton(p.trackingUrl, 'Track your order'),
  ];
  if (carrierUrl) {
    blocks.push({
      kind: 'paragraph',
      muted: true,
      text: ['You can also follow the parcel ', { link: `on the ${p.carrier} website`, href: carrierUrl }, '.'],
    });
  }
  if (items.length > 0) blocks.push({ kind: 'section', title: 'In this parcel' }, { kind: 'items', lines: items });
  blocks.push(
    {
      kind: 'note',
      title: 'When it arrives',
      text: 'Before you sign for the parcel, check that the outer packaging is undamaged and that the number of items matches your order. If anything looks wrong, contact us and we will help.',
    },
    contactLine(ctx),
  );
  return {
    subject: `Order ${p.orderNumber} has shipped`,
    preheader: present(p.trackingNumber) ? `${p.carrier} tracking number ${p.trackingNumber}.` : `Your order is with ${p.carrier}.`,
    blocks,
  };
};
