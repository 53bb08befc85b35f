import { formatDuration } from '../rehearse/size-units';
import { formatBytes } from '../run/run-summary';
import type { RehearsalResult } from '../rehearse/rehearsal-result';
import type { OnlineRehearsal } from '../rehearse/online-result';
import type { Block } from './report-blocks';

const s2 = (n: number) => n.toFixed(2);
const at = (p: { file: string; position: number }) => `${p.file}:${p.position}`;

/** The online cut-over's commands as the runbook runs them, with this rehearsal's flags. */
export function onlineCommands(r: Pick<RehearsalResult, 'pipeline' | 'cutover'>): string[] {
  const keep = r.cutover.keepFiles ? ' --keep-files' : '';
  return [
    `converge migrate --pipeline ${r.pipeline} --jobs ${r.cutover.jobs}${keep} --follow`,
    `converge follow checkpoint --pipeline ${r.pipeline}${keep}`,
    `converge cutover --pipeline ${r.pipeline}${keep}`,
  ];
}

/** What the switch proved, in a sentence. */
export function proofText(o: OnlineRehearsal): string {
  return o.proof.kind === 'checkpoint'
    ? `every table's row count, and by key the rows of the ${o.proof.keys} keys the follow changed since the checkpoint at ${at(o.proof.checkpoint.position)}`
    : `every row of both sides (full verify: ${o.proof.reason})`;
}

export const ONLINE_NOTE =
  "The online write downtime is measured, not predicted. After a verified checkpoint the switch proves every table's row count and, by key, only the rows the follow changed since the checkpoint: it grows with the number of tables and with the keys the application changes between the checkpoint and the freeze, not with the rows loaded, so the per-row model of the offline path does not apply to it. The rehearsal's source is a quiet copy (no key changes after the checkpoint), so this is the switch's floor for these tables on these servers; on cut-over night add the proof of the keys the writers change after the checkpoint (take it late), and the time between stopping the writers and starting converge cutover. It includes converge cutover's settle (--settle, 1 s by default: the binary log must stay still that long). Without a verified checkpoint the switch verifies every row, like the offline verify.";

/** The report's section on the online run: its write downtime next to the offline path's. */
export function onlineBlocks(r: RehearsalResult, o: OnlineRehearsal): Block[] {
  const f = r.forecast;
  const offline = `measured ${formatDuration(r.writeDowntimeSeconds)} on this data${f ? `, predicted ${formatDuration(f.seconds)} (range ${formatDuration(f.low)} to ${formatDuration(f.high)}) for ${f.given.bytes !== undefined ? formatBytes(f.given.bytes) : `${f.given.rows} rows`}` : ''}`;
  return [
    { kind: 'heading', level: 3, text: 'Online cut-over' },
    {
      kind: 'paragraph',
      text: `Online write downtime measured (converge cutover, freeze → verified): ${formatDuration(o.writeDowntimeSeconds)}. Offline write downtime (converge migrate's load and verify, writes frozen throughout): ${offline}. Run ${o.runId}, on the same data after a reset: ${onlineCommands(
        r,
      )
        .map((c) => `\`${c}\``)
        .join(
          ', then ',
        )} (the source is a quiet copy, so the freeze is the operator's word, --source-frozen, with no new event of the pipeline's tables). The switch at ${at(o.position)} proved ${proofText(o)}: ${o.verified ? `${o.tables} tables, every one verified` : 'DIFFERENCES FOUND'}. The follower applied ${o.follow.transactions} transactions (${o.follow.changes} changes) after the load, held ${o.checkpoint.heldSeconds.toFixed(1)} s for the checkpoint at ${at(o.checkpoint.position)} (${o.checkpoint.tables} tables verified against a source snapshot), and stopped at the switch's request (${o.follow.stoppedBy}).`,
    },
    { kind: 'note', text: ONLINE_NOTE },
    {
      kind: 'table',
      headers: ['phase', 'online cut-over command', 'seconds', 'writes'],
      rows: [
        ...o.phases.map((p) => [
          p.phase,
          p.command ? `converge ${p.command}` : 'scratch set-up',
          s2(p.seconds),
          p.phase === 'cutover' ? `frozen ${s2(o.writeDowntimeSeconds)} s (freeze → verified)` : 'open',
        ]),
      ],
    },
  ];
}
