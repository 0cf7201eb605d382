// When will an order in the warehouse be handed to the carrier? Estimated from how long
// each processing stage usually takes in *working* time, placed on the service-hours
// calendar, so nights, weekends and holidays are skipped. Pure: no I/O, no clock.
import { addServiceMillis, serviceMillisBetween, type ServiceHours } from '../support/service-hours.ts';

/** Processing stages before handover, in order. */
export const PROCESSING_STAGES = ['paid', 'verified', 'preparing', 'packed'] as const;
export type ProcessingStage = (typeof PROCESSING_STAGES)[number];

const MINUTE_MS = 60_000;
/** Used when a stage has no (usable) median yet: 2 working hours. */
export const DEFAULT_STAGE_MILLIS = 120 * MINUTE_MS;
/** The current stage always gets at least this much working time left: 15 working minutes. */
export const MIN_REMAINING_MILLIS = 15 * MINUTE_MS;

export type EstimateInput = {
  hours: ServiceHours;
  now: Date;
  /** Order status; anything outside PROCESSING_STAGES (shipped, delivered, cancelled, on_hold…) has no estimate. */
  status: string;
  /** When the order entered `status`. */
  enteredStatusAt: Date;
  /** Median working time per stage, in ms. */
  medianStageMillis: Partial<Record<ProcessingStage, number>>;
  /** Current volume vs usual; values below 1 (or not finite) count as 1. */
  queueFactor?: number;
};

// Narrows an arbitrary status to a processing stage.
function isProcessingStage(status: string): status is ProcessingStage {
  return (PROCESSING_STAGES as readonly string[]).includes(status);
}

// The stage's median, or the default when it is missing, negative or not a number.
function medianOf(medians: EstimateInput['medianStageMillis'], stage: ProcessingStage): number {
  const m = medians[stage];
  return typeof m === 'number' && Number.isFinite(m) && m >= 0 ? m : DEFAULT_STAGE_MILLIS;
}

/**
 * Estimated handover moment: working time left in the current stage (median minus working
 * time already spent, at least 15 minutes) plus the medians of the later stages, times the
 * queue factor, added to `now` in working hours. Undefined when the order is not in processing.
 */
export function estimateProcessingEnd(input: EstimateInput): Date | undefined {
  const { hours, now, status, enteredStatusAt, medianStageMillis, queueFactor = 1 } = input;
  if (!isProcessingStage(status)) return undefined;
  const factor = Number.isFinite(queueFactor) && queueFactor > 1 ? queueFactor : 1;
  const index = PROCESSING_STAGES.indexOf(status);
  const spent = serviceMillisBetween(hours, enteredStatusAt, now);
  let total = Math.max(MIN_REMAINING_MILLIS, medianOf(medianStageMillis, status) - spent);
  for (const stage of PROCESSING_STAGES.slice(index + 1)) total += medianOf(medianStageMillis, stage);
  return addServiceMillis(hours, now, total * factor);
}
