import type { PipelineRehearsal } from '../rehearse/run-rehearsal';
import { formatDuration } from '../rehearse/predict-downtime';
import { CUTOVER_STAGES, RehearsalResult } from '../rehearse/rehearsal-result';
import { Delta, tableSeconds } from '../rehearse/compare-rehearsals';
import { formatBytes } from '../run/run-summary';
import type { ChartSpec } from './charts';

/** The report as a list of blocks, rendered once as Markdown and once as HTML. */
export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'note'; text: string }
  | { kind: 'table'; headers: string[]; rows: string[][] }
  | { kind: 'chart'; index: number };

export interface RehearsalReport {
  createdAt: string;
  productionBytes?: number;
  pipelines: PipelineRehearsal[];
}

const s2 = (n: number) => n.toFixed(2);
const mbps = (n: number) => (n / 1e6).toFixed(2);
const signed = (d: Delta, f: (n: number) => string) =>
  `${d.change >= 0 ? '+' : ''}${f(d.change)}${d.percent === null ? '' : ` (${d.percent >= 0 ? '+' : ''}${d.percent.toFixed(0)} %)`}`;
const cutover = (r: { phases: Array<{ phase: string; seconds: number }> }) =>
  r.phases.filter((p) => (CUTOVER_STAGES as readonly string[]).includes(p.phase)).reduce((n, p) => n + p.seconds, 0);

/** How the runbook's cut-over command reads for this rehearsal's flags. */
export const cutoverCommand = (r: RehearsalResult): string =>
  `converge migrate --pipeline ${r.pipeline} --jobs ${r.cutover.jobs}${r.cutover.keepFiles ? ' --keep-files' : ''}`;

export const PREDICTION_NOTE =
  'Predicted by linear extrapolation: each stage of converge migrate (load, verify) has its measured throughput (source data bytes per second) applied to the production size (the MySQL data size). It assumes the same servers, parallelism and row shapes as this rehearsal; larger indexes, wider rows and cold caches make a real cut-over slower, so read it as a lower bound and rehearse at production size before committing to a window.';

