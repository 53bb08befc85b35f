import { ColumnOptions } from 'typeorm';

/** Alkemio ran the same entities on MySQL (legacy) and then on Postgres (baseline). */
export type AlkemioDialect = 'postgres' | 'mysql';

/**
 * The few column types that TypeORM cannot express neutrally. Everything else (boolean → tinyint,
 * json, simple-array, enum, created/updated dates) already differs per driver by itself.
 */
export interface DialectTypes {
  /** A UUID held without a foreign key (createdBy, accountID…): char(36) on MySQL, uuid on Postgres. */
  uuid: ColumnOptions;
  /** A datetime without fractional seconds: datetime on MySQL, timestamp (no time zone) on Postgres. */
  dateTime: ColumnOptions;
  /** MySQL longtext has no Postgres twin; text holds as much. */
  longText: ColumnOptions;
  /** Binary state: mediumblob on MySQL, bytea on Postgres. */
  blob: ColumnOptions;
  /** Matrix message ids: char(44) on MySQL, varchar(44) on Postgres. */
  messageId: ColumnOptions;
}

export function dialectTypes(dialect: AlkemioDialect): DialectTypes {
  if (dialect === 'mysql') {
    return {
      uuid: { type: 'char', length: 36 },
      dateTime: { type: 'datetime' },
      longText: { type: 'longtext' },
      blob: { type: 'mediumblob' },
      messageId: { type: 'char', length: 44 },
    };
  }
  return {
    uuid: { type: 'uuid' },
    dateTime: { type: 'timestamp' },
    longText: { type: 'text' },
    blob: { type: 'bytea' },
    messageId: { type: 'varchar', length: 44 },
  };
}
