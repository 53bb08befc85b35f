import type { TableRule, Where } from '../load-mapping';
import type { MappingProblem } from './mapping-problem';

/** A rule of a table mapping that following the binary log cannot honour, where it was written. */
export interface FollowLimit {
  table: string;
  at: Where;
  message: string;
  advice: string;
}

/**
 * The row policies a follow cannot apply one change at a time: `unique` keep-first or fail
 * (which row holds a key depends on rows the change does not carry: the first in the
 * snapshot's key order, or whether any other row has it), and more than one `unique` policy
 * per table. One judgement for both places that say it: `map check --follow`, before
 * anything runs, and the follow itself when it binds the mapping (src/follow/change-plan.ts).
 */
export function followLimit(rule: TableRule): FollowLimit | undefined {
  if (rule.skip) return undefined;
  const i = rule.unique.findIndex((u, n) => u.policy !== 'keep-newest' || n > 0);
  if (i < 0) return undefined;
  const u = rule.unique[i];
  const cols = u.columns.join(', ');
  const at = rule.uniqueAt?.[i] ?? rule.at;
  if (u.policy !== 'keep-newest')
    return {
      table: rule.source,
      at,
      message: `unique (${cols}) policy ${u.policy} cannot be followed: which row keeps the key depends on rows a single change does not carry`,
      advice:
        u.policy === 'keep-first'
          ? `policy: keep-newest with newest: <a column that grows with each write>, or migrate this pipeline offline (without --follow)`
          : `fix the duplicates in the source and remove the policy (the target's unique index refuses a duplicate the follow would write), use keep-newest, or migrate offline`,
    };
  return {
    table: rule.source,
    at,
    message: `a second unique policy (${cols}) cannot be followed: the follow keeps one keep-newest key per table`,
    advice: 'keep one unique policy on this table, or migrate this pipeline offline (without --follow)',
  };
}

/**
 * map check --follow: what the follow would refuse of one mapped table, as problems at the
 * rule's line (the unique entry's for a row policy), each with its advice.
 */
export function followProblems(
  rule: TableRule,
  keys: { source: string[]; target: string[]; targetName: string; loaded: readonly string[] },
): MappingProblem[] {
  const out: MappingProblem[] = [];
  const key = followKeyLimit({
    source: rule.source,
    sourceKey: keys.source,
    target: keys.targetName,
    targetKey: keys.target,
    loaded: keys.loaded,
  });
  if (key)
    out.push({
      kind: 'follow-unsupported',
      severity: 'error',
      table: rule.source,
      at: rule.at,
      message: `${key.message} (migrate --follow refuses it before the load: ${key.code})`,
      expected: 'a primary key on both sides that the mapping loads, or migrate offline (without --follow)',
    });
  const limit = followLimit(rule);
  if (limit)
    out.push({
      kind: 'follow-unsupported',
      severity: 'error',
      table: rule.source,
      at: limit.at,
      message: `${limit.message} (migrate --follow refuses it before the load: FOLLOW_UNSUPPORTED)`,
      expected: limit.advice,
    });
  return out;
}

/**
 * A change is matched to its target row by key: the source table needs a primary key (row
 * images are found by it), and the target table one the mapping fills. Undefined when both hold.
 */
export function followKeyLimit(o: {
  source: string;
  sourceKey: string[];
  target: string;
  targetKey: string[];
  /** Target columns the mapping loads. */
  loaded: readonly string[];
}): { code: 'FOLLOW_NO_PRIMARY_KEY'; message: string } | undefined {
  if (!o.sourceKey.length)
    return {
      code: 'FOLLOW_NO_PRIMARY_KEY',
      message: `source table ${o.source} has no primary key: its row changes cannot be matched to target rows; add one or migrate offline`,
    };
  if (!o.targetKey.length)
    return {
      code: 'FOLLOW_NO_PRIMARY_KEY',
      message: `target table ${o.target} has no primary key (nor a NOT NULL unique index): changes to ${o.source} cannot be applied row by row; add a key or migrate offline`,
    };
  if (!o.targetKey.every((k) => o.loaded.includes(k)))
    return {
      code: 'FOLLOW_NO_PRIMARY_KEY',
      message: `target table ${o.target} is keyed by (${o.targetKey.join(', ')}), which the mapping of ${o.source} does not fill: its changes cannot be applied row by row`,
    };
  return undefined;
}