/** Builds the report's blocks and chart specs from the rehearsals of every pipeline. */
export function buildReport(report: RehearsalReport): { blocks: Block[]; charts: ChartSpec[] } {
  const blocks: Block[] = [];
  const charts: ChartSpec[] = [];
  const chart = (c: ChartSpec) => blocks.push({ kind: 'chart', index: charts.push(c) - 1 });
  blocks.push({ kind: 'heading', level: 1, text: 'converge rehearsal report' });
  blocks.push({
    kind: 'paragraph',
    text: `Generated ${report.createdAt}. Pipelines: ${report.pipelines.map((p) => p.result.pipeline).join(', ')}.${report.productionBytes ? ` Production size for the prediction: ${formatBytes(report.productionBytes)}.` : ''}`,
  });
  if (report.productionBytes) {
    blocks.push({
      kind: 'heading',
      level: 2,
      text: `Predicted cut-over downtime for ${formatBytes(report.productionBytes)}`,
    });
    blocks.push({ kind: 'note', text: PREDICTION_NOTE });
    blocks.push({
      kind: 'table',
      headers: ['pipeline', ...CUTOVER_STAGES, 'downtime (writes frozen)'],
      rows: report.pipelines
        .filter((p) => p.result.prediction)
        .map((p) => [
          p.result.pipeline,
          ...p.result.prediction!.stages.map((s) => formatDuration(s.seconds)),
          formatDuration(p.result.prediction!.totalSeconds),
        ]),
    });
  }
  for (const pr of report.pipelines) {
    const r = pr.result;
    blocks.push({ kind: 'heading', level: 2, text: `Pipeline ${r.pipeline}` });
    blocks.push({
      kind: 'paragraph',
      text: `Run ${r.runId}: the cut-over command \`${cutoverCommand(r)}\` (runMigrate, verification included), after \`converge schema apply\`. Source: ${r.sourceRows} rows, ${formatBytes(r.bytes)} of MySQL data (scale ${r.scale}${r.sourceReused ? ', seeded by an earlier rehearsal' : ', seeded for this rehearsal'}); migrate loaded ${r.rows} rows (${r.tables.filter((t) => t.path === 'streamed').length} tables streamed, ${r.tables.filter((t) => t.path === 'staged').length} staged). Verification: ${r.verified ? 'every table matches (counts and checksums)' : 'DIFFERENCES FOUND'}. Writes frozen for migrate's load and verify: ${formatDuration(cutover(r))}.`,
    });
    blocks.push({ kind: 'heading', level: 3, text: 'Phases' });
    blocks.push({
      kind: 'table',
      headers: ['phase', 'cut-over command', 'seconds'],
      rows: [
        ...r.phases.map((p) => [p.phase, p.command ? `converge ${p.command}` : 'scratch set-up', s2(p.seconds)]),
        ['total', '', s2(r.phases.reduce((n, p) => n + p.seconds, 0))],
      ],
    });
    blocks.push({ kind: 'heading', level: 3, text: 'Throughput per stage' });
    blocks.push({
      kind: 'table',
      headers: ['stage', 'seconds', 'MB/s', 'rows/s'],
      rows: r.throughput.map((t) => [t.stage, s2(t.seconds), mbps(t.bytesPerSecond), t.rowsPerSecond.toFixed(0)]),
    });
    chart({
      type: 'bars',
      title: `${r.pipeline}: migrate throughput per phase`,
      unit: 'MB/s',
      series: ['MB/s'],
      rows: r.throughput.map((t) => ({ label: t.stage, values: [t.bytesPerSecond / 1e6] })),
    });
    if (r.prediction) {
      blocks.push({
        kind: 'heading',
        level: 3,
        text: `Predicted downtime for ${formatBytes(r.prediction.productionBytes)}`,
      });
      blocks.push({
        kind: 'paragraph',
        text: `${formatDuration(r.prediction.totalSeconds)} with writes frozen (${r.prediction.stages.map((s) => `${s.stage} ${formatDuration(s.seconds)}`).join(', ')}), by ${r.prediction.method} from ${formatBytes(r.prediction.measuredBytes)} measured.`,
      });
    }
    blocks.push({ kind: 'heading', level: 3, text: 'Compared with the previous rehearsal' });
    const c = pr.comparison;
    if (!c)
      blocks.push({
        kind: 'paragraph',
        text: 'This is the first rehearsal recorded on this target: nothing to compare with yet.',
      });
    else {
      blocks.push({
        kind: 'paragraph',
        text: `Previous: run ${c.previousRunId} at ${c.previousAt}. ${c.sameSize ? 'Same number of rows: the timings compare like for like.' : `Rows ${c.rows.before} → ${c.rows.after}: sizes differ, compare throughput rather than seconds.`}${c.predictedSeconds ? ` Predicted downtime ${formatDuration(c.predictedSeconds.before)} → ${formatDuration(c.predictedSeconds.after)}.` : ''}`,
      });
      blocks.push({
        kind: 'table',
        headers: ['phase', 'previous s', 'this s', 'change'],
        rows: c.phases.map((d) => [d.name, s2(d.before), s2(d.after), signed(d, s2)]),
      });
      const moved = [...c.tables].sort((a, b) => Math.abs(b.change) - Math.abs(a.change)).slice(0, 10);
      blocks.push({
        kind: 'table',
        headers: ['table (largest changes)', 'previous s', 'this s', 'change'],
        rows: moved.map((d) => [d.name, s2(d.before), s2(d.after), signed(d, s2)]),
      });
    }
    blocks.push({ kind: 'heading', level: 3, text: 'Time per table' });
    const byTime = [...r.tables].sort((a, b) => tableSeconds(b) - tableSeconds(a));
    chart({
      type: 'bars',
      title: `${r.pipeline}: migrate seconds per table`,
      unit: 's',
      series: [...CUTOVER_STAGES],
      rows: byTime.slice(0, 30).map((t) => ({ label: t.table, values: [t.seconds, t.verify] })),
    });
    blocks.push({
      kind: 'table',
      headers: ['table', 'source', 'rows in', 'rows', 'path', 'FK checks', 'load s', 'verify s', 'verified'],
      rows: byTime.map((t) => [
        t.table,
        t.sourceTable,
        String(t.rowsIn),
        String(t.rows),
        t.path ?? '',
        t.fkChecks ?? '',
        s2(t.seconds),
        s2(t.verify),
        t.verified ? 'yes' : 'NO',
      ]),
    });
    blocks.push({ kind: 'heading', level: 3, text: 'History of rehearsals' });
    chart({
      type: 'line',
      title: `${r.pipeline}: converge migrate seconds per rehearsal`,
      unit: 's',
      labels: pr.history.map((h) => h.at.slice(5, 16).replace('T', ' ')),
      lines: [{ name: 'migrate load+verify', values: pr.history.map(cutover) }],
    });
    blocks.push({
      kind: 'table',
      headers: ['finished', 'run', 'rows', 'cut-over s', 'predicted downtime'],
      rows: pr.history.map((h) => [
        h.at,
        h.runId,
        String(h.rows),
        s2(cutover(h)),
        h.prediction
          ? `${formatDuration(h.prediction.totalSeconds)} for ${formatBytes(h.prediction.productionBytes)}`
          : '',
      ]),
    });
  }
  return { blocks, charts };
}
