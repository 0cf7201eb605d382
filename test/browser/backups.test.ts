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

describe('Product import in a browser', { skip: BROWSER_SKIP }, () => {
  let b: BrowserApp;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casanova-import-browser-'));
  before(async () => {
    b = await browserApp('pglite');
  });
  after(async () => {
    await b?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the owner dry-runs a CSV, reads why a row is refused, and sees nothing imported yet', async () => {
    const file = path.join(dir, 'products.csv');
    fs.writeFileSync(file, 'handle,name,category,description,sku,options,price,compare_at_price,stock\noak-board,Oak Board,kitchen,Oiled oak.,OAK-1,,24.00,,5\noak-board,Oak Board,kitchen,,OAK-2,size=XL,twelve,,5\n');
    const page = await b.newPage();
    await signIn(page, b, 'owner');
    await page.goto('/admin/products');
    await page.getByRole('link', { name: 'Import or export' }).click();
    await page.getByLabel('CSV file').setInputFiles(file);
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.getByRole('heading', { name: /Casanova CSV: 1 new products/ }).waitFor();
    assert.match(await page.locator('tbody').innerText(), /“twelve” is not a price in dollars/);
    await screenshot(page, 'product-import');
  });
});
