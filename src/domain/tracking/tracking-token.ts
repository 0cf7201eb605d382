// Signed, expiring links to one order (confirmation page, emails, /track?t=…). The link
// alone grants a view of that order, so it must be unforgeable: HMAC-SHA256 over the
// order number and expiry with the store's secret. Order numbers stay unenumerable.
//
// Token: <order number>.<expiry, unix seconds in base 36>.<signature, base64url>
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../../context.ts';

/** How long a tracking link works: long enough to follow a delivery and a return. */
export const TRACKING_TOKEN_TTL_MS = 60 * 24 * 3_600_000;

// A purpose prefix, so a signature made for tracking links is never valid anywhere else.
const sign = (secret: string, body: string) => createHmac('sha256', secret).update(`tracking:${body}`).digest();

export function signTrackingToken(secret: string, orderNumber: string, expiresAt: Date = new Date(Date.now() + TRACKING_TOKEN_TTL_MS)): string {
  const body = `${orderNumber}.${Math.floor(expiresAt.getTime() / 1000).toString(36)}`;
  return `${body}.${sign(secret, body).toString('base64url')}`;
}

/** The order number the token was made for, or undefined when it is forged, damaged or expired. */
export function verifyTrackingToken(secret: string, token: string, now: Date): string | undefined {
  if (typeof token !== 'string' || token.length > 200) return undefined;
  const m = /^([^.]+)\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return undefined;
  const [, orderNumber, expiry, signature] = m;
  const expected = sign(secret, `${orderNumber}.${expiry}`);
  const given = Buffer.from(signature!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  if (parseInt(expiry!, 36) * 1000 <= now.getTime()) return undefined;
  return orderNumber;
}

/** The customer's tracking link for an order, valid for TRACKING_TOKEN_TTL_MS from now. */
/** A token for `orderNumber` valid for the usual lifetime from the context's now (links in emails and pages). */
export const freshTrackingToken = (ctx: Pick<AppContext, 'secret' | 'clock'>, orderNumber: string) =>
  signTrackingToken(ctx.secret, orderNumber, new Date(ctx.clock.now().getTime() + TRACKING_TOKEN_TTL_MS));

export function trackingUrl(ctx: Pick<AppContext, 'config' | 'secret' | 'clock'>, orderNumber: string): string {
  const token = freshTrackingToken(ctx, orderNumber);
  return `${ctx.config.publicUrl}/track?t=${encodeURIComponent(token)}`;
}
