import { describeCutover, formatBytes, RunSummary } from '../run/run-summary';
import type { ChartSpec } from './charts';
import type { Block } from './report-blocks';

const s2 = (n: number | null) => (n === null ? '' : n.toFixed(2));

/**
 * The report of one recorded run (`converge runs show RUN --report DIR`): its outcome, the
 * online switch's write downtime when the run was followed and cut over, time per stage (a
 * chart, the downtime beside the stages) and per table, and its errors. What an operator files
 * after the cut-over; the same blocks as the rehearsal report, rendered by the same functions.
 */
export function buildRunReport(s: RunSummary): { blocks: Block[]; charts: ChartSpec[] } {
  const r = s.run;
  const blocks: Block[] = [];
  const charts: ChartSpec[] = [];
  blocks.push({ kind: 'heading', level: 1, text: `converge run ${r.id}` });
  blocks.push({
    kind: 'paragraph',
    text: `Pipeline ${r.pipeline}, status ${r.status}. Started ${r.startedAt}${r.endedAt ? `, ended ${r.endedAt}` : ''}${s.seconds !== null ? ` (${s.seconds.toFixed(1)} s)` : ''}.`,
  });
  if (s.cutover) {
    blocks.push({ kind: 'heading', level: 2, text: `Write downtime: ${s.cutover.downtimeSeconds.toFixed(1)} s` });
    blocks.push({
      kind: 'paragraph',
      text: `${describeCutover(s.cutover)}. The application's writes were stopped from the freeze until converge cutover had applied the last changes and verified ${s.cutover.tables} table(s) against the source.`,
    });
  }
  blocks.push({ kind: 'heading', level: 2, text: 'Stages' });
  const bars = [
    ...s.stages.map((x) => ({ label: x.stage, values: [x.seconds] })),
    ...(s.cutover ? [{ label: 'write downtime (cutover)', values: [s.cutover.downtimeSeconds] }] : []),
  ];
  if (bars.length) {
    blocks.push({ kind: 'chart', index: charts.length });
    charts.push({ type: 'bars', title: `run ${r.id}: seconds per stage`, unit: 's', series: ['seconds'], rows: bars });
  }
  blocks.push({
    kind: 'table',
    headers: ['stage', 'seconds', 'tables', 'rows', 'bytes', 'outcome'],
    rows: s.stages.map((x) => [
      x.stage,
      s2(x.seconds),
      String(x.tables),
      String(x.rows),
      formatBytes(x.bytes),
      x.outcome,
    ]),
  });
  blocks.push({ kind: 'heading', level: 2, text: 'Tables' });
  blocks.push({
    kind: 'table',
    headers: ['stage', 'table', 'rows', 'bytes', 'seconds', 'outcome'],
    rows: s.tables.map((t) => [
      t.stage,
      t.table,
      t.rows === null ? '' : String(t.rows),
      formatBytes(t.bytes),
      s2(t.seconds),
      t.outcome,
    ]),
  });
  if (s.errors.length) {
    blocks.push({ kind: 'heading', level: 2, text: 'Errors' });
    blocks.push({
      kind: 'table',
      headers: ['at', 'stage', 'table', 'error'],
      rows: s.errors.map((e) => [e.at, e.stage ?? '', e.table ?? '', `${e.code ? `${e.code}: ` : ''}${e.message}`]),
    });
  }
  return { blocks, charts };
}
