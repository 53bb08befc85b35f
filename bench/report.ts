import type { BenchTable } from './dataset';
import type { ProfileSummary } from './cpu-profile';
import { describeRuns, RunRecord } from './paired';

export type ToolStatus = 'ok' | 'failed' | 'not installed' | 'skipped';

export interface ToolResult {
  id: string;
  label: string;
  status: ToolStatus;
  seconds?: number;
  peakRssBytes?: number;
  /** Why it failed or was not run: exit code, missing rows, content differences, install hint. */
  problems: string[];
  /** Stages of an end-to-end run are indented under it. */
  stageOf?: string;
  /** Every timed run, one per round (paired runs); `seconds` is their median. */
  runs?: RunRecord[];
  /** Median over the rounds of the per-round throughput ratio against the limit / pgloader. */
  vsLimit?: number;
  vsPgloader?: number;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  mysql: string;
  postgres: string;
  pgloader?: string;
  loadAverage: number[];
}

export interface BenchResult {
  format: 'converge-bench/1';
  scale: number;
  /** Rounds: each tool ran once per round, in the same order (A B A B …). */
  rounds?: number;
  startedAt: string;
  machine: Machine;
  dataset: { rows: Record<BenchTable, number>; totalRows: number; csvBytes?: number; generatedSeconds?: number };
  tools: ToolResult[];
  targets: Array<{ what: string; target: string; actual: string; met: boolean | null }>;
  profiles?: Record<string, ProfileSummary>;
}

export interface Row {
  tool: string;
  status: string;
  seconds: string;
  rowsPerSecond: string;
  mbPerSecond: string;
  peakRssMb: string;
  vsLimit: string;
  vsPgloader: string;
}

const fixed = (n: number | undefined, d: number) => (n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(d));
const ok = (t?: ToolResult) => t && t.status === 'ok' && t.seconds !== undefined;

/** The paired ratio when the runs were paired, else the ratio of the two (median) times. */
function ratioOf(t: ToolResult, base: ToolResult, which: 'vsLimit' | 'vsPgloader'): number | undefined {
  if (!ok(t) || !ok(base)) return undefined;
  return t[which] ?? base.seconds! / t.seconds!;
}

/**
 * The table rows. Throughput divides the whole dataset (rows, and MB of converge's CSV) by a
 * tool's wall time; a ratio is throughput over the other's (>1 faster). Failed tools get no time.
 */
export function tableRows(r: BenchResult): Row[] {
  const limit = r.tools.find((t) => t.id === 'limit');
  const pgl = r.tools.find((t) => t.id === 'pgloader');
  return r.tools.map((t) => {
    const good = ok(t);
    const s = good ? t.seconds! : undefined;
    return {
      tool: t.stageOf ? `  ${t.label}` : t.label,
      status: t.status === 'ok' ? 'ok' : t.status.toUpperCase(),
      seconds: fixed(s, 1),
      rowsPerSecond: s ? Math.round(r.dataset.totalRows / s).toLocaleString('en-US') : '–',
      mbPerSecond: s && r.dataset.csvBytes ? fixed(r.dataset.csvBytes / 1e6 / s, 1) : '–',
      peakRssMb: t.peakRssBytes ? String(Math.round(t.peakRssBytes / 2 ** 20)) : '–',
      vsLimit:
        t.id === 'limit' ? (good ? '1.00' : '–') : s && ok(limit) ? fixed(ratioOf(t, limit!, 'vsLimit'), 2) : '–',
      vsPgloader:
        t.id === 'pgloader' ? (good ? '1.00' : '–') : s && ok(pgl) ? fixed(ratioOf(t, pgl!, 'vsPgloader'), 2) : '–',
    };
  });
}

export const HEADERS = ['tool', 'status', 'wall s', 'rows/s', 'MB/s', 'peak RSS MB', 'vs limit', 'vs pgloader'];
export const cells = (x: Row) => [
  x.tool,
  x.status,
  x.seconds,
  x.rowsPerSecond,
  x.mbPerSecond,
  x.peakRssMb,
  x.vsLimit,
  x.vsPgloader,
];

/** The issue's targets (issue 20): what each converge path must reach, judged on paired ratios. */
export const TARGETS = {
  converge: { label: 'converge staged end to end', vsLimit: 0.6 },
  'converge-fused': { label: 'converge migrate', vsLimit: 1.0, vsPgloader: 2.5 },
} as const;
export const RSS_TARGET_MB = 256;

