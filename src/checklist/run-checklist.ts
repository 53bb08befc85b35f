import { ConnectionInfo } from '../core/connection-url';
import { messageOf } from '../core/errors';
import { MysqlConnection, openMysql, queryMysqlRows, useMysqlUtc } from '../source/mysql/connect';
import { openPg, PgSession, queryPgRows } from '../target/postgres/connect';
import type { Checklist, ChecklistItem } from './load-checklist';

export interface ChecklistOutcome {
  id: string;
  section: ChecklistItem['section'];
  title: string;
  status: 'pass' | 'fail' | 'manual' | 'error';
  /** What was compared or found, or the manual step. */
  detail: string;
}

type Rows = string[][];

/** Values as text, so 1 (MySQL COUNT) and '1' (Postgres bigint) compare equal; NULL stays distinct. */
export function normalizeRows(rows: Array<Record<string, unknown>>): Rows {
  return rows.map((r) =>
    Object.values(r).map((v) =>
      v === null || v === undefined
        ? '∅'
        : v instanceof Date
          ? v.toISOString()
          : typeof v === 'boolean'
            ? v
              ? '1'
              : '0'
            : String(v),
    ),
  );
}

/** The outcome of one automatable item from the rows each side returned. Pure. */
export function judge(
  item: ChecklistItem,
  source: Rows | undefined,
  target: Rows,
): Pick<ChecklistOutcome, 'status' | 'detail'> {
  const show = (r: Rows) =>
    r.length > 6 ? `${JSON.stringify(r.slice(0, 6))} … (${r.length} rows)` : JSON.stringify(r);
  if (source) {
    // Row order is not compared: MySQL and Postgres collations sort text differently.
    const key = (r: Rows) =>
      r
        .map((x) => JSON.stringify(x))
        .sort()
        .join('\n');
    const same = key(source) === key(target);
    return {
      status: same ? 'pass' : 'fail',
      detail: same ? `source and target agree: ${show(target)}` : `source ${show(source)} ≠ target ${show(target)}`,
    };
  }
  const zero = target.length === 1 && target[0][0] === '0';
  return { status: zero ? 'pass' : 'fail', detail: zero ? 'none found' : `expected 0, found ${show(target)}` };
}

/**
 * Runs the automatable items of a checklist against the live source and the target (writes
 * frozen, as the cut-over runbook says) and lists the manual ones with their step. A failing
 * query is an `error` outcome for that item, not an exception: every item gets an answer.
 */
export async function runChecklist(
  list: Checklist,
  source: ConnectionInfo,
  target: ConnectionInfo,
): Promise<ChecklistOutcome[]> {
  const needsSource = list.items.some((i) => i.source);
  let my: MysqlConnection | undefined;
  let pg: PgSession | undefined;
  try {
    pg = await openPg(target, { applicationName: 'converge checklist' });
    if (needsSource) {
      my = await openMysql(source);
      await useMysqlUtc(my);
    }
    const out: ChecklistOutcome[] = [];
    for (const item of list.items) {
      const base = { id: item.id, section: item.section, title: item.title };
      if (item.manual) {
        out.push({ ...base, status: 'manual', detail: item.manual });
        continue;
      }
      try {
        const src = item.source ? normalizeRows(await queryMysqlRows(my!, item.source)) : undefined;
        const tgt = normalizeRows(await queryPgRows(pg, item.target!));
        out.push({ ...base, ...judge(item, src, tgt) });
      } catch (e) {
        out.push({ ...base, status: 'error', detail: messageOf(e) });
      }
    }
    return out;
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await my?.end().catch(() => undefined);
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await pg?.end().catch(() => undefined);
  }
}
