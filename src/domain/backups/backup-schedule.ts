// When the daily backup is due: from the chosen hour on, in the shop's time zone, once per
// local day. The slot names that day, so the claim row (backups.slot) lets one instance take it.
import { DateTime } from 'luxon';
import type { StoreSettings } from '../settings/store-settings.ts';

/** `daily-YYYY-MM-DD` once today's backup hour has come, else undefined (also when turned off). */
export function dueBackupSlot(settings: Pick<StoreSettings, 'backups' | 'serviceHours'>, now: Date): string | undefined {
  if (!settings.backups.enabled) return undefined;
  const local = DateTime.fromJSDate(now).setZone(settings.serviceHours.timeZone);
  if (!local.isValid || local.hour < settings.backups.hour) return undefined;
  return `daily-${local.toISODate()}`;
}
