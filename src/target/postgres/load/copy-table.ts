import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ConvergeError, messageOf } from '../../../core/errors';
import { qualifiedPg, quotePg } from '../connect';
import { parseCopyContext, parseKeyDetail, rowAtLine, rowWithValues } from './locate-row';

export interface CopyRequest {
  schema: string;
  table: string;
  columns: string[];
  files: string[];
  /** The table errors name when COPY goes into a staging table on its behalf. */
  label?: string;
}

/**
 * COPYs CSV files into a table on a client that is already inside a transaction. Returns rows
 * loaded (from the server's COPY n tag). A rejected row becomes a LOAD_REJECTED error naming
 * table, CSV file and line, column, constraint, detail and the row itself.
 */
export async function copyIntoTable(client: Client, req: CopyRequest): Promise<number> {
  let rows = 0;
  const target = qualifiedPg(req.schema, req.table);
  const cols = req.columns.map(quotePg).join(', ');
  for (const file of req.files) {
    const copy = client.query(copyFrom(`COPY ${target} (${cols}) FROM STDIN WITH (FORMAT csv, HEADER true)`));
    try {
      // Destroying the COPY stream on a read error sends CopyFail, so the server aborts cleanly.
      await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), copy);
    } catch (e) {
      throw await describeCopyError(e, req, file);
    }
    rows += Number(copy.rowCount ?? 0);
  }
  return rows;
}

/** SQLSTATE class 08 (connection exception) and 57P01–57P03 (admin shutdown, crash, cannot connect now). */
export function isConnectionLoss(code: string | undefined): boolean {
  return !!code && (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03');
}

/** Turns a Postgres error into an operator-ready message with the offending CSV row. */
export async function describeCopyError(e: unknown, req: CopyRequest, file: string): Promise<ConvergeError> {
  const pe = e as {
    code?: string;
    detail?: string;
    constraint?: string;
    column?: string;
    where?: string;
    message?: string;
  };
  if (!pe.code && /Connection terminated|ECONNRESET|EPIPE|connection.*(closed|ended)/i.test(messageOf(e))) {
    return new ConvergeError(
      'CONNECT_FAILED',
      `the Postgres connection was lost while loading ${req.label ?? req.table}: ${messageOf(e)}; nothing of this table was committed — re-run the import (with --resume)`,
      { stage: 'import', table: req.label ?? req.table, file },
      { cause: e },
    );
  }
  if (!pe.code) {
    return new ConvergeError(
      'IO_FAILED',
      `cannot stream ${file} into ${req.label ?? req.table}: ${messageOf(e)}`,
      { stage: 'import', table: req.label ?? req.table, file },
      { cause: e },
    );
  }
  if (isConnectionLoss(pe.code)) {
    // The server went away (terminated backend, shutdown, network): not a bad row. The table's
    // transaction died with the connection, so nothing of it was committed.
    return new ConvergeError(
      'CONNECT_FAILED',
      `the Postgres connection was lost while loading ${req.label ?? req.table} (${pe.code}: ${pe.message}); nothing of this table was committed — re-run the import (with --resume)`,
      { stage: 'import', table: req.label ?? req.table, file, sqlstate: pe.code },
      { cause: e },
    );
  }
  const ctx = parseCopyContext(pe.where);
  let located = ctx.line ? await rowAtLine(file, ctx.line).catch(() => undefined) : undefined;
  if (!located && (pe.code === '23503' || pe.code === '23505')) {
    const key = parseKeyDetail(pe.detail);
    if (key) located = await rowWithValues(file, key).catch(() => undefined);
  }
  const column =
    pe.column ?? ctx.column ?? (parseKeyDetail(pe.detail) ? Object.keys(parseKeyDetail(pe.detail)!)[0] : undefined);
  const what =
    pe.code === '23503'
      ? 'foreign key violation'
      : pe.code === '23505'
        ? 'duplicate key'
        : pe.code === '23502'
          ? 'NULL in a NOT NULL column'
          : pe.code === '23514'
            ? 'check constraint violation'
            : 'row rejected';
  return new ConvergeError(
    'LOAD_REJECTED',
    `${what}: ${pe.message}`,
    {
      stage: 'import',
      table: req.label ?? req.table,
      file,
      csvLine: located?.csvLine,
      column,
      constraint: pe.constraint,
      detail: pe.detail,
      row: located?.row,
      sqlstate: pe.code,
    },
    { cause: e },
  );
}
