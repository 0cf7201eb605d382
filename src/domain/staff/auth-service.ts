// Signing staff in and out. Back-office sessions (cookie) and API bearer tokens are the same
// record with a different kind; only a SHA-256 of the secret token is stored, so a copy of
// the database does not let anyone in.
import { and, eq, gt, lt, ne, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { prepared } from '../../db/prepared.ts';
import { staff, staffSessions } from '../../db/schema.ts';
import { DomainError, validationFailed } from '../shared/errors.ts';
import { randomToken, sha256 } from '../shared/ids.ts';
import { hit, pruneExpired, rateLimited, reset, waitText } from '../shared/rate-limit.ts';
import { passwordProblem, hashPassword, unknownAccountHash, verifyPassword } from './passwords.ts';
import { isRole } from './roles.ts';
import { normalizeEmail, type StaffIdentity } from './staff-service.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** session: the back-office cookie; api: a bearer token for the admin API. */
export type SessionKind = 'session' | 'api';

/** How long a session or token lasts: a working day, then sign in again. */
export const SESSION_TTL_MS: Record<SessionKind, number> = { session: 12 * HOUR, api: 12 * HOUR };

export const SIGN_IN_LIMITS = {
  /** Attempts from one client address, whatever the account (stops password spraying). */
  perIp: { limit: 20, windowMs: 15 * MINUTE },
  /** Attempts on one email address from anywhere (stops a distributed guess at one account). */
  perAccount: { limit: 10, windowMs: 15 * MINUTE },
  /** Consecutive wrong passwords before the account is locked, and for how long. */
  lockout: { failures: 5, durationMs: 15 * MINUTE },
};

/** The same words for an unknown email and a wrong password: nobody learns which emails exist. */
export const WRONG_CREDENTIALS = 'The email or password is not right.';

const locked = (seconds: number) =>
  rateLimited(seconds, `Too many failed sign-ins: this account is locked. Try again in ${waitText(seconds)}.`);

export type Session = { staff: StaffIdentity; csrfToken: string; expiresAt: Date; tokenHash: string };
export type SignedIn = { staff: StaffIdentity; token: string; csrfToken: string; expiresAt: Date };

/**
 * Checks an email and password. Throws `unauthorized` (wrong or unknown) or `rate_limited`
 * (too many attempts from the address or on the account, or the account is locked).
 */
export async function authenticate(ctx: AppContext, email: string, password: string, clientIp: string): Promise<StaffIdentity> {
  const now = ctx.clock.now();
  const address = normalizeEmail(email).slice(0, 320);
  const { perIp, perAccount, lockout } = SIGN_IN_LIMITS;

  // Counted before any password is hashed: the limits also cap the CPU and memory we spend.
  const byIp = await hit(ctx.db, `signin:ip:${clientIp}`, perIp.limit, perIp.windowMs, now);
  if (!byIp.allowed) throw rateLimited(byIp.retryAfterSeconds, `Too many sign-in attempts from this network. Try again in ${waitText(byIp.retryAfterSeconds)}.`);
  const accountKey = `signin:account:${address}`;
  const byAccount = await hit(ctx.db, accountKey, perAccount.limit, perAccount.windowMs, now);
  if (!byAccount.allowed) throw rateLimited(byAccount.retryAfterSeconds, `Too many sign-in attempts for this account. Try again in ${waitText(byAccount.retryAfterSeconds)}.`);

  const [member] = await ctx.db.select().from(staff).where(eq(staff.email, address));
  const secondsLeft = (until: Date) => Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));

  if (!member || !member.active || !isRole(member.role)) {
    // An unknown email behaves like a real account: the same work, the same lockout after
    // the same number of failures, so probing cannot tell the two apart.
    if (byAccount.count > lockout.failures) throw locked(byAccount.retryAfterSeconds);
    await verifyPassword(password, await unknownAccountHash());
    if (byAccount.count === lockout.failures) throw locked(byAccount.retryAfterSeconds);
    throw new DomainError('unauthorized', WRONG_CREDENTIALS);
  }

  if (member.lockedUntil && member.lockedUntil > now) throw locked(secondsLeft(member.lockedUntil));

  if (!(await verifyPassword(password, member.passwordHash))) {
    // One atomic update: concurrent wrong guesses all count. A lock that has run out starts the count again.
    const at = sql`${now.toISOString()}::timestamptz`;
    const failures = sql`case when ${staff.lockedUntil} is not null and ${staff.lockedUntil} <= ${at} then 1 else ${staff.failedLogins} + 1 end`;
    const until = new Date(now.getTime() + lockout.durationMs);
    const [after] = await ctx.db
      .update(staff)
      .set({
        failedLogins: failures,
        lockedUntil: sql`case when ${failures} >= ${lockout.failures} then ${until.toISOString()}::timestamptz else null end`,
      })
      .where(eq(staff.id, member.id))
      .returning({ lockedUntil: staff.lockedUntil });
    if (after?.lockedUntil) {
      ctx.log.warn({ staffId: member.id, clientIp }, 'staff account locked after repeated failed sign-ins');
      throw locked(secondsLeft(after.lockedUntil));
    }
    throw new DomainError('unauthorized', WRONG_CREDENTIALS);
  }

  if (member.failedLogins > 0 || member.lockedUntil) {
    await ctx.db.update(staff).set({ failedLogins: 0, lockedUntil: null }).where(eq(staff.id, member.id));
  }
  await reset(ctx.db, accountKey);
  // Sign-ins are rare, which makes them a cheap moment to sweep old counters.
  await pruneExpired(ctx.db, now);
  return { id: member.id, email: member.email, name: member.name, role: member.role };
}

