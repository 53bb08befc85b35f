import 'reflect-metadata';
import { AlkemioDialect } from './dialect';
import { createEntityKit } from './entity-kit';
import { AlkemioEntityTable, ENTITY_DEFINERS } from './entities';

export { dialectTypes } from './dialect';
export type { AlkemioDialect } from './dialect';
export { PROFILE_TYPES } from './profile-types';
export type { ProfileType } from './profile-types';
export type { AlkemioEntityTable } from './entities';

/** TypeORM's own cache table, which Alkemio enabled: part of its schema, never of its entities. */
export const ALKEMIO_QUERY_RESULT_CACHE_TABLE = 'query-result-cache';

/** The join table of application.questions: a table without an entity class. */
export const ALKEMIO_JOIN_TABLES = ['application_questions'] as const;

/** Application tables: 74 entities plus the join table. */
export const ALKEMIO_TABLE_COUNT = 75;
export const ALKEMIO_FOREIGN_KEY_COUNT = 201;

const defined = new Map<AlkemioDialect, Function[]>();

/**
 * The Alkemio entity classes for one dialect, ordered by table name so generated DDL does not
 * depend on import order. Classes are defined once per dialect and reused: TypeORM keeps
 * decorator metadata globally, so defining them again would only add garbage.
 */
export function alkemioEntities(dialect: AlkemioDialect): Function[] {
  const cached = defined.get(dialect);
  if (cached) return [...cached];
  const classes = new Map<string, Function>();
  const kit = createEntityKit(dialect, (table) => classes.get(table));
  const tables = (Object.keys(ENTITY_DEFINERS) as AlkemioEntityTable[]).sort();
  for (const table of tables) classes.set(table, ENTITY_DEFINERS[table](kit));
  const list = tables.map((t) => classes.get(t) as Function);
  defined.set(dialect, list);
  return [...list];
}
