// The owner in a real browser: opens Backups from the menu, sees the warning that the store
// has no backup, presses "Back up now" and sees the backup listed with its size; turns on the
// daily backup. Screenshot for a person to look at.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BROWSER_SKIP, browserApp, screenshot, axeViolations, type BrowserApp } from '../helpers/browser.ts';
import { signIn } from '../helpers/staff.ts';

describe('Backups in a browser', { skip: BROWSER_SKIP }, () => {
  let b: BrowserApp;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casanova-backup-browser-'));
  before(async () => {
    b = await browserApp('pglite', { env: { BACKUP_DIR: dir } });
  });
  after(async () => {
    await b?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the owner backs up now and turns on the daily backup', async () => {
    const page = await b.newPage();
    await signIn(page, b, 'owner');
    await page.getByRole('link', { name: 'Backups' }).click();
    await page.getByRole('heading', { name: 'Backups', level: 1 }).waitFor();
    assert.match(await page.getByRole('alert').innerText(), /no backup yet/);
    await page.getByRole('button', { name: 'Back up now' }).click();
    await page.getByRole('status').filter({ hasText: 'Backup started' }).waitFor();
    // The backup runs after the redirect: reload until the list shows it done.
    for (let i = 0; i < 50 && !(await page.getByText(/Last backup /).count()); i++) {
      await new Promise((r) => setTimeout(r, 200));
      await page.reload();
    }
    const row = page.locator('tbody tr').first();
    assert.match(await row.innerText(), /Done[\s\S]*casanova-pglite-.*\.tar\.gz[\s\S]*(kB|MB)/);

    await page.getByLabel('Take a backup every day').check();
    await page.getByLabel(/At \(hour/).fill('4');
    await page.getByLabel('Keep this many backups').fill('10');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await page.getByText('Daily backup at 4:00, keeping 10.').waitFor();
    assert.equal(await page.getByLabel('Take a backup every day').isChecked(), true);
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'backups');
  });
});
