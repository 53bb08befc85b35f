import type { SwitchProof } from '../follow/run-cutover';

/**
 * The online run of `converge rehearse --online`, in the order the runbook's online cut-over runs
 * its commands: reset (scratch set-up), schema-apply, load and follow-catch-up (`converge migrate
 * --follow`), checkpoint (`converge follow checkpoint`), cutover (`converge cutover`).
 */
export type OnlinePhase = 'reset' | 'schema-apply' | 'load' | 'follow-catch-up' | 'checkpoint' | 'cutover';

export type OnlineCommand = 'schema apply' | 'migrate --follow' | 'follow checkpoint' | 'cutover';

/** Which online cut-over command each phase times; the reset is no part of a cut-over. */
export const ONLINE_PHASE_COMMANDS: Partial<Record<OnlinePhase, OnlineCommand>> = {
  'schema-apply': 'schema apply',
  load: 'migrate --follow',
  'follow-catch-up': 'migrate --follow',
  checkpoint: 'follow checkpoint',
  cutover: 'cutover',
};

export interface OnlinePhaseTiming {
  phase: OnlinePhase;
  seconds: number;
  command?: OnlineCommand;
}

/** What the online run measured; part of the rehearsal.completed payload. */
export interface OnlineRehearsal {
  /** The migrate --follow run: the follow, the checkpoint and the cut-over are recorded in it. */
  runId: string;
  phases: OnlinePhaseTiming[];
  /** converge cutover's write downtime, freeze → verified (its downtimeSeconds): measured, not predicted. */
  writeDowntimeSeconds: number;
  frozenAt: string;
  verifiedAt: string;
  /** Where the cut-over switched, in the source's binary log. */
  position: { file: string; position: number };
  /** Which proof the switch ran: after the checkpoint, counts and the keys changed since it. */
  proof: SwitchProof;
  checkpoint: { position: { file: string; position: number }; heldSeconds: number; tables: number };
  /** What the follower applied from the load's snapshot to the switch, and why it stopped. */
  follow: { transactions: number; changes: number; stoppedBy: string };
  /** Tables the switch's verify proved. */
  tables: number;
  verified: boolean;
}
