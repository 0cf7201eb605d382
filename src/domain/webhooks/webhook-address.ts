// Where a webhook may go: an http(s) URL without credentials, on a public address unless
// WEBHOOKS_ALLOW_PRIVATE=on (checked at registration and again before each delivery; see
// shared/public-address.ts for why).
import { privateHostRefusal, type Resolver } from '../shared/public-address.ts';

export type { Resolver } from '../shared/public-address.ts';

/** Problems with a webhook URL as words for the owner; undefined when it is fine to call. */
export function webhookUrlProblem(raw: string): string | undefined {
  if (!raw.trim()) return 'Enter the URL that should receive the events.';
  if (raw.length > 2000) return 'Keep the URL under 2,000 characters.';
  if (!URL.canParse(raw)) return 'Enter a full URL, like https://example.com/hooks/casanova.';
  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'The URL must start with https:// (or http://).';
  if (url.username || url.password) return 'Put no user name or password in the URL: every delivery is signed instead.';
  return undefined;
}

/** Why this endpoint's host may not be called; undefined when it may. */
export function webhookHostRefusal(raw: string, opts: { allowPrivate: boolean; resolve?: Resolver }): Promise<string | undefined> {
  return privateHostRefusal(raw, { ...opts, rule: 'webhooks go only to public addresses (set WEBHOOKS_ALLOW_PRIVATE=on to allow them)' });
}
