import type { PipelineRehearsal } from '../rehearse/run-rehearsal';
import { formatDuration } from '../rehearse/size-units';
import type { DowntimeForecast } from '../rehearse/downtime-model';
import { CUTOVER_STAGES, RehearsalResult } from '../rehearse/rehearsal-result';
import { Delta, tableSeconds } from '../rehearse/compare-rehearsals';
import { formatBytes } from '../run/run-summary';
import type { ChartSpec } from './charts';
import { onlineBlocks } from './online-blocks';

/** The report as a list of blocks, rendered once as Markdown and once as HTML. */
export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'note'; text: string }
  | { kind: 'table'; headers: string[]; rows: string[][] }
  | { kind: 'chart'; index: number };

export interface RehearsalReport {
  createdAt: string;
  pipelines: PipelineRehearsal[];
}

const s2 = (n: number) => n.toFixed(2);
const signed = (d: Delta, f: (n: number) => string) =>
  `${d.change >= 0 ? '+' : ''}${f(d.change)}${d.percent === null ? '' : ` (${d.percent >= 0 ? '+' : ''}${d.percent.toFixed(0)} %)`}`;
const cutover = (r: { phases: Array<{ phase: string; seconds: number }> }) =>
  r.phases.filter((p) => (CUTOVER_STAGES as readonly string[]).includes(p.phase)).reduce((n, p) => n + p.seconds, 0);
/** The per-table chart shows this many tables; the rest are folded into one bar, and the table below lists all. */
export const CHART_TABLES = 30;

/** How the runbook's cut-over command reads for this rehearsal's flags. */
export const cutoverCommand = (r: RehearsalResult): string =>
  `converge migrate --pipeline ${r.pipeline} --jobs ${r.cutover.jobs}${r.cutover.keepFiles ? ' --keep-files' : ''}`;

/** "10.0 GB" or "5000000 rows": the production size a forecast was asked for. */
export const forecastSize = (f: DowntimeForecast): string =>
  f.given.bytes !== undefined ? formatBytes(f.given.bytes) : `${f.given.rows} rows`;

export const PREDICTION_NOTE =
  "Each frozen phase of converge migrate (load, verify) is modelled as fixed seconds plus seconds per source row, fitted on this rehearsal's samples of different sizes and earlier rehearsals of the same command, or, from one size, split by the run's tables; a size in bytes is converted to rows at the largest sample's bytes per row. The range spans every estimate, widened by the run-to-run noise. It assumes the same servers, --jobs and row shapes as the rehearsal.";

function forecastBlocks(f: DowntimeForecast): Block[] {
  const us = (n: number) => (n * 1e6).toFixed(2);
  return [
    {
      kind: 'paragraph',
      text: `Predicted write downtime (migrate's load and verify, writes frozen) for ${forecastSize(f)} (${Math.round(f.rows)} rows, ${f.scaleFactor.toFixed(1)}× the largest sample): ${formatDuration(f.seconds)}, range ${formatDuration(f.low)} to ${formatDuration(f.high)}. ${(f.variableShare * 100).toFixed(0)} % of the largest sample's frozen time grows with the data.`,
    },
    ...f.warnings.map((w): Block => ({ kind: 'note', text: `Warning: ${w}.` })),
    { kind: 'note', text: PREDICTION_NOTE },
    {
      kind: 'table',
      headers: ['phase', 'fixed s', 'µs per row', 'predicted', 'range', 'fitted on'],
      rows: f.stages.map((s) => [
        s.stage,
        s2(s.fixedSeconds),
        us(s.secondsPerRow),
        formatDuration(s.seconds),
        `${formatDuration(s.low)} – ${formatDuration(s.high)}`,
        s.estimates.map((e) => `${e.basis}: ${formatDuration(e.seconds)}`).join('; '),
      ]),
    },
    {
      kind: 'table',
      headers: ['sample', 'rows', 'source data', 'frozen s'],
      rows: f.samples.map((s) => [s.from, String(s.rows), formatBytes(s.bytes), s2(s.seconds)]),
    },
  ];
}

