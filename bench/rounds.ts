// Repeated measurement. On a shared 2-core machine one run can be 30 % off the next, so every
// figure the bench reports is the median of several rounds with its spread, and each round is
// bracketed by runs of the do-nothing route: a ratio compares a measure with the yardstick taken
// seconds before and after it, not with one baseline taken minutes earlier.

/** One run of one measure: a rate (requests or orders per second), latencies, and failures. */
export type Sample = { rate: number; p50: number; p99: number; bad: number };

export type Measure = { name: string; run: () => Promise<Sample> };

/** A measure over all rounds: medians, with the lowest and highest run beside them. */
export type Stat = {
  rate: number;
  rateMin: number;
  rateMax: number;
  /** Median over rounds of rate ÷ the do-nothing route's mean rate around that round. */
  ratio: number;
  p50: number;
  p99: number;
  p99Min: number;
  p99Max: number;
  /** Failed or non-2xx answers, summed over rounds. */
  bad: number;
  runs: number;
};

export type RoundsResult = { baseline: Stat; rows: { name: string; stat: Stat }[] };

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function stat(samples: Sample[], ratios: number[]): Stat {
  const rates = samples.map((s) => s.rate);
  const p99s = samples.map((s) => s.p99);
  return {
    rate: Math.round(median(rates)),
    rateMin: Math.min(...rates),
    rateMax: Math.max(...rates),
    ratio: median(ratios),
    p50: median(samples.map((s) => s.p50)),
    p99: median(p99s),
    p99Min: Math.min(...p99s),
    p99Max: Math.max(...p99s),
    bad: samples.reduce((a, s) => a + s.bad, 0),
    runs: samples.length,
  };
}

/** Runs `baseline`, then every measure once, `rounds` times over, and the baseline once more at the end. */
export async function inRounds(measures: Measure[], baseline: () => Promise<Sample>, rounds: number): Promise<RoundsResult> {
  const bases: Sample[] = [await baseline()];
  const runs = measures.map(() => [] as Sample[]);
  for (let r = 0; r < rounds; r++) {
    for (const [i, m] of measures.entries()) {
      runs[i]!.push(await m.run());
      console.log(`round ${r + 1}/${rounds}: ${m.name}`, runs[i]!.at(-1));
    }
    bases.push(await baseline());
  }
  const aroundRound = (r: number) => (bases[r]!.rate + bases[r + 1]!.rate) / 2;
  return {
    baseline: stat(bases, bases.map(() => 1)),
    rows: measures.map((m, i) => ({ name: m.name, stat: stat(runs[i]!, runs[i]!.map((s, r) => s.rate / aroundRound(r))) })),
  };
}

/** "21,448 (20,100–22,300)": the median with the spread of the runs. */
export const withSpread = (median: number, min: number, max: number) =>
  `${median.toLocaleString('en-US')} (${min.toLocaleString('en-US')}–${max.toLocaleString('en-US')})`;
