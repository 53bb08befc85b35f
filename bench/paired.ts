import type { ToolResult } from './report';

/**
 * Paired runs: every tool runs once per round (A B A B …), so a tool and the yardstick it is
 * compared with ran minutes apart under about the same load. A ratio is taken inside each round
 * and the median of those is reported: a burst of load from another job skews one pair, not the
 * figure.
 */

/** One timed run of a tool in one round. */
export interface RunRecord {
  round: number;
  /** Undefined when the run failed (exit code, rows or content): a failed run has no time. */
  seconds?: number;
  peakRssBytes?: number;
  /** The 1-minute load average when the run started. */
  loadAverage: number;
  problems: string[];
}

/** The median (mean of the middle two for an even count), undefined for no values. */
export function median(xs: number[]): number | undefined {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return undefined;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Throughput of `tool` over `base` round by round (base seconds / tool seconds: above 1 the
 * tool is faster), for rounds where both ran successfully; the median of those ratios.
 */
export function pairedRatio(tool: RunRecord[], base: RunRecord[]): { ratio?: number; ratios: number[] } {
  const baseByRound = new Map(base.filter((r) => r.seconds).map((r) => [r.round, r.seconds!]));
  const ratios: number[] = [];
  for (const r of tool) {
    const b = baseByRound.get(r.round);
    if (r.seconds && b) ratios.push(b / r.seconds);
  }
  return { ratio: median(ratios), ratios };
}

/**
 * A tool over its rounds: median seconds of the good runs, the largest peak RSS, every problem
 * once (named by its round). `failed` when no run was good, or, with `strict` (converge's own
 * paths: a wrong load is never noise), when any run failed.
 */
export function summarizeRuns(
  runs: RunRecord[],
  strict = true,
): {
  failed: boolean;
  seconds?: number;
  peakRssBytes?: number;
  problems: string[];
} {
  const problems = [...new Set(runs.flatMap((r) => r.problems.map((p) => `round ${r.round}: ${p}`)))];
  const good = runs.filter((r) => r.seconds !== undefined && !r.problems.length).map((r) => r.seconds!);
  const failed = !good.length || (strict && problems.length > 0);
  const rss = runs.map((r) => r.peakRssBytes ?? 0);
  return {
    failed,
    seconds: failed ? undefined : median(good),
    peakRssBytes: Math.max(0, ...rss) || undefined,
    problems,
  };
}

/** "13.1 s (load 1.9), 12.8 s (load 2.3)": each run of a tool with the load it started under. */
export function describeRuns(runs: RunRecord[]): string {
  return runs
    .map(
      (r) => `${r.seconds === undefined ? 'failed' : `${r.seconds.toFixed(1)} s`} (load ${r.loadAverage.toFixed(1)})`,
    )
    .join(', ');
}

/** Each tool over its rounds, with its ratios paired round by round against the limit and pgloader (good rounds only). */
export function toolResults(runs: Map<string, { label: string; stageOf?: string; runs: RunRecord[] }>): ToolResult[] {
  const limit = runs.get('limit')?.runs ?? [];
  const pgl = runs.get('pgloader')?.runs ?? [];
  return [...runs].map(([id, x]) => {
    // A yardstick (the limit, pgloader) that failed a round is compared on the rounds it did not.
    const sum = summarizeRuns(x.runs, id.startsWith('converge'));
    return {
      id,
      label: x.label,
      status: sum.failed ? 'failed' : 'ok',
      seconds: sum.seconds,
      peakRssBytes: sum.peakRssBytes,
      problems: sum.problems,
      stageOf: x.stageOf,
      runs: x.runs,
      vsLimit: id === 'limit' ? undefined : pairedRatio(x.runs, limit).ratio,
      vsPgloader: id === 'pgloader' ? undefined : pairedRatio(x.runs, pgl).ratio,
    };
  });
}
