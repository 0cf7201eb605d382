// Customer email templates: every template renders, the confirmation carries the whole
// receipt in both parts, payload text is escaped in HTML, and every footer says how to reach us.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSettings } from '../../src/domain/settings/store-settings.ts';
import {
  renderEmail,
  templateNames,
  type OrderConfirmationPayload,
  type RenderContext,
  type ReturnCasePayload,
  type TemplateName,
  type TemplatePayloads,
} from '../../src/emails/index.ts';

const ctx: RenderContext = {
  settings: defaultSettings(),
  publicUrl: 'https://shop.casanovaspace.test',
  serviceHoursLines: ['Monday–Friday: 9:00–12:00 and 14:00–18:00', 'Saturday–Sunday: closed'],
};

const trackingUrl = 'https://shop.casanovaspace.test/track/CS-7K3M-9QX2?t=abc.def&v=1';
const refund = { amount: 4_800, currency: 'USD', brand: 'visa', last4: '4242' };

const confirmation = (): OrderConfirmationPayload => ({
  order: {
    number: 'CS-7K3M-9QX2',
    createdAt: '2026-03-05T19:14:00Z',
    currency: 'USD',
    items: [
      { name: 'Linen Throw Blanket', sku: 'LTB-SAND-L', options: { Color: 'Sand', Size: 'Large' }, quantity: 2, unitPrice: 4_800, lineTotal: 9_600 },
      { name: 'Ceramic Pour-Over Set', sku: 'CPO-1', options: {}, quantity: 1, unitPrice: 125_000, lineTotal: 125_000 },
    ],
    subtotal: 134_600,
    shipping: 695,
    tax: 8_076,
    total: 143_371,
    shippingMethodLabel: 'Standard',
    shippingAddress: { name: 'Jane Porter', line1: '12 Elm Street', line2: 'Apt 4B', city: 'Marietta', state: 'OH', postalCode: '45750', country: 'US' },
    email: 'jane@example.com',
    phone: '+1 740 555 0134',
  },
  payment: { brand: 'visa', last4: '4242', amount: 143_371, transactionId: 'txn_9f8e7d6c5b4a', createdAt: '2026-03-05T19:14:05Z' },
  trackingUrl,
});

const returnCase: Omit<ReturnCasePayload, 'type'> = { caseNumber: 'RT-4821', orderNumber: 'CS-7K3M-9QX2', items: [{ name: 'Linen Throw Blanket', quantity: 1 }], trackingUrl };

const samples: { [K in TemplateName]: TemplatePayloads[K] } = {
  order_confirmation: confirmation(),
  order_shipped: {
    orderNumber: 'CS-7K3M-9QX2',
    carrier: 'UPS',
    trackingNumber: '1Z999AA10123456784',
    carrierTrackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
    trackingUrl,
    items: [{ name: 'Linen Throw Blanket', quantity: 2 }],
  },
  order_delivered: { orderNumber: 'CS-7K3M-9QX2', trackingUrl, reportProblemUrl: 'https://shop.casanovaspace.test/problem?t=abc' },
  order_request_received: { orderNumber: 'CS-7K3M-9QX2', requestType: 'cancel', caseNumber: 'RQ-1001', reason: 'Ordered twice by mistake.', trackingUrl },
  order_request_approved: { orderNumber: 'CS-7K3M-9QX2', requestType: 'cancel', caseNumber: 'RQ-1001', trackingUrl, refund },
  order_request_declined: { orderNumber: 'CS-7K3M-9QX2', requestType: 'modify', caseNumber: 'RQ-1002', reason: 'The parcel was already with the carrier.', trackingUrl },
  order_cancelled: { orderNumber: 'CS-7K3M-9QX2', trackingUrl, refund },
  refund_issued: { orderNumber: 'CS-7K3M-9QX2', amount: 4_800, currency: 'USD', brand: 'mastercard', last4: '5454', reason: 'Item out of stock', trackingUrl },
  return_received: { ...returnCase, type: 'return', reason: 'Colour differs from the photos.' },
  return_approved: { ...returnCase, type: 'return', rmaNumber: 'RMA-77120' },
  return_declined: { ...returnCase, type: 'exchange', reason: 'The return window has closed.' },
  return_refunded: { ...returnCase, type: 'return', refund },
  return_exchanged: { ...returnCase, type: 'exchange' },
  delivery_problem_received: { caseNumber: 'DP-310', orderNumber: 'CS-7K3M-9QX2', problem: 'The box was crushed\nand one mug is broken.', trackingUrl },
  contact_acknowledgement: { caseNumber: 'SC-2210', name: 'Jane', topic: 'Product question', expectedReplyBy: 'Monday 11:00 ET', message: 'Is the throw machine washable?' },
  support_reply: { caseNumber: 'SC-2210', name: 'Jane', body: 'Yes, it is.\nUse a cold, gentle cycle.\n\nKind regards,\nMaria', orderNumber: 'CS-7K3M-9QX2' },
  payment_released: {
    amount: 4280,
    currency: 'USD',
    brand: 'visa',
    last4: '4242',
    reason: 'out_of_stock',
    detail: 'Linen Throw Blanket (Sand): sold out',
    refunded: true,
    cartUrl: 'https://shop.casanovaspace.test/cart',
  },
  customer_sign_in: { signInUrl: 'https://shop.casanovaspace.test/account/sign-in/abc', expiresInMinutes: 20 },
  cart_reminder: {
    items: [{ name: 'Linen Throw Blanket', quantity: 1, unitPrice: 8900, currency: 'USD' }],
    changes: ['Linen Throw Blanket is now $89.00 (it was $95.00).'],
    restoreUrl: 'https://shop.casanovaspace.test/cart/restore?t=abc',
    unsubscribeUrl: 'https://shop.casanovaspace.test/unsubscribe?t=abc',
  },
  payment_link: {
    items: [{ name: 'Linen Throw Blanket (Sand)', quantity: 2, unitPrice: 8900 }],
    subtotal: 17_800,
    shipping: 0,
    tax: 1068,
    total: 18_868,
    currency: 'USD',
    address: ['Jane Doe', '12 Market St', 'Parkersburg, WV 26101'],
    payUrl: 'https://shop.casanovaspace.test/pay/abc',
    expiresOn: 'Sunday, December 13',
  },
  webhook_disabled: {
    url: 'https://books.example.com/hooks/casanova',
    reason: 'Disabled automatically after 20 failed deliveries in a row.',
    manageUrl: 'https://shop.casanovaspace.test/admin/webhooks/0b7c',
  },
};

