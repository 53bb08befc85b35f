import type { BenchTable } from './dataset';
import type { ProfileSummary } from './cpu-profile';

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
        s && ok(limit) && t.id !== 'limit' ? fixed(limit!.seconds! / s, 2) : t.id === 'limit' && good ? '1.00' : '–',
      vsPgloader:
        s && ok(pgl) && t.id !== 'pgloader' ? fixed(pgl!.seconds! / s, 2) : t.id === 'pgloader' && good ? '1.00' : '–',
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

/** The issue's targets for converge end to end; `met` is null when the comparison could not be made. */
export function judgeTargets(r: Omit<BenchResult, 'targets'>): BenchResult['targets'] {
  const e2e = r.tools.find((t) => t.id === 'converge');
  const limit = r.tools.find((t) => t.id === 'limit');
  const pgl = r.tools.find((t) => t.id === 'pgloader');
  const vsLimit = ok(e2e) && ok(limit) ? limit!.seconds! / e2e!.seconds! : undefined;
  const vsPgl = ok(e2e) && ok(pgl) ? pgl!.seconds! / e2e!.seconds! : undefined;
  const rss = e2e?.peakRssBytes;
  return [
    {
      what: 'converge end to end / physical limit (throughput)',
      target: '≥ 0.80',
      actual: fixed(vsLimit, 2),
      met: vsLimit === undefined ? null : vsLimit >= 0.8,
    },
    {
      what: 'converge end to end / pgloader (throughput)',
      target: '≥ 2.50',
      actual: fixed(vsPgl, 2),
      met: vsPgl === undefined ? null : vsPgl >= 2.5,
    },
    {
      what: 'converge peak RSS (largest stage)',
      target: '< 256 MB',
      actual: rss ? `${Math.round(rss / 2 ** 20)} MB` : '–',
      met: rss === undefined ? null : rss < 256 * 2 ** 20,
    },
  ];
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
  const problems = r.tools.filter((t) => t.problems.length);
  if (problems.length) lines.push('', ...problems.map((t) => `- ${t.label}: ${t.status}: ${t.problems.join('; ')}`));
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
