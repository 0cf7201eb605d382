// Signed, expiring tokens for links in emails that must work without signing in (restore a
// cart, unsubscribe). HMAC-SHA256 with the store's secret over a purpose, the value and the
// expiry, so a token made for one purpose is never valid for another.
//
// Token: <value, base64url>.<expiry, unix seconds in base 36>.<signature, base64url>
import { createHmac, timingSafeEqual } from 'node:crypto';

const mac = (secret: string, purpose: string, body: string) => createHmac('sha256', secret).update(`${purpose}:${body}`).digest();

export function signToken(secret: string, purpose: string, value: string, expiresAt: Date): string {
  const body = `${Buffer.from(value).toString('base64url')}.${Math.floor(expiresAt.getTime() / 1000).toString(36)}`;
  return `${body}.${mac(secret, purpose, body).toString('base64url')}`;
}

/** The value the token was signed for, or undefined when it is forged, damaged, expired or for another purpose. */
export function verifyToken(secret: string, purpose: string, token: string, now: Date): string | undefined {
  if (typeof token !== 'string' || token.length > 600) return undefined;
  const m = /^([A-Za-z0-9_-]+)\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return undefined;
  const [, value, expiry, signature] = m;
  const expected = mac(secret, purpose, `${value}.${expiry}`);
  const given = Buffer.from(signature!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  if (parseInt(expiry!, 36) * 1000 <= now.getTime()) return undefined;
  return Buffer.from(value!, 'base64url').toString();
}
