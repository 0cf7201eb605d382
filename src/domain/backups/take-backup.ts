// Taking a backup: claim a row (the unique slot keeps two instances from taking the same
// scheduled backup), write the dump to a temporary name and rename it when complete (a
// file in BACKUP_DIR with a backup's name is always whole), record its size, then delete
// backups beyond the owner's "keep N". Pictures in the database are in the dump; pictures in
// a bucket (STORAGE_URL) are written beside it (backup-pictures.ts), before the rename, so a
// backup file never exists without its pictures.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import { backups } from '../../db/schema.ts';
import type { AppContext } from '../../context.ts';
import { backupFileName, pruneBackups, type BackupFormat } from './backup-files.ts';
import { pgDump } from './pg-tools.ts';
import { picturesFileName, writePictures } from './backup-pictures.ts';

export type BackupDeps = Pick<AppContext, 'db' | 'database' | 'config' | 'clock' | 'settings' | 'blobs'>;
export type BackupRow = typeof backups.$inferSelect;

/** A run still "running" after this long died with its process (a crash, a restart). */
const INTERRUPTED_AFTER_MS = 6 * 3600_000;

/** Claims `slot`; undefined when another run (or instance) already has it. */
export async function claimBackup(deps: BackupDeps, requestedBy: string, slot = manualSlot(deps.clock.now())): Promise<BackupRow | undefined> {
  const [row] = await deps.db.insert(backups).values({ slot, requestedBy, startedAt: deps.clock.now() }).onConflictDoNothing({ target: backups.slot }).returning();
  return row;
}

const manualSlot = (at: Date) => `manual-${at.toISOString()}-${randomBytes(3).toString('hex')}`;

/** Writes the claimed backup and records the outcome; a failure is recorded and rethrown. */
export async function runBackup(deps: BackupDeps, claim: BackupRow): Promise<BackupRow> {
  const format: BackupFormat = deps.database.kind;
  const dir = deps.config.backupDir;
  const fileName = backupFileName(format, claim.startedAt, randomBytes(2).toString('hex'));
  const finalPath = path.join(dir, fileName);
  const partial = `${finalPath}.partial`;
  const pictures = picturesFileName(finalPath);
  const { list } = deps.blobs;
  try {
    fs.mkdirSync(dir, { recursive: true });
    await writeDump(deps, partial);
    if (list) await writePictures({ ...deps.blobs, list }, pictures);
    fs.renameSync(partial, finalPath);
    const size = fs.statSync(finalPath).size + (list ? fs.statSync(pictures).size : 0);
    const [done] = await deps.db
      .update(backups)
      .set({ status: 'done', fileName, sizeBytes: size, finishedAt: deps.clock.now() })
      .where(eq(backups.id, claim.id))
      .returning();
    const pruned = pruneBackups(dir, deps.settings().backups.keep);
    if (pruned.length) await deps.db.update(backups).set({ status: 'deleted' }).where(inArray(backups.fileName, pruned));
    return done!;
  } catch (err) {
    fs.rmSync(partial, { force: true });
    fs.rmSync(pictures, { force: true });
    const message = err instanceof Error ? err.message : String(err);
    await deps.db.update(backups).set({ status: 'failed', error: message.slice(0, 2000), finishedAt: deps.clock.now() }).where(eq(backups.id, claim.id));
    throw err;
  }
}

async function writeDump(deps: BackupDeps, file: string): Promise<void> {
  if (deps.database.kind === 'postgres') return pgDump(deps.database.url!, file);
  const dump = await deps.database.dumpDataDir!();
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
}

/** Claims and writes one backup now (`npm run backup`, "Back up now" waits on this). */
export async function takeBackup(deps: BackupDeps, requestedBy: string): Promise<BackupRow> {
  return runBackup(deps, (await claimBackup(deps, requestedBy))!);
}

/** The latest runs, newest first, for the back office. */
export async function recentBackups(deps: Pick<BackupDeps, 'db'>, limit = 20): Promise<BackupRow[]> {
  return deps.db.select().from(backups).orderBy(desc(backups.startedAt), desc(backups.id)).limit(limit);
}

/** The newest backup that was written completely (for the "older than a day" warning). */
export async function lastGoodBackup(deps: Pick<BackupDeps, 'db'>): Promise<BackupRow | undefined> {
  const [row] = await deps.db.select().from(backups).where(eq(backups.status, 'done')).orderBy(desc(backups.finishedAt)).limit(1);
  return row;
}

/** Runs whose process died mid-way are marked failed, so the list does not show them running for ever. */
export async function markInterrupted(deps: Pick<BackupDeps, 'db' | 'clock'>): Promise<void> {
  const before = new Date(deps.clock.now().getTime() - INTERRUPTED_AFTER_MS);
  await deps.db
    .update(backups)
    .set({ status: 'failed', error: 'Interrupted: the process stopped before the backup was written.', finishedAt: deps.clock.now() })
    .where(and(eq(backups.status, 'running'), lt(backups.startedAt, before)));
}
