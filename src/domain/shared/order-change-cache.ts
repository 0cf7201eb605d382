// Per-instance copies of what is read from orders, dropped when an order changes. A trigger
// announces every change to an order or anything under it, at commit, on every instance
// (change-bus.ts); a lost notification connection drops everything (ANY_CHANGE).
import type { AppContext } from '../../context.ts';
import { ANY_CHANGE } from '../../db/client.ts';
import { onOrderChange } from './change-bus.ts';
import { MemoCache } from './memo-cache.ts';

export type OrderChangeCache<V> = {
  /** This instance's cache, once it hears about changes: nothing is cached before. */
  ready(ctx: AppContext): Promise<MemoCache<V>>;
  /** This instance's cache if it has one (to forget entries at once after its own writes). */
  peek(ctx: AppContext): MemoCache<V> | undefined;
};

/**
 * `keyedByOrder`: entries are keyed by order id and a change forgets that order's entry;
 * otherwise any change to any order forgets everything (for lists that may show any order).
 */
export function orderChangeCache<V>(maxEntries: number, keyedByOrder: boolean): OrderChangeCache<V> {
  const entries = new WeakMap<AppContext, { cache: MemoCache<V>; listening: Promise<void> }>();
  return {
    async ready(ctx) {
      let entry = entries.get(ctx);
      if (!entry) {
        const cache = new MemoCache<V>(maxEntries);
        const forget = (id: string) => (id === ANY_CHANGE || !keyedByOrder ? cache.clear() : cache.delete(id));
        entry = { cache, listening: onOrderChange(ctx.database, forget) };
        entries.set(ctx, entry);
      }
      await entry.listening;
      return entry.cache;
    },
    peek: (ctx) => entries.get(ctx)?.cache,
  };
}
