// Customer emails: pure functions from an outbox payload to { subject, html, text }.
// No I/O here; the outbox worker loads settings, renders, and hands the result to the mailer.
import type { EmailContent } from './content.ts';
import { renderHtml } from './layout.tsx';
import { renderText } from './text-layout.ts';
import { contactAcknowledgement } from './contact-acknowledgement.ts';
import { deliveryProblemReceived } from './delivery-problem-received.ts';
import { orderCancelled } from './order-cancelled.ts';
import { orderConfirmation } from './order-confirmation.ts';
import { orderDelivered } from './order-delivered.ts';
import { orderRequestApproved } from './order-request-approved.ts';
import { orderRequestDeclined } from './order-request-declined.ts';
import { orderRequestReceived } from './order-request-received.ts';
import { orderShipped } from './order-shipped.ts';
import { refundIssued } from './refund-issued.ts';
import { returnApproved } from './return-approved.ts';
import { returnDeclined } from './return-declined.ts';
import { returnExchanged } from './return-exchanged.ts';
import { returnReceived } from './return-received.ts';
import { returnRefunded } from './return-refunded.ts';
import { supportReply } from './support-reply.ts';
import { paymentReleased } from './payment-released.ts';
import { customerSignIn } from './customer-sign-in.ts';
import { cartReminder } from './cart-reminder.ts';
import { webhookDisabled } from './webhook-disabled.ts';
import { paymentLink } from './payment-link.ts';
import type { RenderContext, RenderedEmail, TemplateName, TemplatePayloads } from '../domain/notifications/email-payloads.ts';
import { applyTexts, fillVariables, textSlots, type EmailTexts } from './email-texts.ts';
import { inlineText } from './text-layout.ts';

export type * from '../domain/notifications/email-payloads.ts';

const templates: { [K in TemplateName]: (payload: TemplatePayloads[K], ctx: RenderContext) => EmailContent } = {
  order_confirmation: orderConfirmation,
  order_shipped: orderShipped,
  order_delivered: orderDelivered,
  order_request_received: orderRequestReceived,
  order_request_approved: orderRequestApproved,
  order_request_declined: orderRequestDeclined,
  order_cancelled: orderCancelled,
  refund_issued: refundIssued,
  return_received: returnReceived,
  return_approved: returnApproved,
  return_declined: returnDeclined,
  return_refunded: returnRefunded,
  return_exchanged: returnExchanged,
  delivery_problem_received: deliveryProblemReceived,
  contact_acknowledgement: contactAcknowledgement,
  support_reply: supportReply,
  payment_released: paymentReleased,
  customer_sign_in: customerSignIn,
  cart_reminder: cartReminder,
  payment_link: paymentLink,
  webhook_disabled: webhookDisabled,
};

export const templateNames = Object.keys(templates) as TemplateName[];

/** For outbox rows, whose template name is just a string. */
export const isTemplateName = (name: string): name is TemplateName => Object.hasOwn(templates, name);

function build<T extends TemplateName>(template: T, payload: TemplatePayloads[T], ctx: RenderContext): EmailContent {
  if (!isTemplateName(template)) throw new Error(`Unknown email template: ${String(template)}`);
  return (templates[template] as (payload: TemplatePayloads[T], ctx: RenderContext) => EmailContent)(payload, ctx);
}

/**
 * The email for `payload`; `texts` are the shop's overrides from the back office (null fields
 * keep the template's own words). HTML and text are made from the same content, so they agree.
 */
export function renderEmail<T extends TemplateName>(template: T, payload: TemplatePayloads[T], ctx: RenderContext, texts?: EmailTexts | null): RenderedEmail {
  let content = build(template, payload, ctx);
  if (texts) {
    const fill = (s: string | null) => (s ? fillVariables(template, s, payload, ctx) : null);
    content = applyTexts(content, { subject: fill(texts.subject), intro: fill(texts.intro), closing: fill(texts.closing) });
  }
  return {
    // A line break in a header would start a new header: subjects are always one line.
    subject: content.subject.replace(/[\r\n]+/g, ' ').trim(),
    html: renderHtml(content, ctx),
    text: renderText(content, ctx),
  };
}

/** The template's own subject, intro and closing for this payload, as plain text (shown beside the override fields). */
export function defaultTexts<T extends TemplateName>(template: T, payload: TemplatePayloads[T], ctx: RenderContext): EmailTexts {
  const content = build(template, payload, ctx);
  const { intro, closing } = textSlots(content.blocks);
  const paragraph = (i: number) => {
    const b = content.blocks[i];
    return b?.kind === 'paragraph' ? inlineText(b.text) : null;
  };
  return { subject: content.subject, intro: paragraph(intro), closing: paragraph(closing) };
}
