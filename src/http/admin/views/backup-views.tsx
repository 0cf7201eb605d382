// /admin/backups (owner only): a warning when the last good backup is missing or over a day
// old, "Back up now", the daily schedule, and the latest runs with their sizes.
import type { VNode } from 'preact';
import type { BackupRow } from '../../../domain/backups/take-backup.ts';
import { CheckboxField, ErrorSummary, Field, text, type FormErrors, type FormValues } from './form.tsx';
import { StatusBadge, age } from './display.tsx';

export const BACKUP_LABELS: Record<string, string> = {
  'backups.enabled': 'Take a backup every day',
  'backups.hour': 'At (hour, 0–23, shop time)',
  'backups.keep': 'Keep this many backups',
};

const DAY_MS = 24 * 3600_000;

/** "1.4 MB": sizes as people read them (decimal units, like file managers). */
export function byteSize(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) (v /= 1000), i++;
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export type BackupsViewData = {
  runs: BackupRow[];
  lastGood?: BackupRow;
  now: Date;
  at: (d: Date) => string;
  backupDir: string;
  timeZone: string;
  values: FormValues;
  errors?: FormErrors;
  csrf: VNode;
};

export function BackupsView(d: BackupsViewData) {
  const errors = d.errors ?? {};
  const lastAt = d.lastGood?.finishedAt;
  const stale = !lastAt || d.now.getTime() - lastAt.getTime() > DAY_MS;
  return (
    <>
      <h1>Backups</h1>
      {stale ? (
        <div class="alert alert-error" role="alert">
          {lastAt
            ? `The last backup is ${age(d.now.getTime() - lastAt.getTime())} old. Back up now, or turn on the daily backup below.`
            : 'This store has no backup yet. Back up now, or turn on the daily backup below.'}
        </div>
      ) : (
        <div class="alert alert-ok" role="status">
          Last backup {d.at(lastAt)} ({byteSize(d.lastGood!.sizeBytes ?? 0)}).
        </div>
      )}
      <section class="panel" aria-labelledby="now-title">
        <h2 id="now-title">Back up now</h2>
        <p>
          Writes the whole store — orders, customers, catalog and pictures — to <code>{d.backupDir}</code>. Restore one with{' '}
          <code>npm run restore -- FILE</code> into an empty database.
        </p>
        <form method="post" action="/admin/backups">
          {d.csrf}
          <button type="submit">Back up now</button>
        </form>
      </section>
      <section class="panel" aria-labelledby="schedule-title">
        <h2 id="schedule-title">Daily backup</h2>
        <ErrorSummary errors={errors} labels={BACKUP_LABELS} />
        <form method="post" action="/admin/backups/schedule">
          {d.csrf}
          <CheckboxField name="backups.enabled" label={BACKUP_LABELS['backups.enabled']!} checked={text(d.values, 'backups.enabled') === 'on'} />
          <div class="row">
            <Field name="backups.hour" label={BACKUP_LABELS['backups.hour']!} type="number" inputMode="numeric" value={text(d.values, 'backups.hour')} error={errors['backups.hour']} hint={d.timeZone} />
            <Field name="backups.keep" label={BACKUP_LABELS['backups.keep']!} type="number" inputMode="numeric" value={text(d.values, 'backups.keep')} error={errors['backups.keep']} hint="Older backup files are deleted." />
          </div>
          <button type="submit">Save schedule</button>
        </form>
      </section>
      <section class="panel" aria-labelledby="runs-title">
        <h2 id="runs-title">Last backups</h2>
        {d.runs.length === 0 ? (
          <p class="muted">None yet.</p>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">By</th>
                  <th scope="col">Status</th>
                  <th scope="col">File</th>
                  <th scope="col">Size</th>
                </tr>
              </thead>
              <tbody>
                {d.runs.map((r) => (
                  <tr class={r.status === 'deleted' ? 'row-muted' : undefined}>
                    <td>{d.at(r.startedAt)}</td>
                    <td>{r.requestedBy}</td>
                    <td>
                      <StatusBadge status={r.status} kind="backup-" />
                      {r.error ? <p class="hint">{r.error}</p> : null}
                    </td>
                    <td>{r.fileName ? <code>{r.fileName}</code> : '—'}</td>
                    <td>{r.sizeBytes != null ? byteSize(r.sizeBytes) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
