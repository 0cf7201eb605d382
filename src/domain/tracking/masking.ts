// Personal data on the tracking view is partly hidden: enough for the customer to recognise
// their order, too little for anyone else who sees the screen or holds the link. Pure.
import type { Address } from '../../db/schema.ts';

const DOTS = '•••';

/** "Jane van der Berg" → "J. v. d. B." */
export function maskName(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return parts.map((p) => `${Array.from(p)[0]}.`).join(' ');
}

/** "jane.doe@example.com" → "j•••@e•••.com": first letters and the top-level domain only. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return DOTS;
  const local = email.slice(0, at);
  const labels = email.slice(at + 1).split('.');
  const tld = labels.length > 1 ? `.${labels.at(-1)}` : '';
  const first = (s: string) => Array.from(s)[0] ?? '';
  return `${first(local)}${DOTS}@${first(labels[0] ?? '')}${DOTS}${tld}`;
}

/** "+13045550142" → "•••-•••-0142": the last four digits only. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 4 ? `${DOTS}-${DOTS}-${digits.slice(-4)}` : DOTS;
}

export type MaskedAddress = { name: string; city: string; state: string; postalCode: string; country: string };

/** The street is hidden; city, state and ZIP stay so the customer can see where the parcel goes. */
export function maskAddress(address: Address): MaskedAddress {
  return { name: maskName(address.name), city: address.city, state: address.state, postalCode: address.postalCode, country: address.country };
}
