// A job each instance runs now and then every interval: never two runs at once (a slow run
// makes the ticks meanwhile skip), a failed run is reported and the next tick tries again,
// and stopping waits for the run in progress so shutdown does not cut it off.
export type PeriodicJob = { stop(): Promise<void> };

export function runEvery(intervalMs: number, run: () => Promise<unknown>, onError: (err: unknown) => void): PeriodicJob {
  let running: Promise<unknown> | undefined;
  const tick = () => {
    if (running) return;
    running = (async () => run())().catch(onError).finally(() => (running = undefined));
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
