// Staff passwords: scrypt (memory-hard, built into Node), stored as
// `scrypt$N$r$p$salt$hash` so the cost can be raised later without breaking old hashes.
import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** scrypt needs 128·N·r bytes (32 MiB here); Node's default ceiling is exactly that, so raise it. */
const maxmemFor = (n: number, r: number) => 128 * n * r * 2;

export const PASSWORD_MIN = 10;
/** Long enough for any passphrase; bounds the work an attacker can ask for. */
export const PASSWORD_MAX = 200;

/** Why a new password is not acceptable, or undefined when it is. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (password.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  return undefined;
}

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: n, r, p, maxmem: maxmemFor(n, r) };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Constant-time check against a stored hash; false for anything malformed. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  const cost = { n: Number(n), r: Number(r), p: Number(p) };
  // Only costs this code could have written: a tampered row must not make us burn gigabytes.
  if (scheme !== 'scrypt' || !salt || !hash || !(cost.n >= 2 ** 10 && cost.n <= 2 ** 20 && cost.r >= 1 && cost.r <= 32 && cost.p >= 1 && cost.p <= 4)) return false;
  const expected = Buffer.from(hash, 'base64url');
  if (expected.length !== KEY_BYTES) return false;
  const actual = await derive(password, Buffer.from(salt, 'base64url'), cost.n, cost.r, cost.p);
  return timingSafeEqual(actual, expected);
}

let unknownAccount: Promise<string> | undefined;
/** A hash of a password nobody knows, checked when the email is unknown so that timing does not tell which emails exist. */
export const unknownAccountHash = () => (unknownAccount ??= hashPassword(randomBytes(16).toString('hex')));

/** A random password that is easy to type: 16 characters from a look-alike-free alphabet. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  return Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]).join('');
}
