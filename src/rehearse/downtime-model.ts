/**
 * The write-downtime model of a rehearsal: pure arithmetic on measured runs, no I/O.
 *
 * Each frozen stage of the cut-over (migrate's load, its verification) is modelled as
 *   seconds = fixed + perRow × rows
 * where `fixed` is what does not grow with the data (connections, snapshot, catalog reads, one
 * transaction and one COPY per table, the proof's per-table queries) and `perRow` what does.
 * A linear extrapolation of the total (no fixed part) is wrong by the fixed part times the
 * scale factor: a 1 MB rehearsal whose 3 s are mostly fixed costs "predicts" hours for 10 GB.
 *
 * Two ways to split the two, used together:
 * - the tables: tables of different sizes, in one run and across samples of different sizes
 *   (a fraction and the full rehearsal, earlier rehearsals of the same pipeline and flags), give
 *   a per-row rate (a line through each table's (rows, seconds)), scaled to the stage's wall
 *   time when tables ran at once (--jobs); the rest of the stage is fixed;
 * - the totals of samples of different sizes: a least-squares line through (rows, seconds).
 * The prediction is the best of them; the range spans every estimate, widened by the run-to-run
 * noise; warnings say when the sample is too small to predict from. A first run in a fresh
 * process (the cut-over's) pays more than the next ones (code compiled on first use, cold
 * caches): with samples measured after a warm-up run, what the warm-up paid beyond the line is
 * added back as a cold-start cost.
 */

export const MODEL_STAGES = ['load', 'verify'] as const;
export type ModelStage = (typeof MODEL_STAGES)[number];

/** One measured run of the cut-over composition. */
export interface MeasuredSample {
  rows: number;
  bytes: number;
  /** Wall seconds of each frozen stage. */
  seconds: Record<ModelStage, number>;
  /** Each table's rows and seconds per stage (its own transaction / its own proof). */
  tables: Array<{ rows: number; seconds: Record<ModelStage, number> }>;
}

export interface StageLine {
  fixedSeconds: number;
  secondsPerRow: number;
}

export type EstimateMethod = 'sizes' | 'tables';

export interface StageEstimate extends StageLine {
  method: EstimateMethod;
  /** What the line was fitted on, for the report. */
  basis: string;
}

export interface StageForecast {
  stage: ModelStage;
  /** fixed + perRow × rows + coldStartSeconds */
  seconds: number;
  /** What a first run in a fresh process costs on top of a warm one (from the warm-up run). */
  coldStartSeconds: number;
  low: number;
  high: number;
  fixedSeconds: number;
  secondsPerRow: number;
  method: EstimateMethod;
  estimates: Array<StageEstimate & { seconds: number }>;
}

export interface DowntimeForecast {
  /** The size predicted for, in rows, and how it was given. */
  rows: number;
  given: { rows?: number; bytes?: number };
  /** Rows predicted for over the largest measured sample's rows. */
  scaleFactor: number;
  stages: StageForecast[];
  /** Write downtime (every frozen stage) and its range. */
  seconds: number;
  low: number;
  high: number;
  /** The share of the largest sample's frozen time that grows with the data (0..1). */
  variableShare: number;
  /** Too small (or too noisy) to predict from: the warnings say why. */
  tooSmall: boolean;
  warnings: string[];
  /** The samples the model used: this rehearsal's, then earlier rehearsals'. */
  samples: Array<{ rows: number; bytes: number; seconds: number; from: 'this rehearsal' | 'earlier rehearsal' }>;
}

/** Below this share of the frozen time growing with the data, the per-row rate is mostly noise. */
export const MIN_VARIABLE_SHARE = 0.3;
/** Beyond this many times the largest sample, a prediction extrapolates too far to be trusted. */
export const MAX_SCALE_FACTOR = 20;
/** Two sample sizes at least this far apart make a line; closer ones only measure noise. */
export const MIN_SIZE_SPREAD = 2;
/** Run-to-run noise of a rehearsal's timings when nothing better is measured (±). */
export const DEFAULT_NOISE = 0.1;

/** Least squares through (x, y); undefined when the x do not spread. Slope kept >= 0. */
export function fitLine(points: Array<{ x: number; y: number }>): (StageLine & { residual: number }) | undefined {
  const n = points.length;
  if (n < 2) return undefined;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  if (!(sxx > 0)) return undefined;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  // A larger size cannot take less time: a negative slope is noise, so the data say "all fixed".
  const slope = Math.max(0, sxy / sxx);
  const fixed = Math.max(0, my - slope * mx);
  const residual = Math.sqrt(points.reduce((s, p) => s + (p.y - fixed - slope * p.x) ** 2, 0) / n);
  return { fixedSeconds: fixed, secondsPerRow: slope, residual };
}

