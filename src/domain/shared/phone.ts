// Phone numbers are stored in E.164 (+13045550142); people read them in their usual form.
import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** +13045550142 → (304) 555-0142; numbers abroad keep their international form; anything unparseable is shown as given. */
export function formatPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed ? (parsed.country === 'US' ? parsed.formatNational() : parsed.formatInternational()) : e164;
}

/** A tel: link for a number written any way people write it: "(304) 555-0142" → tel:3045550142. */
export const telHref = (phone: string) => `tel:${phone.replace(/[^\d+]/g, '')}`;