/** Builds the report's blocks and chart specs from the rehearsals of every pipeline. */
export function buildReport(report: RehearsalReport): { blocks: Block[]; charts: ChartSpec[] } {
  const blocks: Block[] = [];
  const charts: ChartSpec[] = [];
  const chart = (c: ChartSpec) => blocks.push({ kind: 'chart', index: charts.push(c) - 1 });
  blocks.push({ kind: 'heading', level: 1, text: 'converge rehearsal report' });
  blocks.push({
    kind: 'paragraph',
    text: `Generated ${report.createdAt}. Pipelines: ${report.pipelines.map((p) => p.result.pipeline).join(', ')}.`,
  });
  for (const pr of report.pipelines) {
    const r = pr.result;
    blocks.push({ kind: 'heading', level: 2, text: `Pipeline ${r.pipeline}` });
    blocks.push({
      kind: 'paragraph',
      text: `Run ${r.runId}: the cut-over command \`${cutoverCommand(r)}\` (runMigrate, verification included)${r.phases.some((p) => p.phase === 'schema-apply') ? ', after `converge schema apply`' : ''}, on the scratch target ${r.target.database}. Source ${r.source.database}: ${r.source.seeded ? `seeded for the rehearsal at scale ${r.source.seeded.scale}` : 'a copy of the production data, read as found'}; ${r.rows} rows, ${formatBytes(r.bytes)} of MySQL data; migrate moved ${r.tables.length} tables (${r.tables.filter((t) => t.path === 'streamed').length} streamed, ${r.tables.filter((t) => t.path === 'staged').length} staged). Verification: ${r.verified ? 'every table matches (counts and checksums)' : 'DIFFERENCES FOUND'}. Write downtime measured (load and verify): ${formatDuration(r.writeDowntimeSeconds)}.`,
    });
    blocks.push({ kind: 'heading', level: 3, text: 'Predicted write downtime' });
    if (r.forecast) blocks.push(...forecastBlocks(r.forecast));
    else
      blocks.push({
        kind: 'paragraph',
        text: 'No production size given (--production-size or --production-rows): nothing predicted.',
      });
    if (r.online) blocks.push(...onlineBlocks(r, r.online));
    blocks.push({ kind: 'heading', level: 3, text: 'Samples' });
    blocks.push({
      kind: 'table',
      headers: ['sample', 'run', 'rows', 'source data', 'load s', 'verify s', 'rows/s (load)'],
      rows: r.samples.map((s, i) => [
        `${i + 1}${s.scale !== undefined ? ` (scale ${s.scale})` : ''}`,
        s.runId,
        String(s.rows),
        formatBytes(s.bytes),
        s2(s.seconds.load),
        s2(s.seconds.verify),
        (s.rows / Math.max(s.seconds.load, 1e-3)).toFixed(0),
      ]),
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
    chart({
      type: 'bars',
      title: `${r.pipeline}: migrate rows per second per phase`,
      unit: 'rows/s',
      series: ['rows/s'],
      rows: CUTOVER_STAGES.map((stage) => ({
        label: stage,
        values: [r.rows / Math.max(r.phases.find((p) => p.phase === stage)?.seconds ?? 0, 1e-3)],
      })),
    });
    blocks.push({ kind: 'heading', level: 3, text: 'Compared with the previous rehearsal' });
    const c = pr.comparison;
    if (!c)
      blocks.push({
        kind: 'paragraph',
        text: 'This is the first rehearsal recorded on this target: nothing to compare with yet.',
      });
    else {
      const prevTables = new Set(pr.previous?.tables.map((t) => t.table) ?? []);
      const added = r.tables.filter((t) => !prevTables.has(t.table)).map((t) => t.table);
      const gone = [...prevTables].filter((t) => !r.tables.some((x) => x.table === t));
      blocks.push({
        kind: 'paragraph',
        text: `Previous: run ${c.previousRunId} at ${c.previousAt}. ${c.sameSize ? 'Same number of rows: the timings compare like for like.' : `Rows ${c.rows.before} → ${c.rows.after}: sizes differ, compare rows per second rather than seconds.`} Write downtime ${formatDuration(c.writeDowntime.before)} → ${formatDuration(c.writeDowntime.after)} (${signed(c.writeDowntime, s2)}).${c.predictedSeconds ? ` Predicted write downtime ${formatDuration(c.predictedSeconds.before)} → ${formatDuration(c.predictedSeconds.after)}.` : ''}${added.length ? ` New tables: ${added.join(', ')}.` : ''}${gone.length ? ` Tables no longer moved: ${gone.join(', ')}.` : ''}`,
      });
      blocks.push({
        kind: 'table',
        headers: ['phase', 'previous s', 'this s', 'change'],
        rows: c.phases.map((d) => [d.name, s2(d.before), s2(d.after), signed(d, s2)]),
      });
      blocks.push({
        kind: 'table',
        headers: ['table (every table, largest change first)', 'previous s', 'this s', 'change'],
        rows: [...c.tables]
          .sort((a, b) => Math.abs(b.change) - Math.abs(a.change))
          .map((d) => [d.name, s2(d.before), s2(d.after), signed(d, s2)]),
      });
    }
    blocks.push({ kind: 'heading', level: 3, text: 'Time per table' });
    const byTime = [...r.tables].sort((a, b) => tableSeconds(b) - tableSeconds(a));
    const shown = byTime.length > CHART_TABLES ? byTime.slice(0, CHART_TABLES - 1) : byTime;
    const folded = byTime.slice(shown.length);
    if (folded.length)
      blocks.push({
        kind: 'note',
        text: `The chart shows the ${shown.length} slowest tables; its last bar folds the other ${folded.length} together (${folded.map((t) => t.table).join(', ')}). The table below lists every one.`,
      });
    chart({
      type: 'bars',
      title: `${r.pipeline}: migrate seconds per table`,
      unit: 's',
      series: [...CUTOVER_STAGES],
      rows: [
        ...shown.map((t) => ({ label: t.table, values: [t.seconds, t.verify] })),
        ...(folded.length
          ? [
              {
                label: `${folded.length} other tables`,
                values: [folded.reduce((n, t) => n + t.seconds, 0), folded.reduce((n, t) => n + t.verify, 0)],
              },
            ]
          : []),
      ],
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
      headers: ['finished', 'run', 'rows', 'write downtime s', 'predicted write downtime'],
      rows: pr.history.map((h) => [
        h.at,
        h.runId,
        String(h.rows),
        s2(cutover(h)),
        h.forecast
          ? `${formatDuration(h.forecast.seconds)} (${formatDuration(h.forecast.low)} – ${formatDuration(h.forecast.high)}) for ${forecastSize(h.forecast)}`
          : '',
      ]),
    });
  }
  return { blocks, charts };
}