const render = <T extends TemplateName>(name: T, payload: TemplatePayloads[T] = samples[name]) => renderEmail(name, payload, ctx);

/**
 * The number the subject must carry: the case for after-sales and support mail, else the order.
 * A released payment has neither: no order was placed, so its subject names the payment instead.
 */
const keyNumber = (name: TemplateName): string => {
  const p = samples[name] as unknown as Record<string, unknown>;
  if (name === 'order_confirmation') return 'CS-7K3M-9QX2';
  if (name === 'payment_released') return 'payment';
  // A sign-in or a cart reminder belongs to no order or case: its subject names the shop.
  if (name === 'customer_sign_in' || name === 'cart_reminder' || name === 'payment_link') return 'CasanovaSpace';
  // To the owners, about an endpoint rather than an order.
  if (name === 'webhook_disabled') return 'webhook';
  return String(name.startsWith('order_') || name === 'refund_issued' ? p.orderNumber : p.caseNumber);
};

test('every template renders a subject, an HTML part and a text part', () => {
  assert.equal(templateNames.length, 21);
  for (const name of templateNames) {
    const email = render(name);
    assert.ok(email.subject.length > 0 && email.subject.length <= 80, `${name}: subject length`);
    assert.doesNotMatch(email.subject, /[\r\n]/, `${name}: subject on one line`);
    assert.ok(email.subject.includes(keyNumber(name)), `${name}: subject carries ${keyNumber(name)}: ${email.subject}`);
    assert.match(email.html, /^<!DOCTYPE html>/, name);
    assert.ok(email.html.includes('max-width:600px'), `${name}: 600px column`);
    assert.ok(email.html.includes('CasanovaSpace'), `${name}: store name in HTML`);
    assert.ok(email.text.startsWith('CasanovaSpace'), `${name}: store name on top of the text`);
    assert.doesNotMatch(email.html, /undefined|null|NaN|\[object Object\]/, `${name}: no leaked values in HTML`);
    assert.doesNotMatch(email.text, /undefined|null|NaN|\[object Object\]/, `${name}: no leaked values in text`);
  }
});

const confirmationFacts = [
  'CS-7K3M-9QX2',
  'Linen Throw Blanket',
  'Ceramic Pour-Over Set',
  'Color: Sand',
  'Size: Large',
  '$48.00',
  '$96.00',
  '$1,250.00',
  '$1,346.00', // subtotal
  '$6.95', // shipping
  '$80.76', // tax
  '$1,433.71', // total
  'Visa ending in 4242',
  'txn_9f8e7d6c5b4a',
  'March 5, 2026, 2:14 PM EST', // 19:14 UTC in New York
  'Standard',
  '12 Elm Street',
  'Apt 4B',
  'Marietta, OH 45750',
];

