import { ConvergeError } from '../core/errors';
import type { PgSession } from '../target/postgres/connect';
import type { LoadMarker } from '../target/postgres/load/load-markers';
import type { PlanInput } from '../target/postgres/load/load-plan';
import { countRows } from '../target/postgres/load/target-state';

/** Tables a previous attempt committed, each checked against the target's count now. */
export async function resumeState(
  client: PgSession,
  loads: LoadMarker[],
  byKey: Map<string, PlanInput>,
): Promise<Map<string, LoadMarker>> {
  const done = new Map<string, LoadMarker>();
  for (const m of loads) {
    if (m.kind === 'table.seed_replaced') {
      done.set(`seed:${m.table}`, m);
      continue;
    }
    const i = byKey.get(m.table);
    if (!i) continue;
    if (m.payload.total !== undefined) {
      const n = await countRows(client, i.schema, i.table);
      if (n !== m.payload.total) {
        throw new ConvergeError(
          'TARGET_NOT_EMPTY',
          `cannot resume: ${m.table} holds ${n} rows, but ${m.payload.total} when its load committed; something else wrote to it. Re-run without --resume (with --truncate)`,
          { stage: 'import', table: m.table },
        );
      }
    }
    done.set(m.table, m);
  }
  return done;
}
