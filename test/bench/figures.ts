/** One measured figure, printed as one line and written to artifacts/bench.json. */
export interface Figure {
  suite: string;
  name: string;
  value: number;
  unit: string;
  /** A reference measured in the same run, so noisy machines still give a meaningful ratio. */
  reference?: { name: string; value: number; unit: string };
  /** value / reference.value, or as documented in `note`. */
  ratio?: number;
  /** Target from the issue, e.g. "<= 0.5 ms". */
  target?: string;
  note?: string;
}

/** A file test/bench/<name>.bench.ts default-exports one suite. */
export interface BenchSuite {
  name: string;
  run(): Promise<Omit<Figure, 'suite'>[]>;
}

/** Runs fn repeatedly for at least minMs (and at least minRuns times); returns per-run times in ms, sorted. */
export async function sample(fn: () => unknown, minMs = 300, minRuns = 5): Promise<number[]> {
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minRuns || performance.now() - start < minMs) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

/** The q-quantile (0..1) of sorted numbers. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[index] ?? Number.NaN;
}
