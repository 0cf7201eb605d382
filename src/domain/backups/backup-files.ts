// Backup files in BACKUP_DIR: how they are named, which database each one is for, and
// which are deleted when more than the owner's "keep N" are there.
import fs from 'node:fs';
import path from 'node:path';
import { picturesFileName } from './backup-pictures.ts';

export type BackupFormat = 'postgres' | 'pglite';

/** pg_dump's custom format for PostgreSQL; a gzipped tar of the data folder for PGlite. */
const EXTENSION: Record<BackupFormat, string> = { postgres: 'pgdump', pglite: 'tar.gz' };

const NAME = /^casanova-(postgres|pglite)-(\d{8}-\d{6})(-[0-9a-f]{4})?\.(pgdump|tar\.gz)$/;

/** `casanova-postgres-20261206-030000-1a2b.pgdump`: sorts by time, says what it restores into. */
export function backupFileName(format: BackupFormat, at: Date, suffix: string): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `casanova-${format}-${stamp}-${suffix}.${EXTENSION[format]}`;
}

export const isBackupFileName = (name: string) => NAME.test(name);

/** Reads the first bytes: pg_dump's custom files start with "PGDMP", gzip with 1f 8b. */
export function detectFormat(file: string): BackupFormat | undefined {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(5);
    fs.readSync(fd, head, 0, 5, 0);
    if (head.toString('latin1') === 'PGDMP') return 'postgres';
    if (head[0] === 0x1f && head[1] === 0x8b) return 'pglite';
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** Deletes all but the newest `keep` backup files (by the time in their names); returns the deleted names. */
export function pruneBackups(dir: string, keep: number): string[] {
  if (!fs.existsSync(dir)) return [];
  const files = fs
    .readdirSync(dir)
    .filter(isBackupFileName)
    .sort((a, b) => (a.match(NAME)![2]! < b.match(NAME)![2]! ? 1 : -1));
  const doomed = files.slice(keep);
  for (const name of doomed) {
    fs.rmSync(path.join(dir, name), { force: true });
    fs.rmSync(path.join(dir, picturesFileName(name)), { force: true });
  }
  return doomed;
}