/** Targets for each converge path present; `met` is null when the comparison could not be made. */
export function judgeTargets(r: Omit<BenchResult, 'targets'>): BenchResult['targets'] {
  const limit = r.tools.find((t) => t.id === 'limit');
  const pgl = r.tools.find((t) => t.id === 'pgloader');
  const out: BenchResult['targets'] = [];
  for (const [id, goal] of Object.entries(TARGETS)) {
    const t = r.tools.find((x) => x.id === id);
    if (!t) continue;
    const vsLimit = limit ? ratioOf(t, limit, 'vsLimit') : undefined;
    out.push({
      what: `${goal.label} / physical limit (throughput, median of paired runs)`,
      target: `≥ ${goal.vsLimit.toFixed(2)}`,
      actual: fixed(vsLimit, 2),
      met: vsLimit === undefined ? null : vsLimit >= goal.vsLimit,
    });
    if ('vsPgloader' in goal) {
      const vsPgl = pgl ? ratioOf(t, pgl, 'vsPgloader') : undefined;
      out.push({
        what: `${goal.label} / pgloader (throughput, median of paired runs)`,
        target: `≥ ${goal.vsPgloader.toFixed(2)}`,
        actual: fixed(vsPgl, 2),
        met: vsPgl === undefined ? null : vsPgl >= goal.vsPgloader,
      });
    }
    // Staged: the largest stage's process (they run one after another).
    const rss = t.peakRssBytes;
    out.push({
      what: `${goal.label} peak RSS${id === 'converge' ? ' (largest stage)' : ''}`,
      target: `≤ ${RSS_TARGET_MB} MB`,
      actual: rss ? `${Math.round(rss / 2 ** 20)} MB` : '–',
      met: rss === undefined ? null : rss <= RSS_TARGET_MB * 2 ** 20,
    });
  }
  return out;
}

/** A tool's problems; a yardstick still timed on its other rounds says which round failed and why. */
export function problemLine(t: ToolResult): string {
  return `${t.label}: ${t.status === 'ok' ? 'timed on its other rounds' : t.status}: ${t.problems.join('; ')}`;
}

export function machineLine(m: Machine): string {
  return `${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB RAM, ${m.os}; Node ${m.node}; ${m.mysql}; ${m.postgres}; ${m.pgloader ?? 'pgloader not installed'}; load average at start ${m.loadAverage.map((x) => x.toFixed(2)).join(' / ')}`;
}

/** The section of docs/benchmarks.md for one scale, between markers so a later run replaces it. */
export function markdownSection(r: BenchResult): string {
  const rows = tableRows(r);
  const md = (c: string[]) => `| ${c.map((x) => x.replace(/\|/g, '\\|')).join(' | ')} |`;
  const gib = r.dataset.csvBytes ? ` (${(r.dataset.csvBytes / 1e9).toFixed(2)} GB of CSV)` : '';
  const lines = [
    sectionStart(r.scale),
    `### Scale ${r.scale}: ${r.dataset.totalRows.toLocaleString('en-US')} rows${gib}`,
    '',
    `Run ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC. Machine: ${machineLine(r.machine)}.`,
    `Rows: ${Object.entries(r.dataset.rows)
      .map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`)
      .join(', ')}.`,
    ...(r.rounds && r.rounds > 1
      ? [
          '',
          `Paired runs: ${r.rounds} rounds, every tool once per round in the order of the table; wall s is the median of a tool's runs, peak RSS the largest, and each ratio the median of the per-round ratios.`,
        ]
      : []),
    '',
    md(HEADERS),
    md(HEADERS.map((h, i) => (i < 2 ? '---' : '---:'))),
    ...rows.map((x) => md(cells(x).map((c) => c.replace(/^ {2}/, '↳ ')))),
    '',
    ...r.targets.map(
      (t) =>
        `- ${t.what}: ${t.actual} (target ${t.target}) — ${t.met === null ? 'not measured' : t.met ? 'met' : 'NOT met'}`,
    ),
  ];
  const timed = r.tools.filter((t) => !t.stageOf && t.runs && t.runs.length > 1);
  if (timed.length)
    lines.push(
      '',
      'Each run (seconds, 1-minute load average at its start):',
      '',
      ...timed.map((t) => `- ${t.label}: ${describeRuns(t.runs!)}`),
    );
  const problems = r.tools.filter((t) => t.problems.length);
  if (problems.length) lines.push('', ...problems.map((t) => `- ${problemLine(t)}`));
  if (r.profiles && Object.keys(r.profiles).length) {
    lines.push('', `CPU profile of each converge stage (self time, top functions; a separate profiled run):`, '');
    for (const [stage, p] of Object.entries(r.profiles)) {
      lines.push(
        `- **${stage}** (${(p.totalMs / 1000).toFixed(1)} s of samples): ${p.functions
          .slice(0, 6)
          .map((f) => `${f.name} ${f.selfPercent}%`)
          .join(', ')}`,
      );
    }
  }
  lines.push(sectionEnd(r.scale));
  return lines.join('\n');
}

export const sectionStart = (scale: number) => `<!-- bench-results scale=${scale} -->`;
export const sectionEnd = (scale: number) => `<!-- /bench-results scale=${scale} -->`;
export const RESULTS_END = '<!-- bench-results end -->';

/** Replaces this scale's section in the document, or adds it before the end marker (or at the end). */
export function updateDocument(doc: string, r: BenchResult): string {
  const section = markdownSection(r);
  const start = doc.indexOf(sectionStart(r.scale));
  const end = doc.indexOf(sectionEnd(r.scale));
  if (start >= 0 && end > start) return doc.slice(0, start) + section + doc.slice(end + sectionEnd(r.scale).length);
  const at = doc.indexOf(RESULTS_END);
  if (at >= 0) return doc.slice(0, at) + section + '\n\n' + doc.slice(at);
  return doc.trimEnd() + '\n\n' + section + '\n';
}