test('the confirmation carries the order, items, totals, payment record and tracking link in HTML', () => {
  const { subject, html } = render('order_confirmation');
  assert.equal(subject, 'Order CS-7K3M-9QX2 confirmed');
  for (const fact of confirmationFacts) assert.ok(html.includes(fact), `HTML lacks ${fact}`);
  assert.ok(html.includes('Qty 2 × $48.00'), 'quantity and unit price of the first line');
  assert.ok(html.includes('Qty 1 × $1,250.00'), 'quantity and unit price of the second line');
  // The signed tracking link survives intact (with & escaped as an HTML attribute requires).
  assert.ok(html.includes('href="https://shop.casanovaspace.test/track/CS-7K3M-9QX2?t=abc.def&amp;v=1"'));
  for (const step of ['Verification', 'Preparation', 'Packing', 'Handover to the carrier']) assert.ok(html.includes(step), step);
});

test('the confirmation text part says the same things', () => {
  const { text } = render('order_confirmation');
  for (const fact of confirmationFacts) assert.ok(text.includes(fact), `text lacks ${fact}`);
  assert.ok(text.includes('2 × Linen Throw Blanket'));
  assert.ok(text.includes('2 × $48.00 = $96.00'));
  assert.ok(text.includes(trackingUrl), 'raw tracking URL in text');
  assert.match(text, /Total:\s+\$1,433\.71/);
  for (const step of ['Verification', 'Preparation', 'Packing', 'Handover to the carrier']) assert.ok(text.includes(step), step);
  assert.doesNotMatch(text, /<[a-z/]/i, 'no markup in the text part');
});

test('free shipping is shown as Free, not $0.00', () => {
  const p = confirmation();
  p.order.shipping = 0;
  const { html, text } = render('order_confirmation', p);
  assert.match(text, /Shipping \(Standard\):\s+Free/);
  assert.ok(html.includes('>Free<'));
});

const evil = '<script>alert(1)</script>';
const escaped = '&lt;script>alert(1)&lt;/script>';

test('payload text is escaped in the HTML of the confirmation (product name and address)', () => {
  const p = confirmation();
  p.order.items[0].name = `Throw ${evil}`;
  p.order.items[0].options = { [`Col${evil}`]: `Sand ${evil}` };
  p.order.shippingAddress.line1 = `12 Elm ${evil}`;
  p.order.shippingAddress.name = `Jane <img src=x onerror=alert(1)>`;
  const { html, text } = render('order_confirmation', p);
  assert.ok(!html.includes(evil), 'raw script tag in HTML');
  assert.ok(!html.includes('<img'), 'raw img tag in HTML');
  assert.ok(html.includes(`Throw ${escaped}`), 'escaped product name');
  assert.ok(html.includes(`12 Elm ${escaped}`), 'escaped address line');
  assert.equal(html.match(/<script/gi), null);
  // Plain text is not HTML: it carries the words as typed.
  assert.ok(text.includes(`Throw ${evil}`));
  assert.ok(text.includes(`12 Elm ${evil}`));
});

test('payload text is escaped in the HTML of every other template', () => {
  // Codes, dates, enums and URLs are not free text; everything else gets a script tag appended.
  const fixed = new Set(['currency', 'requestType', 'type', 'createdAt']);
  const inject = (v: unknown, key = ''): unknown =>
    typeof v === 'string'
      ? fixed.has(key) || /url$/i.test(key)
        ? v
        : `${v} ${evil}`
      : Array.isArray(v)
        ? v.map((x) => inject(x, key))
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, inject(x, k)]))
          : v;
  for (const name of templateNames) {
    const { html, subject } = renderEmail(name, inject(samples[name]) as TemplatePayloads[typeof name], ctx);
    assert.equal(html.match(/<script/gi), null, `${name}: raw script tag`);
    // The sign-in email carries only a link and a number: no free text to inject.
    if (name !== 'customer_sign_in') assert.ok(html.includes(escaped), `${name}: escaped text present`);
    assert.ok(html.includes(`<title>${subject.replaceAll('&', '&amp;').replaceAll('<', '&lt;')}</title>`), `${name}: escaped title`);
  }
});

test('links that are not http(s), mailto or tel are not made clickable', () => {
  const { html, text } = render('order_shipped', { ...samples.order_shipped, carrierTrackingUrl: 'javascript:alert(1)' });
  assert.ok(!html.includes('javascript:'));
  assert.ok(!text.includes('javascript:'));
});

