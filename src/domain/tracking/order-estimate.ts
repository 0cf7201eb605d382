// The tracking page's "expected to leave the warehouse by …": each order's estimate from the
// stage medians and how busy the warehouse is now (estimate.ts does the working-hours
// arithmetic), both kept briefly per process since they move slowly.
import { count, gte, inArray } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { orders } from '../../db/schema.ts';
import { medianStageDurations } from '../orders/order-queries.ts';
import { BEFORE_SHIPPING, type OrderStatus } from '../orders/order-states.ts';
import { MemoCache } from '../shared/memo-cache.ts';
import { estimateProcessingEnd, PROCESSING_STAGES, type ProcessingStage } from './estimate.ts';

const DAY_MS = 86_400_000;
/** How far back "recent orders" reach. */
const HISTORY_DAYS = 30;
/** A stage needs this many finished orders before its median is trusted over the default. */
const MIN_SAMPLES = 3;
/** A busy warehouse slows things down, but an estimate more than 3× the usual is no help. */
const MAX_QUEUE_FACTOR = 3;
/** Medians and the queue move slowly: recomputed at most this often per process. */
const STATS_TTL_MS = 5 * 60_000;

type ProcessingStats = { medians: Partial<Record<ProcessingStage, number>>; queueFactor: number };
const statsCache = new WeakMap<AppContext, { until: number; stats: Promise<ProcessingStats> }>();

/** An estimate is shown to the hour; working-hours arithmetic is costly, so each order's is kept a minute. */
const ESTIMATE_TTL_MS = 60_000;
const estimateCache = new WeakMap<AppContext, MemoCache<{ until: number; at: Date | undefined }>>();

/** When order `orderId`, in `status` since `enteredStatusAt`, should be handed to the carrier. */
export async function estimateFor(ctx: AppContext, orderId: string, status: OrderStatus, enteredStatusAt: Date): Promise<Date | undefined> {
  const now = ctx.clock.now();
  let cache = estimateCache.get(ctx);
  if (!cache) estimateCache.set(ctx, (cache = new MemoCache(5000)));
  const key = `${orderId}:${status}:${enteredStatusAt.getTime()}`;
  const hit = cache.get(key);
  if (hit && hit.until > now.getTime()) return hit.at;
  const { medians, queueFactor } = await processingStats(ctx);
  const at = estimateProcessingEnd({ hours: ctx.settings().serviceHours, now, status, enteredStatusAt, medianStageMillis: medians, queueFactor });
  cache.set(key, { until: now.getTime() + ESTIMATE_TTL_MS, at });
  return at;
}

/** Medians and queue factor, shared by every tracking view for a few minutes (a failed computation is not kept). */
function processingStats(ctx: AppContext): Promise<ProcessingStats> {
  const now = ctx.clock.now().getTime();
  const cached = statsCache.get(ctx);
  if (cached && cached.until > now) return cached.stats;
  const stats = computeProcessingStats(ctx);
  statsCache.set(ctx, { until: now + STATS_TTL_MS, stats });
  stats.catch(() => statsCache.delete(ctx));
  return stats;
}

/**
 * Working-time medians of each processing stage over the last 30 days, and how much fuller
 * the warehouse is now than usual: the orders waiting now against the average number
 * waiting over those days (Little's law: orders per day × usual time in processing).
 */
export async function computeProcessingStats(ctx: AppContext): Promise<ProcessingStats> {
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - HISTORY_DAYS * DAY_MS);
  const durations = await medianStageDurations(ctx.db, since, ctx.settings().serviceHours);
  const waitingStates = BEFORE_SHIPPING.filter((s) => s !== 'on_hold');
  const [[waiting], [placed]] = [
    await ctx.db.select({ n: count() }).from(orders).where(inArray(orders.status, [...waitingStates])),
    await ctx.db.select({ n: count() }).from(orders).where(gte(orders.createdAt, since)),
  ];

  const medians: Partial<Record<ProcessingStage, number>> = {};
  let usualWallMs = 0;
  for (const stage of PROCESSING_STAGES) {
    const d = durations[stage];
    if (!d || d.samples < MIN_SAMPLES || d.medianWorkingMs === undefined) continue;
    medians[stage] = d.medianWorkingMs;
    usualWallMs += d.medianMs;
  }
  const usualWaiting = (Number(placed?.n ?? 0) * usualWallMs) / (HISTORY_DAYS * DAY_MS);
  const factor = Number(waiting?.n ?? 0) / Math.max(1, usualWaiting);
  return { medians, queueFactor: Math.min(MAX_QUEUE_FACTOR, Math.max(1, factor)) };
}