/** Authenticates and opens a session (kind 'session') or issues a bearer token (kind 'api'). */
export async function signIn(ctx: AppContext, kind: SessionKind, credentials: { email: string; password: string; clientIp: string }): Promise<SignedIn> {
  const member = await authenticate(ctx, credentials.email, credentials.password, credentials.clientIp);
  const now = ctx.clock.now();
  const token = randomToken(32);
  const csrfToken = randomToken(24);
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS[kind]);
  await ctx.db.transaction(async (tx) => {
    // Each sign-in clears this member's expired sessions, so the table stays small.
    await tx.delete(staffSessions).where(and(eq(staffSessions.staffId, member.id), lt(staffSessions.expiresAt, now)));
    await tx.insert(staffSessions).values({ tokenHash: sha256(token), staffId: member.id, kind, csrfToken, expiresAt, createdAt: now });
  });
  ctx.log.info({ staffId: member.id, kind }, 'staff signed in');
  return { staff: member, token, csrfToken, expiresAt };
}

/** Every back-office request and admin API call runs this query: Drizzle builds it once, PostgreSQL parses it once per connection. */
const sessionLookup = prepared('staff_session', (conn) =>
  conn
    .select({ id: staff.id, email: staff.email, name: staff.name, role: staff.role, csrfToken: staffSessions.csrfToken, expiresAt: staffSessions.expiresAt })
    .from(staffSessions)
    .innerJoin(staff, eq(staff.id, staffSessions.staffId))
    .where(
      and(
        eq(staffSessions.tokenHash, sql.placeholder('tokenHash')),
        eq(staffSessions.kind, sql.placeholder('kind')),
        // The clock's time as a parameter: tests set it.
        gt(staffSessions.expiresAt, sql`${sql.placeholder('now')}::timestamptz`),
        eq(staff.active, true),
      ),
    ),
);

/** The live session for a token of this kind, or null (unknown, expired, or the member was deactivated). */
export async function findSession(ctx: AppContext, token: string, kind: SessionKind): Promise<Session | null> {
  if (!token || token.length > 100) return null;
  const tokenHash = sha256(token);
  const [row] = await sessionLookup(ctx.db).execute({ tokenHash, kind, now: ctx.clock.now().toISOString() });
  if (!row || !isRole(row.role)) return null;
  return { staff: { id: row.id, email: row.email, name: row.name, role: row.role }, csrfToken: row.csrfToken, expiresAt: row.expiresAt, tokenHash };
}

/** Signs out: the token stops working at once, on every instance. */
export async function endSession(ctx: AppContext, token: string): Promise<void> {
  await ctx.db.delete(staffSessions).where(eq(staffSessions.tokenHash, sha256(token)));
}

/**
 * Changes the member's own password after checking the current one, and ends every other
 * session and token of theirs (a password change is how you throw out someone who got in).
 */
export async function changePassword(
  ctx: AppContext,
  session: Session,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const now = ctx.clock.now();
  const { perAccount } = SIGN_IN_LIMITS;
  // A stolen session must not become a way to guess the password without limit.
  const attempt = await hit(ctx.db, `password:${session.staff.id}`, perAccount.limit, perAccount.windowMs, now);
  if (!attempt.allowed) throw rateLimited(attempt.retryAfterSeconds, `Too many attempts. Try again in ${waitText(attempt.retryAfterSeconds)}.`);

  const [member] = await ctx.db.select({ passwordHash: staff.passwordHash }).from(staff).where(eq(staff.id, session.staff.id));
  if (!member || !(await verifyPassword(input.currentPassword, member.passwordHash))) {
    throw validationFailed({ currentPassword: 'This is not your current password.' });
  }
  const weak = passwordProblem(input.newPassword);
  if (weak) throw validationFailed({ newPassword: weak });
  const passwordHash = await hashPassword(input.newPassword);
  await ctx.db.transaction(async (tx) => {
    await tx.update(staff).set({ passwordHash, failedLogins: 0, lockedUntil: null }).where(eq(staff.id, session.staff.id));
    await tx.delete(staffSessions).where(and(eq(staffSessions.staffId, session.staff.id), ne(staffSessions.tokenHash, session.tokenHash)));
  });
  await reset(ctx.db, `password:${session.staff.id}`);
  ctx.log.info({ staffId: session.staff.id }, 'staff password changed; other sessions ended');
}
