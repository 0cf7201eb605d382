// Times on the tracking page, in the shop's own time zone and its abbreviation.
import { DateTime } from 'luxon';
import type { StoreSettings } from '../../../domain/settings/store-settings.ts';
import { zoneAbbreviation } from '../../../domain/support/service-hours.ts';

const local = (d: Date, s: StoreSettings) => DateTime.fromJSDate(d, { zone: s.serviceHours.timeZone }).setLocale('en-US');
/** "Tue, Mar 4, 2:10 PM ET" */
const shopTime = (d: Date, s: StoreSettings) => `${local(d, s).toFormat('ccc, LLL d, h:mm a')} ${zoneAbbreviation(s.serviceHours, d)}`;
const shortTime = (d: Date, s: StoreSettings) => local(d, s).toFormat('LLL d, h:mm a');
export const Time = ({ at, s, short }: { at: Date; s: StoreSettings; short?: boolean }) => <time dateTime={at.toISOString()}>{short ? shortTime(at, s) : shopTime(at, s)}</time>;

/** An estimate to the minute promises too much: shown as the next full hour. */
export function estimateText(at: Date, s: StoreSettings): string {
  const t = local(at, s);
  const hour = t.minute === 0 && t.second === 0 ? t : t.startOf('hour').plus({ hours: 1 });
  return `${hour.toFormat('cccc, LLLL d')}, around ${hour.toFormat('h a')} ${zoneAbbreviation(s.serviceHours, at)}`;
}
