// Random identifiers: unguessable tokens and human-friendly numbers.
import { randomBytes, randomInt, createHash } from 'node:crypto';

/** Letters and digits without look-alikes (no 0/O, 1/I/L), easy to read over the phone. */
export const READABLE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** Two groups of four readable characters after a prefix, e.g. CS-7K3M-9QX2. */
export function readableNumber(prefix: string): string {
  const pick = () => READABLE_ALPHABET[randomInt(READABLE_ALPHABET.length)];
  const group = () => Array.from({ length: 4 }, pick).join('');
  return `${prefix}${group()}-${group()}`;
}

/** 256-bit random token, URL-safe. */
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
