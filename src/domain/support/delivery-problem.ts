// "Report a problem" on a delivered order: damaged packaging, a quantity that does not
// match, the wrong item, or something else. The report becomes a support case linked to
// the order (with the customer's photos, which are never served publicly), a line on the
// order's timeline, and an acknowledgement email — all in one transaction.
import { eq } from 'drizzle-orm';
import { forgetTrackedOrder } from '../tracking/tracking-view.ts';
import type { AppContext } from '../../context.ts';
import { orders, type Address } from '../../db/schema.ts';
import { enqueueEmail } from '../notifications/outbox.ts';
import type { DeliveryProblemPayload } from '../notifications/email-payloads.ts';
import { appendOrderEvent } from '../orders/order-events.ts';
import { DomainError, notFound, validationFailed, type FieldErrors } from '../shared/errors.ts';
import { imageBlobKey, MAX_UPLOAD_BYTES, storeImage } from '../storage/images.ts';
import { trackingUrl } from '../tracking/tracking-token.ts';
import { openSupportCase } from './support-cases.ts';

/** The problems a customer can pick, in the words they see. */
export const DELIVERY_PROBLEMS = {
  packaging_damaged: 'Packaging damaged',
  quantity_mismatch: 'Quantity does not match',
  wrong_item: 'Wrong item',
  other: 'Other',
} as const;
export type DeliveryProblem = keyof typeof DELIVERY_PROBLEMS;
export const isDeliveryProblem = (s: unknown): s is DeliveryProblem => typeof s === 'string' && Object.hasOwn(DELIVERY_PROBLEMS, s);

export const MAX_PROBLEM_PHOTOS = 3;
export const PROBLEM_PHOTO_MAX_BYTES = MAX_UPLOAD_BYTES;
export const PROBLEM_DESCRIPTION_MAX = 2000;
/** Blob key prefix of customer photos: the public image route serves only catalog images. */
export const PHOTO_PREFIX = 'photo';

export type DeliveryProblemInput = { problem: string; description: string; photos: Buffer[] };
export type DeliveryProblemReport = { caseId: string; caseNumber: string };

export async function reportDeliveryProblem(ctx: AppContext, orderId: string, input: DeliveryProblemInput): Promise<DeliveryProblemReport> {
  const outcome = await recordReportDeliveryProblem(ctx, orderId, input);
  // The customer is sent straight to the tracking page: it must show this change at once.
  forgetTrackedOrder(ctx, orderId);
  return outcome;
}

async function recordReportDeliveryProblem(ctx: AppContext, orderId: string, input: DeliveryProblemInput): Promise<DeliveryProblemReport> {
  const description = (input.description ?? '').trim();
  const errors: FieldErrors = {};
  if (!isDeliveryProblem(input.problem)) errors.problem = 'Choose what is wrong.';
  if (!description) errors.description = 'Describe what you found, so we can put it right.';
  else if (description.length > PROBLEM_DESCRIPTION_MAX) errors.description = `Keep the description under ${PROBLEM_DESCRIPTION_MAX} characters.`;
  if (input.photos.length > MAX_PROBLEM_PHOTOS) errors.photos = `Attach at most ${MAX_PROBLEM_PHOTOS} photos.`;
  if (Object.keys(errors).length) throw validationFailed(errors);
  const problem = input.problem as DeliveryProblem;

  return ctx.db.transaction(async (tx) => {
    // Stored inside the transaction: a refused report leaves no orphaned photos behind.
    const attachments: string[] = [];
    for (const [i, photo] of input.photos.entries()) {
      const stored = await storeImage(tx, ctx.blobs, photo, { prefix: PHOTO_PREFIX }).catch((err: unknown) => {
        if (err instanceof DomainError && (err.code === 'unsupported_media_type' || err.code === 'payload_too_large')) {
          throw validationFailed({ photos: `Photo ${i + 1}: ${err.message}` });
        }
        throw err;
      });
      attachments.push(imageBlobKey(stored.imageKey, 'large'));
    }

    const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update');
    if (!order) throw notFound('Order');
    if (order.status !== 'delivered') {
      throw new DomainError('conflict', 'A delivery problem can be reported once the order has been delivered. If something is wrong before then, please contact us.');
    }

    const label = DELIVERY_PROBLEMS[problem];
    const opened = await openSupportCase(tx, ctx, {
      kind: 'delivery_problem',
      orderId: order.id,
      name: (order.shippingAddress as Address).name,
      email: order.email,
      topic: 'Delivery problem',
      subject: `${label} — order ${order.number}`,
      details: { problem, orderNumber: order.number, photos: attachments.length },
      message: description,
      attachments,
    });
    await appendOrderEvent(tx, {
      orderId: order.id,
      type: 'support_case',
      actor: { kind: 'customer' },
      details: { caseId: opened.id, caseNumber: opened.number, kind: 'delivery_problem', problem, message: `${label} reported by the customer, case ${opened.number}` },
      at: ctx.clock.now(),
    });
    await enqueueEmail(tx, {
      template: 'delivery_problem_received',
      to: order.email,
      orderId: order.id,
      caseId: opened.id,
      payload: { caseNumber: opened.number, orderNumber: order.number, problem: `${label}: ${description}`, trackingUrl: trackingUrl(ctx, order.number) } satisfies DeliveryProblemPayload,
    });
    return { caseId: opened.id, caseNumber: opened.number };
  });
}
