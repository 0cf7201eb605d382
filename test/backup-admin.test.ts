// The back office's backups page (owner only): the warning without a recent backup,
// "Back up now", the daily schedule and its one-instance claim.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DB_KINDS } from './helpers/databases.ts';
import { changeSettings, fixedClock, testApp, type TestApp } from './helpers/test-app.ts';
import { staffSession } from './helpers/staff.ts';
import { claimBackup, recentBackups } from '../src/domain/backups/take-backup.ts';
import { startScheduledBackups } from '../src/jobs/scheduled-backup.ts';

async function until<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

for (const { kind, skip } of DB_KINDS) {
  describe(`the backups page on ${kind}`, { skip }, () => {
    let t: TestApp;
    let dir: string;
    // 10:00 in New York (the default shop time zone).
    const clock = fixedClock('2026-12-06T15:00:00Z');
    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casanova-backup-admin-'));
      t = await testApp(kind, { env: { BACKUP_DIR: dir }, overrides: { clock } });
    });
    after(async () => {
      await t.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('is for the owner only', async () => {
      const support = await staffSession(t, 'support');
      const res = await t.app.inject({ url: '/admin/backups', cookies: support.cookies });
      assert.equal(res.statusCode, 403);
    });

    it('warns that there is no backup, and "Back up now" writes one that the list shows with its size', async () => {
      const owner = await staffSession(t, 'owner');
      const first = await t.app.inject({ url: '/admin/backups', cookies: owner.cookies });
      assert.equal(first.statusCode, 200);
      assert.match(first.body, /This store has no backup yet/);
      const refused = await t.app.inject({ method: 'POST', url: '/admin/backups', cookies: owner.cookies, payload: {} });
      assert.equal(refused.statusCode, 403, 'no CSRF token, no backup');
      const started = await t.app.inject({ method: 'POST', url: '/admin/backups', cookies: owner.cookies, payload: { _csrf: owner.csrf } });
      assert.equal(started.statusCode, 303);
      const done = await until('the backup', async () => (await recentBackups(t.ctx)).find((b) => b.status === 'done'));
      assert.ok(fs.existsSync(path.join(dir, done.fileName!)));
      const page = await t.app.inject({ url: '/admin/backups', cookies: owner.cookies });
      assert.doesNotMatch(page.body, /no backup yet/);
      assert.ok(page.body.includes(done.fileName!));
      assert.match(page.body, /Last backup/);
    });

    it('saves the daily schedule, and refuses an hour that is not one', async () => {
      const owner = await staffSession(t, 'owner');
      const bad = await t.app.inject({ method: 'POST', url: '/admin/backups/schedule', cookies: owner.cookies, payload: { _csrf: owner.csrf, 'backups.enabled': 'on', 'backups.hour': '25', 'backups.keep': '3' } });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /Use an hour from 0 to 23/);
      const ok = await t.app.inject({ method: 'POST', url: '/admin/backups/schedule', cookies: owner.cookies, payload: { _csrf: owner.csrf, 'backups.enabled': 'on', 'backups.hour': '9', 'backups.keep': '3' } });
      assert.equal(ok.statusCode, 303);
      await until('the settings', async () => t.ctx.settings().backups.enabled || undefined);
      assert.deepEqual(t.ctx.settings().backups, { enabled: true, hour: 9, keep: 3 });
    });

    it("takes the scheduled backup once per day, even when two instances ask for today's slot", async () => {
      await changeSettings(t, (s) => ({ ...s, backups: { enabled: true, hour: 9, keep: 3 } }));
      assert.ok(await claimBackup(t.ctx, 'other-instance-test', 'daily-2026-12-05'));
      assert.equal(await claimBackup(t.ctx, 'schedule', 'daily-2026-12-05'), undefined, 'a slot another instance claimed is not taken again');
      const job = startScheduledBackups(t.ctx, 60_000);
      const daily = await until('the scheduled backup', async () => (await recentBackups(t.ctx)).find((b) => b.slot === 'daily-2026-12-06' && b.status === 'done'));
      await job.stop();
      assert.equal(daily.requestedBy, 'schedule');
      const second = startScheduledBackups(t.ctx, 60_000);
      await second.stop();
      assert.equal((await recentBackups(t.ctx)).filter((b) => b.slot === 'daily-2026-12-06').length, 1);
      assert.ok(fs.readdirSync(dir).filter((f) => f.startsWith('casanova-')).length <= 3, 'keeps 3 files');
    });
  });
}