/**
 * Samples split by their tables: a line through every table's (rows, seconds), across all the
 * samples, gives the per-row rate; the tables' seconds add up to more than the stage's wall time
 * when they ran at once, so the rate is divided by that overlap. The rest of each stage's time
 * does not depend on the size: its mean over the samples is the fixed part, so the noise of that
 * part (connections, catalog reads on a busy server) does not pass for a rate.
 */
export function splitByTables(samples: MeasuredSample[], stage: ModelStage): StageEstimate | undefined {
  const used = samples.filter((s) => s.rows > 0);
  const line = fitLine(used.flatMap((s) => s.tables.map((t) => ({ x: t.rows, y: t.seconds[stage] }))));
  if (!line || !used.length) return undefined;
  const overlap = (s: MeasuredSample) =>
    Math.max(1, s.tables.reduce((n, t) => n + t.seconds[stage], 0) / Math.max(s.seconds[stage], 1e-9));
  const variable = (s: MeasuredSample) => Math.min(s.seconds[stage], (line.secondsPerRow * s.rows) / overlap(s));
  const largest = used.reduce((a, b) => (b.rows > a.rows ? b : a));
  const fixed = used.reduce((n, s) => n + s.seconds[stage] - variable(s), 0) / used.length;
  return {
    fixedSeconds: fixed,
    secondsPerRow: variable(largest) / largest.rows,
    method: 'tables',
    basis:
      used.length > 1
        ? `${largest.tables.length} tables × ${used.length} samples from ${Math.min(...used.map((s) => s.rows))} to ${largest.rows} rows`
        : `${largest.tables.length} tables of one sample of ${largest.rows} rows`,
  };
}

/** Rows for a production size given in bytes, at the largest sample's bytes per row. */
export function rowsForBytes(bytes: number, sample: { rows: number; bytes: number }): number {
  return sample.bytes > 0 ? (bytes * sample.rows) / sample.bytes : 0;
}

/**
 * The write downtime at a production size (rows, or bytes converted at the bytes per row of this
 * rehearsal's largest sample) from this rehearsal's samples and earlier rehearsals of the same
 * composition.
 */
