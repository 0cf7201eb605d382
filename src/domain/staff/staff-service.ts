// Staff accounts: create, list, deactivate and reactivate, reset a password, and the
// first owner on a new installation.
import { and, asc, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { Conn } from '../../db/client.ts';
import { staff, staffSessions } from '../../db/schema.ts';
import { DomainError, notFound, validationFailed } from '../shared/errors.ts';
import type { Actor } from '../orders/order-events.ts';
import { generatePassword, hashPassword, passwordProblem } from './passwords.ts';
import { ROLE_NAMES, isRole, type Role } from './roles.ts';

/** Who is acting: what routes see as `req.staff`. */
export type StaffIdentity = { id: string; email: string; name: string; role: Role };

export type StaffMember = StaffIdentity & { active: boolean; lockedUntil: Date | null; createdAt: Date };

/** The owner created on first start when ADMIN_EMAIL is not set. */
export const DEMO_OWNER_EMAIL = 'owner@casanova.local';

/** Emails are compared case-insensitively: stored and looked up in lower case. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** The order-event actor for a staff member. */
export const staffActor = (s: StaffIdentity): Actor => ({ kind: 'staff', staffId: s.id, email: s.email });

const newStaffSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name.').max(80, 'Use at most 80 characters.'),
  email: z.email('Enter an email address, like name@example.com.').max(254),
  role: z.enum(ROLE_NAMES as [Role, ...Role[]], 'Choose a role.'),
  password: z.string(),
});

export type NewStaff = { email: string; name: string; role: string; password: string };

const memberColumns = {
  id: staff.id,
  email: staff.email,
  name: staff.name,
  role: staff.role,
  active: staff.active,
  lockedUntil: staff.lockedUntil,
  createdAt: staff.createdAt,
};

type MemberRow = Omit<StaffMember, 'role'> & { role: string };

function toMember(row: MemberRow): StaffMember {
  // The role column is written only through createStaff, so anything else is a damaged row.
  if (!isRole(row.role)) throw new Error(`Staff ${row.id} has an unknown role "${row.role}".`);
  return { ...row, role: row.role };
}

/** Adds a staff member; field errors name `name`, `email`, `role` or `password`. */
export async function createStaff(conn: Conn, input: NewStaff): Promise<StaffMember> {
  const parsed = newStaffSchema.safeParse({ ...input, email: normalizeEmail(input.email ?? '') });
  const fields: Record<string, string> = {};
  for (const issue of parsed.error?.issues ?? []) fields[String(issue.path[0])] ??= issue.message;
  const weak = passwordProblem(input.password ?? '');
  if (weak) fields.password = weak;
  if (!parsed.success || weak) throw validationFailed(fields);
  const { name, email, role, password } = parsed.data;
  const [row] = await conn
    .insert(staff)
    .values({ name, email, role, passwordHash: await hashPassword(password) })
    .onConflictDoNothing({ target: staff.email })
    .returning(memberColumns);
  if (!row) throw validationFailed({ email: 'A staff member with this email already exists.' });
  return toMember(row);
}

export async function listStaff(conn: Conn): Promise<StaffMember[]> {
  const list = await conn.select(memberColumns).from(staff).orderBy(desc(staff.active), asc(staff.name));
  return list.map(toMember);
}

/**
 * Deactivates (signing the member out everywhere) or reactivates (clearing any lockout) a
 * staff member. Nobody deactivates themselves, and the last active owner stays.
 */
export async function setStaffActive(ctx: AppContext, by: StaffIdentity, staffId: string, active: boolean): Promise<StaffMember> {
  return ctx.db.transaction(async (tx) => {
    // Lock every active owner too, so two owners cannot deactivate each other at once.
    const owners = await tx.select({ id: staff.id }).from(staff).where(and(eq(staff.role, 'owner'), eq(staff.active, true))).for('update');
    const [target] = await tx.select(memberColumns).from(staff).where(eq(staff.id, staffId)).for('update');
    if (!target) throw notFound('Staff member');
    if (!active) {
      if (target.id === by.id) throw new DomainError('conflict', 'You cannot deactivate your own account.');
      if (target.role === 'owner' && target.active && owners.length <= 1) {
        throw new DomainError('conflict', 'This is the only active owner: add or reactivate another owner first.');
      }
      await tx.delete(staffSessions).where(eq(staffSessions.staffId, staffId));
    }
    const [row] = await tx
      .update(staff)
      .set(active ? { active, failedLogins: 0, lockedUntil: null } : { active })
      .where(eq(staff.id, staffId))
      .returning(memberColumns);
    ctx.log.info({ staffId, active, by: by.email }, active ? 'staff member reactivated' : 'staff member deactivated');
    return toMember(row!);
  });
}

/** Gives a member a new random password (returned once), clears any lockout and ends their sessions. */
export async function resetPassword(ctx: AppContext, who: { id: string } | { email: string }): Promise<{ member: StaffMember; password: string }> {
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(staff)
      .set({ passwordHash, failedLogins: 0, lockedUntil: null })
      .where('id' in who ? eq(staff.id, who.id) : eq(staff.email, normalizeEmail(who.email)))
      .returning(memberColumns);
    if (!row) throw notFound('Staff member');
    await tx.delete(staffSessions).where(eq(staffSessions.staffId, row.id));
    return { member: toMember(row), password };
  });
}

async function hasStaff(ctx: AppContext): Promise<boolean> {
  const [row] = await ctx.db.select({ id: staff.id }).from(staff).limit(1);
  return row !== undefined;
}

/**
 * On first start (no staff at all) creates the owner: ADMIN_EMAIL / ADMIN_PASSWORD when set,
 * else the demo owner. A generated password is printed once in the log and never again.
 */
export async function ensureOwner(ctx: AppContext): Promise<void> {
  if (await hasStaff(ctx)) return;
  const email = ctx.config.adminEmail ?? DEMO_OWNER_EMAIL;
  const password = ctx.config.adminPassword ?? generatePassword();
  try {
    await createStaff(ctx.db, { email, name: 'Owner', role: 'owner', password });
  } catch (err) {
    // Another instance starting at the same moment may have created it first.
    if (await hasStaff(ctx)) return;
    throw err;
  }
  if (ctx.config.adminPassword) {
    ctx.log.info({ email }, 'created the owner account from ADMIN_EMAIL / ADMIN_PASSWORD');
  } else {
    ctx.log.warn(
      `Created the owner account ${email} with the one-time password ${password} — sign in at ${ctx.config.publicUrl}/admin/login ` +
        'and change it under Account. This password is not shown again.',
    );
  }
}
