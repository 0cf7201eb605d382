// Time comes from a clock that tests can set.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock for tests: starts at `start` and moves only when told. */
export function fixedClock(start: Date | string) {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set: (d: Date | string) => void (t = new Date(d).getTime()),
    advance: (ms: number) => void (t += ms),
  };
}
