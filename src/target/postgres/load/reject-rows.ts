import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ConvergeError } from '../../../core/errors';
import { ensurePrivateDir } from '../../../core/private-files';
import { encodeRecord } from '../../../csv/csv-encode';
import { readCsvBatches } from '../../../csv/read-csv';
import { qualifiedPg, quotePg } from '../connect';
import { classifyLoadError } from './load-error';
import { deleteReplaced, insertSelect } from './staged-sql';
import type { TablePlan } from './load-plan';

const BATCH = 2000;

interface Rec {
  file: string;
  line: number;
  fields: Array<string | null>;
}

/**
 * `--collect-errors N` (rehearsals): rows Postgres rejects are written to
 * `<dir>/<schema.table>.rejects.csv` — csv_line, sqlstate, reason, then the row's own columns —
 * and the load goes on, until more than N rows in all have been rejected.
 */
export class RejectSink {
  count = 0;
  readonly perTable = new Map<string, number>();
  private readonly started = new Set<string>();

  constructor(
    readonly dir: string,
    readonly limit: number,
  ) {}

  fileOf(table: string): string {
    return path.join(this.dir, `${table}.rejects.csv`);
  }

  async add(t: TablePlan, rec: Rec, e: unknown): Promise<void> {
    const pe = e as { code?: string; message?: string; detail?: string; constraint?: string; column?: string };
    this.count++;
    this.perTable.set(t.key, (this.perTable.get(t.key) ?? 0) + 1);
    if (this.count > this.limit) {
      throw new ConvergeError(
        'LOAD_REJECTED',
        `more than ${this.limit} rows rejected (--collect-errors ${this.limit}); the last: ${pe.message}`,
        {
          stage: 'import',
          table: t.key,
          file: rec.file,
          csvLine: rec.line,
          constraint: pe.constraint,
          detail: pe.detail,
          sqlstate: pe.code,
        },
      );
    }
    const file = this.fileOf(t.key);
    if (!this.started.has(t.key)) {
      await ensurePrivateDir(this.dir);
      await fsp.writeFile(file, encodeRecord(['csv_line', 'sqlstate', 'reason', ...t.columns]), { mode: 0o600 });
      this.started.add(t.key);
    }
    const reason = [
      pe.message,
      pe.detail,
      pe.constraint ? `constraint ${pe.constraint}` : undefined,
      pe.column ? `column ${pe.column}` : undefined,
    ]
      .filter(Boolean)
      .join('; ');
    await fsp.appendFile(
      file,
      encodeRecord([`${path.basename(rec.file)}:${rec.line}`, pe.code ?? null, reason, ...rec.fields]),
    );
  }
}

/** Data errors (class 22) and integrity violations (class 23) reject a row; anything else stops the load. */
function rowLevel(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? '';
  return code.startsWith('22') || code.startsWith('23');
}

/**
 * Loads a table batch by batch, each under a savepoint; a failing batch is halved until the bad
 * rows stand alone, and those go to the reject sink. Staged tables pass each batch through a
 * temporary batch table, and keep the accepted rows in `stage` for the cycle fix-up.
 */
export async function loadTableCarefully(
  client: Client,
  t: TablePlan,
  stage: string | undefined,
  sink: RejectSink,
): Promise<number> {
  const batchTable = stage ? `${stage}_b`.slice(0, 63) : undefined;
  if (batchTable)
    await client.query(
      `CREATE TEMP TABLE ${quotePg(batchTable)} ON COMMIT DROP AS SELECT * FROM pg_temp.${quotePg(stage!)} WITH NO DATA`,
    );
  let loaded = 0;
  const insert = async (recs: Rec[]): Promise<void> => {
    const text = encodeRecord(t.columns) + recs.map((r) => encodeRecord(r.fields)).join('');
    if (!batchTable) {
      await copyText(
        client,
        `COPY ${qualifiedPg(t.schema, t.table)} (${t.columns.map(quotePg).join(', ')}) FROM STDIN WITH (FORMAT csv, HEADER true)`,
        text,
      );
      return;
    }
    await client.query(`TRUNCATE pg_temp.${quotePg(batchTable)}`);
    await copyText(
      client,
      `COPY pg_temp.${quotePg(batchTable)} (${t.columns.map(quotePg).join(', ')}) FROM STDIN WITH (FORMAT csv, HEADER true)`,
      text,
    );
    const del = deleteReplaced(t, batchTable);
    if (del) await client.query(del);
    await client.query(insertSelect(t, batchTable));
    await client.query(`INSERT INTO pg_temp.${quotePg(stage!)} SELECT * FROM pg_temp.${quotePg(batchTable)}`);
  };
  const attempt = async (recs: Rec[]): Promise<void> => {
    await client.query('SAVEPOINT converge_batch');
    try {
      await insert(recs);
      await client.query('RELEASE SAVEPOINT converge_batch');
      loaded += recs.length;
      return;
    } catch (e) {
      await client.query('ROLLBACK TO SAVEPOINT converge_batch');
      await client.query('RELEASE SAVEPOINT converge_batch');
      // Not a bad row (a lost connection, a bug): halving the batch will not help, and it is no rejection.
      if (!rowLevel(e)) throw classifyLoadError(e, { stage: 'import', table: t.key });
      if (recs.length === 1) return sink.add(t, recs[0], e);
    }
    const mid = Math.ceil(recs.length / 2);
    await attempt(recs.slice(0, mid));
    await attempt(recs.slice(mid));
  };
  for (const file of t.files) {
    let pending: Rec[] = [];
    for await (const batch of readCsvBatches({ file, expectHeader: t.columns })) {
      for (const r of batch) pending.push({ file, line: r.line, fields: r.fields });
      while (pending.length >= BATCH) {
        await attempt(pending.slice(0, BATCH));
        pending = pending.slice(BATCH);
      }
    }
    if (pending.length) await attempt(pending);
  }
  if (batchTable) await client.query(`DROP TABLE IF EXISTS pg_temp.${quotePg(batchTable)}`);
  return loaded;
}

async function copyText(client: Client, sql: string, text: string): Promise<void> {
  await pipeline(Readable.from([Buffer.from(text, 'utf8')]), client.query(copyFrom(sql)));
}
