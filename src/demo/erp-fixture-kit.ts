import { Prng } from './generic-prng';
import { DAY_MS, mysqlDate, mysqlDateTime, SqlRow } from './generic-insert-rows';
import { HARD_TEXTS } from './generic-hard-values';

/** Every fixture time is an offset from this instant, so fixtures never depend on the clock. */
export const BASE_MS = Date.UTC(2023, 0, 2, 9, 0, 0);

export interface Moment {
  ms: number;
  text: string;
}

export interface TableRows {
  table: string;
  rows: SqlRow[];
}

/** A DATETIME(6) between BASE + fromDay and BASE + toDay, with microseconds. */
export function momentBetween(rng: Prng, fromDay: number, toDay: number): Moment {
  const ms = BASE_MS + rng.int(fromDay * DAY_MS, toDay * DAY_MS);
  return { ms, text: mysqlDateTime(ms, rng.int(0, 999)) };
}

/** A moment at or after `from`, at most `maxHours` later. */
export function momentAfter(rng: Prng, from: Moment, maxHours: number): Moment {
  const ms = from.ms + rng.int(1, Math.max(1, Math.round(maxHours * 3_600_000)));
  return { ms, text: mysqlDateTime(ms, rng.int(0, 999)) };
}

export function dateOf(ms: number): string {
  return mysqlDate(ms);
}

export function dayAfter(ms: number, days: number): string {
  return mysqlDate(ms + days * DAY_MS);
}

/** How many rows a table gets at a scale: never zero, so every table has rows. */
export function scaled(scale: number, base: number): number {
  return Math.max(1, Math.round(base * scale));
}

export function flag(b: boolean): number {
  return b ? 1 : 0;
}

export function json(value: unknown): string {
  return JSON.stringify(value);
}

/** null with probability p, else the value. */
export function orNull<T>(rng: Prng, p: number, value: T): T | null {
  return rng.chance(p) ? null : value;
}

/**
 * Free text for an optional column: mostly ordinary prose, sometimes a hard value, sometimes
 * NULL and sometimes '' (the two must stay distinct through a migration).
 */
export function looseText(rng: Prng, pool: readonly string[]): string | null {
  const r = rng.next();
  if (r < 0.1) return null;
  if (r < 0.15) return '';
  if (r < 0.27) return rng.pick(HARD_TEXTS);
  return rng.pick(pool);
}

/** An id in 1..count, or null with probability p. */
export function refOrNull(rng: Prng, count: number, p: number): number | null {
  return rng.chance(p) ? null : rng.int(1, count);
}

/** A JSON array of 1536 numbers, as a legacy application stored an embedding. */
export function embeddingJson(rng: Prng): string {
  const v: string[] = [];
  for (let i = 0; i < 1536; i++) v.push(((rng.next() * 2 - 1) * 0.25).toFixed(6));
  return `[${v.join(',')}]`;
}

export const PROSE: readonly string[] = [
  'Kick-off call went well; follow up on scope next week.',
  'Waiting on the client for brand assets.',
  'Prefers async updates over meetings.',
  'Renewal expected in Q3; budget approved.',
  '## Notes\n- agreed on weekly demo\n- invoice monthly',
  'Handles procurement — loop in for anything over €5k.',
  'Met at the Lisbon meetup.',
  'Key dependency for the onboarding workflow.',
];

export const TAGS: readonly string[] = [
  'ops',
  'sales',
  'design',
  'backend',
  'urgent',
  'résumé',
  'データ',
  "client's pick",
  'q3,q4',
  '{legacy}',
  'say "hi"',
  'NULL',
  'back\\slash',
  'with space',
  '',
];

/** A JSON array of distinct tags: characters that need quoting inside a Postgres text[] literal. */
export function tagsJson(rng: Prng): string {
  return json(rng.sample(TAGS, rng.int(0, 4)));
}
