// The daily backup's slot (hour in the shop's time zone, once per local day) and "keep N".
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dueBackupSlot } from '../../src/domain/backups/backup-schedule.ts';
import { backupFileName, pruneBackups } from '../../src/domain/backups/backup-files.ts';
import { defaultSettings } from '../../src/domain/settings/store-settings.ts';

const settings = (enabled: boolean, hour: number) => ({ ...defaultSettings(), backups: { enabled, hour, keep: 7 } });

describe('the daily backup slot', () => {
  it('is due from the chosen hour on, in the shop time zone, named after the local day', () => {
    // 07:59 UTC is 02:59 in New York (EST): not yet; 08:00 UTC is 03:00 there.
    assert.equal(dueBackupSlot(settings(true, 3), new Date('2026-12-06T07:59:00Z')), undefined);
    assert.equal(dueBackupSlot(settings(true, 3), new Date('2026-12-06T08:00:00Z')), 'daily-2026-12-06');
    // 02:00 UTC on the 7th is still the 6th in New York.
    assert.equal(dueBackupSlot(settings(true, 3), new Date('2026-12-07T02:00:00Z')), 'daily-2026-12-06');
  });

  it('is never due while the schedule is off', () => {
    assert.equal(dueBackupSlot(settings(false, 0), new Date('2026-12-06T23:00:00Z')), undefined);
  });
});

describe('keeping N backups', () => {
  it('deletes the oldest backup files beyond N and leaves other files alone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casanova-prune-'));
    try {
      const names = [1, 2, 3, 4].map((d) => backupFileName('pglite', new Date(`2026-12-0${d}T03:00:00Z`), 'abcd'));
      for (const n of [...names, 'notes.txt']) fs.writeFileSync(path.join(dir, n), 'x');
      assert.deepEqual(pruneBackups(dir, 2).sort(), names.slice(0, 2).sort());
      assert.deepEqual(fs.readdirSync(dir).sort(), [...names.slice(2), 'notes.txt'].sort());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
