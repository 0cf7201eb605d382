// Scenario tests: staff sign-in, sessions, tokens, roles, CSRF, lockout, rate limits, the
// owner's staff and settings screens, and the stock API — on PGlite and PostgreSQL.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { DB_KINDS } from './helpers/databases.ts';
import { testApp, fixedClock, type TestApp } from './helpers/test-app.ts';
import { addProducts, basicCatalog } from './helpers/fixtures.ts';
import { addStaff, staffToken, type TestStaff } from './helpers/staff.ts';
import { staff as staffTable } from '../src/db/schema.ts';
import { stockHistory } from '../src/domain/inventory/inventory-service.ts';
import { DEMO_OWNER_EMAIL, ensureOwner } from '../src/domain/staff/staff-service.ts';
import { SIGN_IN_LIMITS, WRONG_CREDENTIALS } from '../src/domain/staff/auth-service.ts';
import { settingsToForm } from '../src/http/admin/settings-form.ts';
import { loadSettings } from '../src/domain/settings/settings-service.ts';

const MINUTE = 60_000;
let ipCounter = 0;
/** A fresh client address per scenario, so per-address limits of one test do not leak into another. */
const newIp = () => `192.0.2.${++ipCounter}`;

type Form = Record<string, string | string[]>;
const encode = (form: Form) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) p.append(k, one);
  return p.toString();
};
const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? assert.fail('no _csrf field on the page');

