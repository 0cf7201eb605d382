// What lets a repeated successful lookup skip the database. Customers refresh, and follow
// their parcel for days: the same order number and contact come back again and again. Two
// things decide such a lookup, and each instance keeps both:
//  - the order's contact, which the cached tracking view already holds (dropped on every
//    change to the order), found from the order number (which never changes);
//  - which addresses and order numbers reached their limit of failures. The instance that
//    counts the failure that reaches a limit announces it (NOTIFY, delivered at commit), so
//    every instance refuses that client's lookups, right ones included, until the window ends.
// Everything that can fail still goes to the database: a wrong contact and an unknown number
// read and count exactly as before, so the answer and its cost reveal nothing. After a lost
// notification connection the shortcut is off until the limits reached are read again.
import { and, gt, gte, like, or, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { ANY_CHANGE } from '../../db/client.ts';
import { rateLimits } from '../../db/schema.ts';
import { MemoCache } from '../shared/memo-cache.ts';

const CHANNEL = 'casanova_lookup_blocked';

type Limits = Record<'ip' | 'order', { prefix: string; limit: number }>;

export type LookupShortcut = {
  /** Seconds until the later of the keys' windows ends, when either reached its limit; 0 when neither did. */
  blockedFor(keys: string[], now: Date): number;
  /** The id of the order with this number, when a lookup found it before. */
  orderId(number: string): string | undefined;
  rememberOrder(number: string, id: string): void;
};

type Opened = { shortcut: LookupShortcut; current: () => boolean; blocked: Map<string, number> };
const shortcuts = new WeakMap<AppContext, Promise<Opened>>();

/** This instance's shortcut, or undefined while it may have missed an announcement (then every lookup reads the database). */
export async function lookupShortcut(ctx: AppContext, limits: Limits): Promise<LookupShortcut | undefined> {
  let opened = shortcuts.get(ctx);
  if (!opened) shortcuts.set(ctx, (opened = open(ctx, limits)));
  const found = await opened.catch(() => {
    shortcuts.delete(ctx); // try again on the next lookup
    return undefined;
  });
  return found?.current() ? found.shortcut : undefined;
}

/** `key` reached its limit until `resetAt`: refused here at once, and on every other instance when the NOTIFY arrives. */
export async function announceBlocked(ctx: AppContext, key: string, resetAt: Date): Promise<void> {
  (await shortcuts.get(ctx)?.catch(() => undefined))?.blocked.set(key, resetAt.getTime());
  await ctx.db.execute(sql`select pg_notify(${CHANNEL}, ${`${key}\n${resetAt.toISOString()}`})`);
}

async function open(ctx: AppContext, limits: Limits) {
  const blocked = new Map<string, number>(); // key → when its window ends (ms)
  const orderIds = new MemoCache<string>(20_000);
  let reading: Promise<void> | undefined;
  // The limits reached so far, read after LISTEN so that none reached in between is missed.
  const readBlocked = () =>
    (reading = (async () => {
      const now = ctx.clock.now();
      const reached = (l: Limits['ip']) => and(like(rateLimits.key, `${l.prefix}%`), gte(rateLimits.count, l.limit));
      const rows = await ctx.db
        .select({ key: rateLimits.key, resetAt: rateLimits.resetAt })
        .from(rateLimits)
        .where(and(gt(rateLimits.resetAt, now), or(reached(limits.ip), reached(limits.order))));
      blocked.clear();
      for (const r of rows) blocked.set(r.key, r.resetAt.getTime());
      reading = undefined;
    })());
  const stale = () => {
    readBlocked().catch(() => setTimeout(stale, 1000).unref());
  };
  await ctx.database.listen(CHANNEL, (payload) => {
    if (payload === ANY_CHANGE) return stale();
    const [key, resetAt] = payload.split('\n');
    if (!key || !resetAt) return;
    // Windows last minutes: forget the ended ones before the map grows large.
    if (blocked.size > 10_000) for (const [k, until] of blocked) if (until <= ctx.clock.now().getTime()) blocked.delete(k);
    blocked.set(key, Date.parse(resetAt));
  });
  await readBlocked();

  const shortcut: LookupShortcut = {
    blockedFor(keys, now) {
      let until = 0;
      for (const key of keys) until = Math.max(until, blocked.get(key) ?? 0);
      return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
    },
    orderId: (number) => orderIds.get(number),
    rememberOrder: (number, id) => void orderIds.set(number, id),
  };
  return { shortcut, current: () => reading === undefined, blocked };
}
