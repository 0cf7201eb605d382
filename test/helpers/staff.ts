// Staff members for tests: a bearer token for the admin API, or a browser page signed in
// through the real sign-in form.
import { randomBytes, randomInt } from 'node:crypto';
import type { Page } from 'playwright-core';
import type { AppContext } from '../../src/context.ts';
import { createStaff, type StaffMember } from '../../src/domain/staff/staff-service.ts';
import type { Role } from '../../src/domain/staff/roles.ts';
import { ROLES } from '../../src/domain/staff/roles.ts';
import type { TestApp } from './test-app.ts';

export type TestStaff = StaffMember & { password: string };

/** Creates an active staff member with a unique email (e.g. warehouse-3f9a1c@test.casanova) and a known password. */
export async function addStaff(ctx: AppContext, role: Role, opts: { name?: string; email?: string; password?: string } = {}): Promise<TestStaff> {
  const password = opts.password ?? `pw-${randomBytes(9).toString('base64url')}`;
  const email = opts.email ?? `${role}-${randomBytes(3).toString('hex')}@test.casanova`;
  const member = await createStaff(ctx.db, { email, name: opts.name ?? `Test ${ROLES[role].label}`, role, password });
  return { ...member, password };
}

/** Creates a staff member of `role` and returns a bearer token for /api/v1/admin/*. */
export async function staffToken(t: Pick<TestApp, 'app' | 'ctx'>, role: Role, opts: Parameters<typeof addStaff>[2] = {}): Promise<string> {
  const member = await addStaff(t.ctx, role, opts);
  // From its own made-up address, so a test that needs many tokens never meets the per-address sign-in limit.
  const remoteAddress = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/token', remoteAddress, payload: { email: member.email, password: member.password } });
  if (res.statusCode !== 200) throw new Error(`staffToken: ${res.statusCode} ${res.body}`);
  return res.json().token as string;
}

/**
 * Creates a staff member of `role` and signs `page` in through /admin/login (fields "Email",
 * "Password", button "Sign in"). Takes the browser app (not just its URL) because creating the
 * member needs the database. Resolves once the dashboard shows; returns the member.
 */
export async function signIn(page: Page, b: { baseUrl: string; ctx: AppContext }, role: Role, opts: Parameters<typeof addStaff>[2] = {}): Promise<TestStaff> {
  const member = await addStaff(b.ctx, role, opts);
  await page.goto(`${b.baseUrl}/admin/login`);
  await page.getByLabel('Email').fill(member.email);
  await page.getByLabel('Password').fill(member.password);
  await Promise.all([page.waitForURL(`${b.baseUrl}/admin`), page.getByRole('button', { name: 'Sign in' }).click()]);
  return member;
}

/** Signs a new staff member of `role` in through the back-office form; returns the session cookie, the page's CSRF token and the member. */
export async function staffSession(t: Pick<TestApp, 'app' | 'ctx'>, role: Role): Promise<{ cookies: { staff_session: string }; csrf: string; member: TestStaff }> {
  const member = await addStaff(t.ctx, role);
  const remoteAddress = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
  const res = await t.app.inject({ method: 'POST', url: '/admin/login', remoteAddress, payload: { email: member.email, password: member.password, next: '/admin' } });
  const session = res.cookies.find((c) => c.name === 'staff_session');
  if (!session) throw new Error(`staffSession: ${res.statusCode} ${res.body.slice(0, 200)}`);
  const cookies = { staff_session: session.value };
  const page = await t.app.inject({ url: '/admin/account', cookies });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!csrf) throw new Error('staffSession: no CSRF token on /admin/account');
  return { cookies, csrf, member };
}