for (const { kind, skip } of DB_KINDS) {
  describe(`staff sign-in and the back-office shell on ${kind}`, { skip }, () => {
    let t: TestApp;
    const clock = fixedClock('2025-03-03T15:00:00Z');
    before(async () => {
      t = await testApp(kind, { overrides: { clock } });
      await addProducts(t.ctx, basicCatalog);
    });
    after(() => t?.close());

    const token = (email: string, password: string, ip = newIp()) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/token', remoteAddress: ip, payload: { email, password } });

    /** Signs in through the form; returns the session cookie value. */
    async function login(member: { email: string; password: string }, ip = newIp()) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/admin/login',
        remoteAddress: ip,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: encode({ email: member.email, password: member.password, next: '/admin' }),
      });
      assert.equal(res.statusCode, 303, res.body);
      const cookie = res.cookies.find((c) => c.name === 'staff_session');
      assert.ok(cookie, 'a session cookie is set');
      return cookie.value;
    }
    const get = (url: string, session?: string) => t.app.inject({ url, headers: { accept: 'text/html' }, cookies: session ? { staff_session: session } : {} });
    const post = (url: string, session: string, form: Form, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url, cookies: { staff_session: session }, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: encode(form) });
    /** The CSRF token of a signed-in session, read from a page as a browser would. */
    const csrfOf = async (session: string) => csrfIn((await get('/admin/account', session)).body);

    it('issues a bearer token for the right password; a wrong password and an unknown email get the same 401', async () => {
      const member = await addStaff(t.ctx, 'warehouse');
      const ok = await token(member.email.toUpperCase(), member.password);
      assert.equal(ok.statusCode, 200);
      assert.match(ok.json().token, /^[A-Za-z0-9_-]{40,}$/);
      assert.equal(new Date(ok.json().expiresAt).getTime(), clock.now().getTime() + 12 * 60 * MINUTE);

      const wrong = await token(member.email, 'not-the-password');
      const unknown = await token('nobody@test.casanova', 'not-the-password');
      for (const res of [wrong, unknown]) {
        assert.equal(res.statusCode, 401);
        assert.deepEqual(res.json().error, { code: 'unauthorized', message: WRONG_CREDENTIALS });
      }
      const missing = await token('', '');
      assert.equal(missing.statusCode, 422);
    });

    it('guards the admin API: 401 without a valid token, 403 for a role without stock.adjust', async () => {
      const none = await t.app.inject('/api/v1/admin/variants/LAMP-1');
      assert.equal(none.statusCode, 401);
      assert.equal(none.json().error.code, 'unauthorized');
      assert.equal(none.headers['www-authenticate'], 'Bearer');
      const bogus = await t.app.inject({ url: '/api/v1/admin/variants/LAMP-1', headers: { authorization: 'Bearer not-a-real-token' } });
      assert.equal(bogus.statusCode, 401);

      const support = await t.app.inject({ url: '/api/v1/admin/variants/LAMP-1', headers: { authorization: `Bearer ${await staffToken(t, 'support')}` } });
      assert.equal(support.statusCode, 403);
      assert.equal(support.json().error.code, 'forbidden');
      assert.match(support.json().error.message, /Support role may not adjust stock/);

      for (const role of ['warehouse', 'owner'] as const) {
        const res = await t.app.inject({ url: '/api/v1/admin/variants/LAMP-1', headers: { authorization: `Bearer ${await staffToken(t, role)}` } });
        assert.equal(res.statusCode, 200, role);
        assert.deepEqual(res.json(), { sku: 'LAMP-1', productName: 'Test Lamp', options: { colour: 'Oat' }, price: { amount: 5000, currency: 'USD' }, stock: 10 });
      }
      const missing = await t.app.inject({ url: '/api/v1/admin/variants/NOPE', headers: { authorization: `Bearer ${await staffToken(t, 'owner')}` } });
      assert.equal(missing.statusCode, 404);
    });

    it('a session cookie is not a bearer token, and a bearer token does not open back-office pages', async () => {
      const member = await addStaff(t.ctx, 'owner');
      const session = await login(member);
      const api = await t.app.inject({ url: '/api/v1/admin/variants/LAMP-1', headers: { authorization: `Bearer ${session}` } });
      assert.equal(api.statusCode, 401);
      const bearer = (await token(member.email, member.password)).json().token;
      const page = await get('/admin', bearer);
      assert.equal(page.statusCode, 303);
    });

    it('sets stock through the API and records who, how much and why in the stock ledger', async () => {
      const member = await addStaff(t.ctx, 'warehouse', { name: 'Wanda Warehouse' });
      const bearer = (await token(member.email, member.password)).json().token;
      const put = (sku: string, body: unknown, auth = bearer) =>
        t.app.inject({ method: 'PUT', url: `/api/v1/admin/variants/${sku}/stock`, headers: { authorization: `Bearer ${auth}` }, payload: body as object });

      const res = await put('MUG-1', { quantity: 87, reason: 'cycle count, aisle 3' });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().stock, 87);
      assert.ok(res.json().updatedAt, 'the time of the change is reported');
      const [entry] = await stockHistory(t.ctx.db, 'MUG-1');
      assert.equal(entry!.delta, -13);
      assert.equal(entry!.stockAfter, 87);
      assert.equal(entry!.reason, 'set');
      assert.equal(entry!.note, 'cycle count, aisle 3');
      assert.equal(entry!.staffId, member.id);

      assert.equal((await put('MUG-1', { quantity: -1 })).statusCode, 422);
      assert.equal((await put('MUG-1', { quantity: 2.5 })).statusCode, 422);
      assert.equal((await put('MUG-1', {})).json().error.code, 'validation_failed');
      assert.equal((await put('NOPE-1', { quantity: 1 })).statusCode, 404);
      assert.equal((await put('MUG-1', { quantity: 1 }, await staffToken(t, 'support'))).statusCode, 403);
      assert.equal((await stockHistory(t.ctx.db, 'MUG-1')).length, 1, 'refused requests change nothing');
    });

    it('locks an account after 5 wrong passwords, refuses even the right one while locked, and unlocks after 15 minutes', async () => {
      const member = await addStaff(t.ctx, 'support');
      for (let i = 1; i <= 4; i++) assert.equal((await token(member.email, `wrong-${i}`)).statusCode, 401);
      const fifth = await token(member.email, 'wrong-5');
      assert.equal(fifth.statusCode, 429);
      assert.match(fifth.json().error.message, /locked\. Try again in 15 minutes/);
      assert.equal(fifth.headers['retry-after'], String(15 * 60));

      const right = await token(member.email, member.password);
      assert.equal(right.statusCode, 429, 'the right password does not open a locked account');
      assert.match(right.json().error.message, /locked/);

      // The sign-in page says the same.
      const form = await t.app.inject({
        method: 'POST',
        url: '/admin/login',
        remoteAddress: newIp(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: encode({ email: member.email, password: member.password }),
      });
      assert.equal(form.statusCode, 429);
      assert.match(form.body, /this account is locked/);
      assert.ok(form.headers['retry-after']);

      clock.advance(15 * MINUTE + 1000);
      const later = await token(member.email, member.password);
      assert.equal(later.statusCode, 200, later.body);
      const [row] = await t.ctx.db.select().from(staffTable).where(eq(staffTable.id, member.id));
      assert.equal(row!.failedLogins, 0);
      assert.equal(row!.lockedUntil, null);
    });

    it('an unknown email "locks" after the same number of failures, so lockout does not reveal which emails exist', async () => {
      const email = 'ghost@test.casanova';
      for (let i = 1; i <= 4; i++) assert.equal((await token(email, `wrong-${i}`)).statusCode, 401);
      const fifth = await token(email, 'wrong-5');
      assert.equal(fifth.statusCode, 429);
      assert.match(fifth.json().error.message, /this account is locked/);
      clock.advance(SIGN_IN_LIMITS.perAccount.windowMs + 1000);
    });

    it('rate limits sign-in per client address: 429 with Retry-After', async () => {
      const ip = newIp();
      const { limit } = SIGN_IN_LIMITS.perIp;
      for (let i = 0; i < limit; i++) assert.equal((await token(`spray-${i}@test.casanova`, 'guess-123456', ip)).statusCode, 401);
      const member = await addStaff(t.ctx, 'owner');
      const limited = await token(member.email, member.password, ip);
      assert.equal(limited.statusCode, 429);
      assert.equal(limited.json().error.code, 'rate_limited');
      assert.match(limited.json().error.message, /from this network/);
      const retryAfter = Number(limited.headers['retry-after']);
      assert.ok(retryAfter > 0 && retryAfter <= 15 * 60, `Retry-After ${retryAfter}`);
      assert.equal((await token(member.email, member.password, newIp())).statusCode, 200, 'other addresses are not affected');
      clock.advance(SIGN_IN_LIMITS.perIp.windowMs);
      assert.equal((await token(member.email, member.password, ip)).statusCode, 200, 'the window ends');
    });

    it('signed out, a back-office page redirects to sign-in and comes back after signing in', async () => {
      const res = await get('/admin/settings?tab=2');
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/admin/login?next=%2Fadmin%2Fsettings%3Ftab%3D2');
      const loginPage = await get(res.headers.location as string);
      assert.equal(loginPage.statusCode, 200);
      assert.match(loginPage.body, /<label for="f-email">Email<\/label>/);
      assert.match(loginPage.body, /<label for="f-password">Password<\/label>/);
      assert.match(loginPage.body, /<button type="submit" class="wide">Sign in<\/button>/);
      assert.match(loginPage.body, /name="next" value="\/admin\/settings\?tab=2"/);

      const member = await addStaff(t.ctx, 'owner');
      const back = await t.app.inject({
        method: 'POST',
        url: '/admin/login',
        remoteAddress: newIp(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: encode({ email: member.email, password: member.password, next: '/admin/settings?tab=2' }),
      });
      assert.equal(back.headers.location, '/admin/settings?tab=2');
      const offsite = await t.app.inject({
        method: 'POST',
        url: '/admin/login',
        remoteAddress: newIp(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: encode({ email: member.email, password: member.password, next: '//evil.example/admin' }),
      });
      assert.equal(offsite.headers.location, '/admin', 'never redirects off the back office');
    });

    it('signs in with the form, the session opens the shell, and signing out ends it', async () => {
      const member = await addStaff(t.ctx, 'support', { name: 'Sam Support' });
      const bad = await t.app.inject({
        method: 'POST',
        url: '/admin/login',
        remoteAddress: newIp(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: encode({ email: member.email, password: 'wrong-password' }),
      });
      assert.equal(bad.statusCode, 401);
      assert.match(bad.body, /The email or password is not right\./);
      assert.match(bad.body, new RegExp(`value="${member.email}"`), 'the email typed is kept');

      const ok = await t.app.inject({
        method: 'POST',
        url: '/admin/login',
        remoteAddress: newIp(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: encode({ email: member.email, password: member.password }),
      });
      assert.equal(ok.statusCode, 303);
      const setCookie = String(ok.headers['set-cookie']);
      assert.match(setCookie, /^staff_session=[A-Za-z0-9_-]+;/);
      assert.match(setCookie, /HttpOnly/);
      assert.match(setCookie, /SameSite=Strict/);
      assert.match(setCookie, /Path=\/admin/);
      assert.doesNotMatch(setCookie, /Secure/, 'plain http in tests');
      const session = ok.cookies.find((c) => c.name === 'staff_session')!.value;

      const shell = await get('/admin', session);
      assert.equal(shell.statusCode, 200);
      assert.equal(shell.headers['cache-control'], 'no-store');
      assert.match(shell.body, /Sam Support/);
      assert.match(shell.body, /<span class="role-tag">Support<\/span>/);
      for (const section of ['Orders', 'Support', 'Returns', 'Mail']) assert.match(shell.body, new RegExp(`>${section}</a>`), section);
      for (const section of ['Catalog', 'Stock', 'Staff', 'Settings']) assert.doesNotMatch(shell.body, new RegExp(`>${section}</a>`), section);

      // Already signed in: the sign-in page sends you on.
      assert.equal((await get('/admin/login', session)).statusCode, 303);

      const out = await post('/admin/logout', session, { _csrf: await csrfOf(session) });
      assert.equal(out.statusCode, 303);
      assert.equal(out.headers.location, '/admin/login');
      assert.equal((await get('/admin', session)).statusCode, 303, 'the old cookie no longer works');
      const farewell = await t.app.inject({ url: '/admin/login', cookies: { admin_flash: out.cookies.find((c) => c.name === 'admin_flash')!.value } });
      assert.match(farewell.body, /You are signed out\./);
    });

    it('refuses a back-office POST without the CSRF token, with a wrong one, or from another site', async () => {
      const member = await addStaff(t.ctx, 'owner');
      const session = await login(member);
      const csrf = await csrfOf(session);
      const change = { currentPassword: member.password, newPassword: 'a-brand-new-password', repeatPassword: 'a-brand-new-password' };

      const missing = await post('/admin/account/password', session, change);
      assert.equal(missing.statusCode, 403);
      assert.match(missing.body, /This form was refused/);
      assert.equal((await post('/admin/account/password', session, { ...change, _csrf: `${csrf}x` })).statusCode, 403);
      const crossSite = await post('/admin/account/password', session, { ...change, _csrf: csrf }, { origin: 'https://evil.example' });
      assert.equal(crossSite.statusCode, 403);
      assert.match(crossSite.body, /sent from another website/);
      const fetchSite = await post('/admin/account/password', session, { ...change, _csrf: csrf }, { 'sec-fetch-site': 'cross-site' });
      assert.equal(fetchSite.statusCode, 403);
      assert.equal((await post('/admin/logout', session, {})).statusCode, 403, 'even signing out needs the token');

      assert.equal((await token(member.email, member.password)).statusCode, 200, 'nothing changed');
      const sameSite = await post('/admin/account/password', session, { ...change, _csrf: csrf }, { host: 'shop.example', origin: 'http://shop.example' });
      assert.equal(sameSite.statusCode, 303, sameSite.body);
    });

    it('changes the password only with the current one and 10+ characters, and ends every other session and token', async () => {
      const member = await addStaff(t.ctx, 'warehouse');
      const here = await login(member);
      const elsewhere = await login(member);
      const bearer = (await token(member.email, member.password)).json().token;
      const csrf = await csrfOf(here);

      const wrongCurrent = await post('/admin/account/password', here, { _csrf: csrf, currentPassword: 'nope-nope-nope', newPassword: 'long-enough-1', repeatPassword: 'long-enough-1' });
      assert.equal(wrongCurrent.statusCode, 422);
      assert.match(wrongCurrent.body, /This is not your current password\./);
      const short = await post('/admin/account/password', here, { _csrf: csrf, currentPassword: member.password, newPassword: 'short', repeatPassword: 'short' });
      assert.equal(short.statusCode, 422);
      assert.match(short.body, /Use at least 10 characters\./);
      const mismatch = await post('/admin/account/password', here, { _csrf: csrf, currentPassword: member.password, newPassword: 'long-enough-1', repeatPassword: 'long-enough-2' });
      assert.match(mismatch.body, /does not match/);

      const done = await post('/admin/account/password', here, { _csrf: csrf, currentPassword: member.password, newPassword: 'long-enough-1', repeatPassword: 'long-enough-1' });
      assert.equal(done.statusCode, 303);
      const after = await t.app.inject({ url: done.headers.location as string, cookies: { staff_session: here, admin_flash: done.cookies.find((c) => c.name === 'admin_flash')!.value } });
      assert.match(after.body, /Password changed\./);

      assert.equal((await get('/admin', here)).statusCode, 200, 'this session stays');
      assert.equal((await get('/admin', elsewhere)).statusCode, 303, 'other sessions end');
      assert.equal((await t.app.inject({ url: '/api/v1/admin/variants/LAMP-1', headers: { authorization: `Bearer ${bearer}` } })).statusCode, 401, 'tokens end');
      assert.equal((await token(member.email, member.password)).statusCode, 401, 'the old password is gone');
      assert.equal((await token(member.email, 'long-enough-1')).statusCode, 200);
    });

    it('warehouse staff cannot open settings or staff screens; the owner can', async () => {
      const warehouse = await login(await addStaff(t.ctx, 'warehouse'));
      for (const url of ['/admin/settings', '/admin/staff']) {
        const res = await get(url, warehouse);
        assert.equal(res.statusCode, 403, url);
        assert.match(res.body, /You can’t open this page/);
      }
      const shell = (await get('/admin', warehouse)).body;
      for (const section of ['Orders', 'Stock']) assert.match(shell, new RegExp(`>${section}</a>`));
      for (const section of ['Settings', 'Staff', 'Mail', 'Catalog', 'Returns']) assert.doesNotMatch(shell, new RegExp(`>${section}</a>`));
      const refused = await post('/admin/settings', warehouse, { _csrf: await csrfOf(warehouse), storeName: 'Hijacked' });
      assert.equal(refused.statusCode, 403);
      assert.notEqual((await loadSettings(t.ctx.db)).storeName, 'Hijacked');

      const owner = await login(await addStaff(t.ctx, 'owner'));
      assert.equal((await get('/admin/settings', owner)).statusCode, 200);
      assert.equal((await get('/admin/staff', owner)).statusCode, 200);
    });

    it('the owner saves settings, every instance gets them, and bad values are shown next to their fields', async () => {
      const owner = await login(await addStaff(t.ctx, 'owner'));
      const page = await get('/admin/settings', owner);
      const csrf = csrfIn(page.body);
      const form = { ...settingsToForm(await loadSettings(t.ctx.db)) } as Form;
      for (const [k, v] of Object.entries(form)) if (v === undefined) delete form[k];

      const bad = await post('/admin/settings', owner, {
        ...form,
        _csrf: csrf,
        orderNumberPrefix: 'cs',
        'shipping.methods.standard.rate': 'six dollars',
        'hours.1': '09:00-08:00',
        taxRates: 'WV 6\nXX 5',
        'contact.email': 'not-an-email',
        storeName: '',
      });
      assert.equal(bad.statusCode, 422);
      const errorAt = (field: string) => new RegExp(`id="f-${field.replace(/\./g, '-')}-error">[^<]+`).exec(bad.body)?.[0];
      assert.match(errorAt('shipping.methods.standard.rate') ?? '', /amount in dollars/);
      assert.match(errorAt('hours.1') ?? '', /the end must be after the start/);
      assert.match(errorAt('taxRates') ?? '', /XX 5/);
      assert.match(errorAt('orderNumberPrefix') ?? '', /capital letters/);
      assert.ok(errorAt('contact.email'), 'the email error is next to the email field');
      assert.ok(errorAt('storeName'));
      assert.match(bad.body, /value="six dollars"/, 'what was typed is kept');

      const good = await post('/admin/settings', owner, {
        ...form,
        _csrf: csrf,
        storeName: 'Casanova Test Shop',
        'shipping.methods.standard.rate': '7.50',
        'shipping.freeStandardFrom': '',
        taxRates: 'WV 6\nca 7.25',
        'hours.6': '10:00-14:00',
        'serviceHours.holidays': '2025-12-25\n2025-07-04',
        'returns.refundShipping': 'on',
        'returns.restockingFeeBp': '10',
        'requests.autoApproveCancelIn': ['paid'],
      });
      assert.equal(good.statusCode, 303, good.body.slice(0, 2000));
      const saved = await loadSettings(t.ctx.db);
      assert.equal(saved.storeName, 'Casanova Test Shop');
      assert.equal(saved.shipping.methods.standard.rate, 750);
      assert.equal(saved.shipping.freeStandardFrom, null);
      assert.deepEqual(saved.taxRates, { WV: 600, CA: 725 });
      assert.deepEqual(saved.serviceHours.weekly['6'], [{ start: '10:00', end: '14:00' }]);
      assert.deepEqual(saved.serviceHours.holidays, ['2025-07-04', '2025-12-25']);
      assert.equal(saved.returns.refundShipping, true);
      assert.equal(saved.returns.restockingFeeBp, 1000);
      assert.deepEqual(saved.requests.autoApproveCancelIn, ['paid']);
      // The in-memory copy reloads through the change announcement.
      for (let i = 0; i < 50 && t.ctx.settings().storeName !== 'Casanova Test Shop'; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(t.ctx.settings().storeName, 'Casanova Test Shop');
      assert.match((await get('/admin/settings', owner)).body, /value="7\.50"/);
    });

    it('the owner adds staff with a role, deactivates them (ending their access) and reactivates them', async () => {
      const me = await addStaff(t.ctx, 'owner');
      const owner = await login(me);
      const csrf = await csrfOf(owner);

      const invalid = await post('/admin/staff', owner, { _csrf: csrf, name: '', email: 'nope', role: 'janitor', password: 'short' });
      assert.equal(invalid.statusCode, 422);
      for (const field of ['name', 'email', 'role', 'password']) assert.match(invalid.body, new RegExp(`id="f-${field}-error"`), field);

      const added = await post('/admin/staff', owner, { _csrf: csrf, name: 'Pat Packer', email: 'Pat@Test.Casanova', role: 'warehouse', password: 'pat-password-1' });
      assert.equal(added.statusCode, 303);
      const again = await post('/admin/staff', owner, { _csrf: csrf, name: 'Pat Again', email: 'pat@test.casanova', role: 'support', password: 'pat-password-2' });
      assert.match(again.body, /already exists/);

      const pat = { email: 'pat@test.casanova', password: 'pat-password-1' } as TestStaff;
      const patSession = await login(pat);
      const [row] = await t.ctx.db.select().from(staffTable).where(eq(staffTable.email, 'pat@test.casanova'));
      assert.equal(row!.role, 'warehouse');
      assert.match(row!.passwordHash, /^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);

      assert.equal((await post(`/admin/staff/${row!.id}/deactivate`, owner, { _csrf: csrf })).statusCode, 303);
      assert.equal((await get('/admin', patSession)).statusCode, 303, 'a deactivated member is signed out');
      assert.equal((await token(pat.email, pat.password)).statusCode, 401, 'and cannot sign in');

      const self = await post(`/admin/staff/${me.id}/deactivate`, owner, { _csrf: csrf });
      assert.equal(self.statusCode, 409);
      assert.match(self.body, /cannot deactivate your own account/);

      assert.equal((await post(`/admin/staff/${row!.id}/reactivate`, owner, { _csrf: csrf })).statusCode, 303);
      assert.equal((await token(pat.email, pat.password)).statusCode, 200);

      const reset = await post(`/admin/staff/${row!.id}/password`, owner, { _csrf: csrf });
      const fresh = /<code class="secret">([^<]+)<\/code>/.exec(reset.body)?.[1];
      assert.ok(fresh, 'the new password is shown once');
      assert.equal((await token(pat.email, pat.password)).statusCode, 401);
      assert.equal((await token(pat.email, fresh)).statusCode, 200);
    });

    it('creates the first owner once: from ADMIN_EMAIL / ADMIN_PASSWORD, or a demo owner with a logged one-time password', async () => {
      const lines: string[] = [];
      const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
      const empty = await testApp(kind);
      try {
        const ctx = { ...empty.ctx, log };
        await ensureOwner(ctx);
        await ensureOwner(ctx);
        const printed = lines.filter((l) => l.includes('one-time password'));
        assert.equal(printed.length, 1, 'printed exactly once');
        const password = /one-time password (\S+)/.exec(JSON.parse(printed[0]!).msg)?.[1];
        const res = await empty.app.inject({ method: 'POST', url: '/api/v1/auth/token', payload: { email: DEMO_OWNER_EMAIL, password } });
        assert.equal(res.statusCode, 200);
      } finally {
        await empty.close();
      }

      const configured = await testApp(kind, { env: { ADMIN_EMAIL: 'Boss@Shop.example', ADMIN_PASSWORD: 'configured-password' } });
      try {
        await ensureOwner({ ...configured.ctx, log });
        const res = await configured.app.inject({ method: 'POST', url: '/api/v1/auth/token', payload: { email: 'boss@shop.example', password: 'configured-password' } });
        assert.equal(res.statusCode, 200);
        assert.equal(lines.filter((l) => l.includes('configured-password')).length, 0, 'a configured password is never logged');
      } finally {
        await configured.close();
      }
    });
  });
}