test('subjects stay on one line even if a number carries a line break', () => {
  const { subject } = render('order_cancelled', { ...samples.order_cancelled, orderNumber: 'CS-1\r\nBcc: x@example.com' });
  assert.doesNotMatch(subject, /[\r\n]/);
});

test('every footer has the store name, contact details and service hours in US Eastern time', () => {
  const { storeName, contact } = ctx.settings;
  for (const name of templateNames) {
    const { html, text } = render(name);
    for (const part of [html, text]) {
      for (const fact of [storeName, contact.address, contact.phone, contact.email, ...ctx.serviceHoursLines, 'US Eastern time']) {
        assert.ok(part.includes(fact), `${name}: footer lacks ${fact}`);
      }
    }
    assert.ok(html.includes(`href="mailto:${contact.email}"`), `${name}: email link`);
    assert.ok(html.includes('href="tel:+16815101126"'), `${name}: phone link`);
  }
});

test('shipped, delivered and return emails carry their own key facts', () => {
  const shipped = render('order_shipped');
  for (const part of [shipped.html, shipped.text]) {
    for (const fact of ['UPS', '1Z999AA10123456784', 'Linen Throw Blanket', 'outer packaging']) assert.ok(part.includes(fact), fact);
  }

  const delivered = render('order_delivered');
  for (const part of [delivered.html, delivered.text]) {
    for (const fact of ['outer packaging is intact', 'number of items matches', 'Report a problem', 'https://shop.casanovaspace.test/problem?t=abc']) {
      assert.ok(part.includes(fact), fact);
    }
  }

  const approved = render('return_approved');
  assert.match(approved.subject, /RMA-77120/);
  for (const part of [approved.html, approved.text]) {
    for (const fact of ['RMA-77120', ctx.settings.contact.address, 'RT-4821', 'Linen Throw Blanket']) assert.ok(part.includes(fact), fact);
  }

  const refunded = render('return_refunded');
  for (const part of [refunded.html, refunded.text]) {
    for (const fact of ['$48.00', 'Visa ending in 4242']) assert.ok(part.includes(fact), fact);
  }

  const refundIssued = render('refund_issued');
  assert.equal(refundIssued.subject, 'Refund of $48.00 for order CS-7K3M-9QX2');
  assert.ok(refundIssued.text.includes('Mastercard ending in 5454'));
  assert.ok(refundIssued.text.includes('Item out of stock'));

  const declined = render('order_request_declined');
  assert.ok(declined.text.includes('The parcel was already with the carrier.'));
});

test('support and contact emails keep the written text, with its line breaks', () => {
  const reply = render('support_reply');
  assert.ok(reply.html.includes('Yes, it is.<br/>Use a cold, gentle cycle.'));
  assert.ok(reply.text.includes('Yes, it is.\nUse a cold, gentle cycle.\n\nKind regards,\nMaria'));
  assert.ok(reply.text.includes('SC-2210'));

  const ack = render('contact_acknowledgement');
  for (const part of [ack.html, ack.text]) {
    for (const fact of ['SC-2210', 'Monday 11:00 ET', 'Product question', 'Is the throw machine washable?']) assert.ok(part.includes(fact), fact);
  }

  const problem = render('delivery_problem_received');
  assert.ok(problem.html.includes('The box was crushed<br/>and one mug is broken.'));
  assert.ok(problem.text.includes('> The box was crushed\n> and one mug is broken.'));
});

test('an unknown template name is refused', () => {
  assert.throws(() => renderEmail('nope' as TemplateName, {} as never, ctx), /Unknown email template/);
});

test('the confirmation names the country and shows the phone number as people write it', () => {
  const p = confirmation();
  p.order.phone = '+13045550142';
  const { html, text } = render('order_confirmation', p);
  for (const part of [html, text]) {
    assert.ok(part.includes('United States'), 'country name, not its code');
    assert.ok(part.includes('(304) 555-0142'), 'US number in national form');
  }
  p.order.phone = '+442071838750';
  assert.ok(render('order_confirmation', p).text.includes('+44 20 7183 8750'), 'numbers abroad keep their international form');
});

test('on phones the facts stack, label over value, so long values are not chopped up', () => {
  const { html } = render('order_confirmation');
  const phoneRules = html.slice(html.indexOf('@media only screen and (max-width:620px)'), html.indexOf('</style>'));
  assert.ok(phoneRules.includes('.fact-label{display:block !important'));
  assert.ok(html.includes('class="fact-label"') && html.includes('class="fact-value"'));
});
