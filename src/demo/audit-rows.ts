import { Prng } from './generic-prng';
import { HARD_JSON_OBJECTS, HARD_TEXTS } from './generic-hard-values';
import { mysqlDateTime, SqlRow } from './generic-insert-rows';

const BASE_MS = Date.UTC(2024, 2, 1, 12, 0, 0);
const MODES = ['per_participant', 'per_cycle', 'per_group', 'global', 'count_up'] as const;
const FINAL = ['completed', 'completed', 'completed', 'cancelled', 'expired', null] as const;

export interface AuditRows {
  sync_sessions: SqlRow[];
  sync_participants: SqlRow[];
  sync_events: SqlRow[];
}

/**
 * Audit rows that tell a consistent story per session: created, participants added, started,
 * cycles switched, maybe paused and resumed, then finished (or still running: final_status NULL).
 * There are no FKs in this schema, but every session_id and participant_id refers to a real row.
 */
export function buildAuditRows(rng: Prng, sessionCount: number): AuditRows {
  const out: AuditRows = { sync_sessions: [], sync_participants: [], sync_events: [] };
  for (let s = 0; s < sessionCount; s++) {
    const sessionId = rng.uuid();
    const mode = MODES[s % MODES.length];
    const final = rng.pick(FINAL);
    const cycleMs = mode === 'count_up' ? null : rng.pick([30_000, 60_000, 300_000, 600_000]);
    let clock = BASE_MS + s * 3_600_000 + rng.int(0, 3_599_999);
    const at = (): string => mysqlDateTime(clock, rng.int(0, 999));
    const tick = (maxMs: number): string => {
      clock += rng.int(1, maxMs);
      return at();
    };
    const createdAt = at();
    const groups = mode === 'per_group' ? [rng.uuid(), rng.uuid()] : [];
    const events: SqlRow[] = [];
    const event = (type: string, extra: Partial<SqlRow> = {}): void => {
      events.push({
        id: rng.uuid(),
        session_id: sessionId,
        event_type: type,
        participant_id: null,
        group_id: null,
        time_remaining_ms: null,
        time_elapsed_ms: null,
        cycle_number: null,
        timestamp: tick(20_000),
        state_snapshot: null,
        metadata: '{}',
        ...extra,
      });
    };
    event('session_created', {
      timestamp: createdAt,
      state_snapshot: JSON.stringify({ mode, status: 'pending', participants: [] }),
    });

    const people: Array<{ id: string; group: string | null }> = [];
    for (let p = 0, count = rng.int(2, 6); p < count; p++) {
      const participantId = rng.uuid();
      const group = groups.length ? groups[p % groups.length] : null;
      people.push({ id: participantId, group });
      const addedAt = tick(10_000);
      out.sync_participants.push({
        id: rng.uuid(),
        session_id: sessionId,
        participant_id: participantId,
        total_time_ms: cycleMs ?? 0,
        group_id: group,
        total_cycles: 0,
        total_time_active_ms: 0,
        added_at: addedAt,
        first_active_at: null,
        last_active_at: null,
        metadata:
          p === 0
            ? JSON.stringify({ display_name: rng.pick(HARD_TEXTS), seat: p + 1 })
            : JSON.stringify({ seat: p + 1 }),
      });
      event('participant_added', { participant_id: participantId, group_id: group, timestamp: addedAt });
    }

    const started = final !== 'expired' || rng.chance(0.5);
    let cycles = 0;
    let startedAt: string | null = null;
    let completedAt: string | null = null;
    if (started) {
      startedAt = tick(60_000);
      event('session_started', { timestamp: startedAt, cycle_number: 1 });
      const rounds = rng.int(1, 8);
      for (let c = 1; c <= rounds; c++) {
        const who = people[(c - 1) % people.length];
        const row = out.sync_participants[out.sync_participants.length - people.length + ((c - 1) % people.length)];
        const stamp = tick(cycleMs ?? 120_000);
        row.first_active_at = row.first_active_at ?? stamp;
        row.last_active_at = stamp;
        row.total_cycles = Number(row.total_cycles) + 1;
        row.total_time_active_ms = Number(row.total_time_active_ms) + rng.int(1000, cycleMs ?? 120_000);
        cycles = c;
        event('cycle_switched', {
          participant_id: who.id,
          group_id: who.group,
          cycle_number: c,
          timestamp: stamp,
          time_remaining_ms: cycleMs === null ? null : rng.int(0, cycleMs),
          time_elapsed_ms: rng.int(0, 600_000),
          state_snapshot: JSON.stringify({
            cycle: c,
            active: who.id,
            remaining: { [who.id]: rng.int(0, 60000) },
            history: [{ c, at: stamp }],
          }),
        });
        if (rng.chance(0.15)) {
          event('session_paused', {
            cycle_number: c,
            metadata: JSON.stringify({ reason: 'Coffee ☕ break — "5 min"' }),
          });
          event('session_resumed', { cycle_number: c });
        }
      }
      if (people.length > 2 && rng.chance(0.2))
        event('participant_removed', { participant_id: people[people.length - 1].id });
    }
    if (final !== null) {
      completedAt = tick(60_000);
      // An expired session simply stops: the writer logs no event for it, only the final status.
      if (final !== 'expired') {
        event(final === 'completed' ? 'session_completed' : 'session_cancelled', {
          timestamp: completedAt,
          cycle_number: cycles || null,
        });
      }
    }
    out.sync_sessions.push({
      session_id: sessionId,
      sync_mode: mode,
      time_per_cycle_ms: cycleMs,
      increment_ms: mode === 'per_cycle' ? rng.pick([0, 2000, 5000]) : 0,
      max_time_ms: rng.chance(0.5) ? null : rng.int(600_000, 7_200_000),
      created_at: createdAt,
      started_at: startedAt,
      completed_at: completedAt,
      final_status: final,
      total_cycles: cycles,
      total_participants: people.length,
      metadata:
        s < HARD_JSON_OBJECTS.length
          ? HARD_JSON_OBJECTS[s]
          : JSON.stringify({ room: `room-${s}`, host: { name: rng.pick(['Zoë', 'José', '美咲']) } }),
      last_updated_at: completedAt ?? at(),
    });
    out.sync_events.push(...events);
  }
  return out;
}
