// In Chromium: sign in through the form, see the back-office shell, open the account page,
// sign out; a wrong password shows the error and keeps the email. Screenshots for people.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSER_SKIP, browserApp, screenshot, axeViolations, type BrowserApp } from '../helpers/browser.ts';
import { addStaff, signIn } from '../helpers/staff.ts';

describe('back-office sign-in in a browser', { skip: BROWSER_SKIP }, () => {
  let b: BrowserApp;
  before(async () => {
    b = await browserApp('pglite');
  });
  after(() => b?.close());

  it('shows the sign-in page, refuses a wrong password and keeps the email', async () => {
    const member = await addStaff(b.ctx, 'support');
    const page = await b.newPage();
    await page.goto(`${b.baseUrl}/admin/orders`);
    assert.match(page.url(), /\/admin\/login\?next=%2Fadmin%2Forders$/);
    await screenshot(page, 'admin-login');
    assert.deepEqual(await axeViolations(page), []);

    await page.getByLabel('Email').fill(member.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /The email or password is not right\./);
    assert.equal(await page.getByLabel('Email').inputValue(), member.email);
    await screenshot(page, 'admin-login-error');
  });

  it('signs in, shows the shell with the sections of the role, the account page, and signs out', async () => {
    const page = await b.newPage();
    await signIn(page, b, 'owner', { name: 'Olive Owner' });
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    assert.match(await page.locator('.admin-top').innerText(), /Olive Owner\s+OWNER/i);
    const nav = await page.getByRole('navigation', { name: 'Back office' }).getByRole('link').allInnerTexts();
    assert.deepEqual(nav, ['Dashboard', 'Orders', 'Support', 'Returns', 'Catalog', 'Stock', 'Discounts', 'Mail', 'Notifications', 'Webhooks', 'Staff', 'Settings', 'Backups']);
    assert.equal(await page.getByRole('link', { name: 'Dashboard' }).getAttribute('aria-current'), 'page');
    // The dashboard's content belongs to the dashboard's own test; the shell is checked with axe on the account page.
    await screenshot(page, 'admin-shell');

    await page.getByRole('link', { name: /Olive Owner/ }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await screenshot(page, 'admin-account');
    assert.deepEqual(await axeViolations(page), []);

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await screenshot(page, 'admin-settings');
    assert.deepEqual(await axeViolations(page), []);
    await page.getByLabel('Monday').fill('9 to 5');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.locator('#f-hours-1-error').getByText('Write opening times like').waitFor();
    assert.equal(await page.getByLabel('Monday').inputValue(), '9 to 5', 'what was typed is kept');
    assert.equal(await page.getByLabel('Monday').getAttribute('aria-invalid'), 'true');
    await screenshot(page, 'admin-settings-error');

    await page.getByRole('link', { name: 'Staff' }).click();
    await page.getByRole('heading', { name: 'Staff', exact: true }).waitFor();
    await screenshot(page, 'admin-staff');
    assert.deepEqual(await axeViolations(page), []);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${b.baseUrl}/admin/login`);
    assert.match(await page.getByRole('status').innerText(), /You are signed out\./);
    await page.goto(`${b.baseUrl}/admin`);
    assert.match(page.url(), /\/admin\/login\?next=%2Fadmin$/, 'signed out for real');
  });

  it('a warehouse member sees only orders and stock, and a narrow screen still works', async () => {
    const page = await b.newPage({ width: 420, height: 800 });
    await signIn(page, b, 'warehouse', { name: 'Wren Warehouse' });
    const nav = await page.getByRole('navigation', { name: 'Back office' }).getByRole('link').allInnerTexts();
    assert.deepEqual(nav, ['Dashboard', 'Orders', 'Stock']);
    await screenshot(page, 'admin-shell-narrow');
    await page.goto(`${b.baseUrl}/admin/settings`);
    assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /can’t open this page/);
  });
});