export function forecastDowntime(
  samples: MeasuredSample[],
  size: { rows?: number; bytes?: number },
  earlier: MeasuredSample[] = [],
  warmUp?: MeasuredSample,
  /** The servers' own caches (MySQL buffer pool, Postgres shared_buffers), in bytes. */
  caches?: { source: number; target: number },
): DowntimeForecast {
  const all = [...samples, ...earlier].filter((s) => s.rows > 0);
  if (!all.length) throw new RangeError('no measured sample with rows to predict from');
  const largest = all.reduce((a, b) => (b.rows > a.rows ? b : a));
  // Bytes per row of this rehearsal's data: earlier rehearsals may have had other rows.
  const current = samples.filter((s) => s.rows > 0);
  const shape = current.length ? current.reduce((a, b) => (b.rows > a.rows ? b : a)) : largest;
  const rows = size.rows ?? rowsForBytes(size.bytes ?? 0, shape);
  if (!(rows > 0)) throw new RangeError('the production size must be more than 0 rows or bytes');
  const minRows = Math.min(...all.map((s) => s.rows));
  const spread = largest.rows / minRows;
  const warnings: string[] = [];
  // Same-size repeats measure the noise itself; otherwise assume the default.
  const noise = repeatNoise(all) ?? DEFAULT_NOISE;

  const stages = MODEL_STAGES.map((stage): StageForecast => {
    const estimates: StageEstimate[] = [];
    // Preferred: the tables of every sample (most points; the fixed part averaged), then the totals.
    const byTables = splitByTables(spread >= MIN_SIZE_SPREAD ? all : [largest], stage);
    if (byTables) estimates.push(byTables);
    if (spread >= MIN_SIZE_SPREAD) {
      const line = fitLine(all.map((s) => ({ x: s.rows, y: s.seconds[stage] })));
      if (line)
        estimates.push({
          ...line,
          method: 'sizes',
          basis: `totals of ${all.length} samples from ${minRows} to ${largest.rows} rows`,
        });
    }
    if (!estimates.length)
      // One table and one size: nothing separates fixed from per-row; all of it grows.
      estimates.push({
        fixedSeconds: 0,
        secondsPerRow: largest.seconds[stage] / largest.rows,
        method: 'tables',
        basis: `proportional to one sample of ${largest.rows} rows`,
      });
    const best = estimates[0];
    // The cut-over is a first run in a fresh process: what the warm-up paid beyond the line is its too.
    const coldStartSeconds = warmUp
      ? Math.max(0, warmUp.seconds[stage] - (best.fixedSeconds + best.secondsPerRow * warmUp.rows))
      : 0;
    const at = (e: StageLine) => e.fixedSeconds + e.secondsPerRow * rows + coldStartSeconds;
    const values = estimates.map(at);
    return {
      stage,
      seconds: at(best),
      coldStartSeconds,
      low: Math.min(...values) * (1 - noise),
      high: Math.max(...values) * (1 + noise),
      fixedSeconds: best.fixedSeconds,
      secondsPerRow: best.secondsPerRow,
      method: best.method,
      estimates: estimates.map((e) => ({ ...e, seconds: at(e) })),
    };
  });

  const measured = MODEL_STAGES.reduce((n, s) => n + largest.seconds[s], 0);
  const variable = stages.reduce((n, s) => n + s.secondsPerRow * largest.rows, 0);
  const variableShare = measured > 0 ? Math.min(1, variable / measured) : 0;
  const scaleFactor = rows / largest.rows;
  if (variableShare < MIN_VARIABLE_SHARE)
    warnings.push(
      `the sample is too small to predict from: only ${(variableShare * 100).toFixed(0)} % of its ${measured.toFixed(1)} s grows with the data (the rest is fixed cost), so the per-row rate is measured on little more than noise; rehearse on a larger copy`,
    );
  if (scaleFactor > MAX_SCALE_FACTOR)
    warnings.push(
      `the prediction extrapolates ${scaleFactor.toFixed(0)}× beyond the largest sample (${largest.rows} rows); rehearse on at least 1/${MAX_SCALE_FACTOR} of the production size`,
    );
  if (spread < MIN_SIZE_SPREAD)
    warnings.push(
      'measured at one size only: fixed and per-row costs are split by the tables of one run (a pipeline with a seeder measures two sizes with --seed)',
    );
  const productionBytes = size.bytes ?? rows * (shape.bytes / shape.rows);
  const cache = caches ? Math.min(caches.source, caches.target) : undefined;
  if (cache !== undefined && shape.bytes <= cache && productionBytes > cache)
    warnings.push(
      `the sample (${mb(shape.bytes)}) fits in the servers' caches (MySQL buffer pool ${mb(caches!.source)}, Postgres shared_buffers ${mb(caches!.target)}) and the production size (${mb(productionBytes)}) does not: reads from disk make each row cost more than measured, so read the prediction as a lower bound; rehearse on a copy larger than the caches`,
    );
  const low = stages.reduce((n, s) => n + s.low, 0);
  const high = stages.reduce((n, s) => n + s.high, 0);
  return {
    rows,
    given: size,
    scaleFactor,
    stages,
    seconds: stages.reduce((n, s) => n + s.seconds, 0),
    low,
    high,
    variableShare,
    tooSmall: variableShare < MIN_VARIABLE_SHARE || scaleFactor > MAX_SCALE_FACTOR,
    warnings,
    samples: [
      ...samples.map((s) => summarize(s, 'this rehearsal' as const)),
      ...earlier.map((s) => summarize(s, 'earlier rehearsal' as const)),
    ],
  };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const frozen = (s: MeasuredSample) => MODEL_STAGES.reduce((n, st) => n + s.seconds[st], 0);
const summarize = (s: MeasuredSample, from: 'this rehearsal' | 'earlier rehearsal') => ({
  rows: s.rows,
  bytes: s.bytes,
  seconds: frozen(s),
  from,
});

/**
 * The relative spread of runs at the same size (the largest relative deviation from their
 * mean), when at least two runs share a size; undefined otherwise.
 */
export function repeatNoise(samples: MeasuredSample[]): number | undefined {
  const bySize = new Map<number, number[]>();
  for (const s of samples) bySize.set(s.rows, [...(bySize.get(s.rows) ?? []), frozen(s)]);
  let worst: number | undefined;
  for (const times of bySize.values()) {
    if (times.length < 2) continue;
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    if (!(mean > 0)) continue;
    const dev = Math.max(...times.map((t) => Math.abs(t - mean) / mean));
    worst = Math.max(worst ?? 0, dev);
  }
  return worst === undefined ? undefined : Math.max(DEFAULT_NOISE, worst);
}
