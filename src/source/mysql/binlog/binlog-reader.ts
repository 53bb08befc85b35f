import type { Logger } from 'pino';
import type { ConnectionInfo } from '../../../core/connection-url';
import { ConvergeError, messageOf } from '../../../core/errors';
import type { MysqlTable } from '../catalog';
import { mysqlOptions } from '../connect';
import type { BinlogPosition } from './binlog-check';
import { binlogFields } from './binlog-text';
import { ddlStatement, DdlStatement } from './ddl-statement';

/** One row changed by a source transaction, as export text in the table's column order. */
export interface RowChange {
  table: string;
  kind: 'insert' | 'update' | 'delete';
  before?: Array<string | null>;
  after?: Array<string | null>;
}

/**
 * What the follow consumes, in the source's commit order: a committed transaction's row changes
 * of this database (none, for a commit elsewhere: it still moves the position), or a statement
 * that changes a table without row events (DDL, TRUNCATE). `position` is where reading resumes
 * after it; `at` the commit's time on the source (ms), for the lag; `gtid` the transaction's
 * MariaDB GTID ("domain-server-sequence"), when the server sent one.
 */
export type SourceEvent =
  | { kind: 'commit'; position: BinlogPosition; at: number; gtid?: string; changes: RowChange[] }
  | { kind: 'statement'; position: BinlogPosition; at: number; gtid?: string; statement: DdlStatement };

export interface BinlogReader {
  events: AsyncIterable<SourceEvent>;
  close(): Promise<void>;
}

/** Transactions held before the binlog connection is paused (backpressure to the server's socket). */
const HIGH_WATER = 64;
const LOW_WATER = 8;

interface Zongji {
  options: { filename?: string; position?: number };
  connection: { pause(): void; resume(): void } | null;
  on(ev: string, fn: (x: never) => void): void;
  start(o: Record<string, unknown>): void;
  stop(): void;
}

interface ZEvent {
  getEventName(): string;
  timestamp: number;
  tableId?: number;
  tableMap?: Record<number, { parentSchema: string; tableName: string }>;
  rows?: Array<Record<string, unknown> | { before: Record<string, unknown>; after: Record<string, unknown> }>;
  query?: string;
  schema?: string;
  /** The GTID of the transaction the event belongs to (MariaDB: domain-server-sequence). */
  gtid?: string;
}

/**
 * Reads the source's binary log from `from` with @vlasky/zongji (a replica connection, as
 * mysqlbinlog --read-from-remote-server does), and turns its events into committed
 * transactions of `database`'s tables. Rows of tables outside `tables` are errors unless their
 * name is in `ignore` (tables the mapping skips or the pipeline excludes).
 */
export function openBinlogReader(o: {
  source: ConnectionInfo;
  database: string;
  from: BinlogPosition;
  tables: Map<string, MysqlTable>;
  ignore: Set<string>;
  log: Logger;
}): BinlogReader {
  // ESM-only package, loaded when following (Node 20.19+ requires ES modules synchronously).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ZongJi = require('@vlasky/zongji').default as new (dsn: Record<string, unknown>) => Zongji;
  const queue: SourceEvent[] = [];
  let failure: unknown;
  let wake: (() => void) | undefined;
  let paused = false;
  let closed = false;
  let changes: RowChange[] = [];
  const z = new ZongJi({ ...mysqlOptions(o.source), jsonStrings: true, dateStrings: true, timezone: 'Z' });
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const push = (e: SourceEvent) => {
    queue.push(e);
    if (!paused && queue.length >= HIGH_WATER && z.connection) {
      paused = true;
      z.connection.pause();
    }
    notify();
  };
  const fail = (e: unknown) => {
    failure ??= e;
    notify();
  };
  const here = (): BinlogPosition => ({ file: z.options.filename!, position: z.options.position! });

  const rowsOf = (ev: ZEvent, kind: RowChange['kind']) => {
    const map = ev.tableMap?.[ev.tableId!];
    if (!map || map.parentSchema !== o.database) return;
    const table = o.tables.get(map.tableName);
    if (!table) {
      if (o.ignore.has(map.tableName)) return;
      throw new ConvergeError(
        'FOLLOW_DDL',
        `rows of table ${map.tableName} changed, which the mapping does not name (created after the snapshot?): add it to the mapping and migrate again`,
        { stage: 'follow', table: map.tableName },
      );
    }
    for (const r of ev.rows ?? []) {
      if (kind === 'update') {
        const u = r as { before: Record<string, unknown>; after: Record<string, unknown> };
        changes.push({
          table: table.name,
          kind,
          before: binlogFields(table, u.before),
          after: binlogFields(table, u.after),
        });
      } else if (kind === 'insert')
        changes.push({ table: table.name, kind, after: binlogFields(table, r as Record<string, unknown>) });
      else changes.push({ table: table.name, kind, before: binlogFields(table, r as Record<string, unknown>) });
    }
  };

  z.on('binlog', (ev: ZEvent) => {
    if (closed || failure) return;
    try {
      switch (ev.getEventName()) {
        case 'writerows':
          return rowsOf(ev, 'insert');
        case 'updaterows':
          return rowsOf(ev, 'update');
        case 'deleterows':
          return rowsOf(ev, 'delete');
        case 'xid':
          push({ kind: 'commit', position: here(), at: ev.timestamp, gtid: ev.gtid, changes });
          changes = [];
          return;
        case 'query': {
          const q = ev.query ?? '';
          if (/^\s*BEGIN\b/i.test(q)) {
            changes = [];
            return;
          }
          if (/^\s*COMMIT\b/i.test(q)) {
            // A commit of a non-transactional engine's statement (MyISAM), or XA COMMIT.
            push({ kind: 'commit', position: here(), at: ev.timestamp, gtid: ev.gtid, changes });
            changes = [];
            return;
          }
          const st = ddlStatement(q, ev.schema ?? '');
          if (st && st.tables.some((t) => t.database === o.database))
            push({ kind: 'statement', position: here(), at: ev.timestamp, gtid: ev.gtid, statement: st });
          // A statement elsewhere still moves the position.
          else push({ kind: 'commit', position: here(), at: ev.timestamp, gtid: ev.gtid, changes: [] });
          return;
        }
        case 'rotate':
        case 'format':
        case 'mariadbgtidlist':
        case 'binlogcheckpoint':
        case 'heartbeat':
          // Between transactions: the position moves though nothing changed (a new file, say),
          // and the follower must see it to reach a stop position that lies there.
          if (!changes.length) push({ kind: 'commit', position: here(), at: ev.timestamp || Date.now(), changes: [] });
          return;
        case 'partialupdaterows':
        case 'transactionpayload':
          throw new ConvergeError(
            'BINLOG_UNSUITABLE',
            `the binary log holds ${ev.getEventName()} events, which cannot be decoded: set binlog_row_value_options='' and binlog_transaction_compression=OFF on the source`,
            { stage: 'follow' },
          );
        default:
          return;
      }
    } catch (e) {
      fail(e);
    }
  });
  z.on('error', (e: { errno?: number; code?: string; message?: string }) => fail(binlogError(e, o.from)));
  z.start({
    // A replica id of its own: two followers (or a follower and a real replica) with one id
    // would disconnect each other.
    serverId: 0x40000000 + Math.floor(Math.random() * 0x3fffffff),
    filename: o.from.file,
    position: o.from.position,
    // The header events of a new file too: right after a rotation a snapshot's position and the
    // log's end lie after them, and only delivered events move the follower's position.
    includeEvents: [
      'rotate',
      'format',
      'mariadbgtidlist',
      'binlogcheckpoint',
      'tablemap',
      'writerows',
      'updaterows',
      'deleterows',
      'xid',
      'query',
      'partialupdaterows',
      'transactionpayload',
    ],
    includeSchema: { [o.database]: true },
  });

  async function* events(): AsyncGenerator<SourceEvent> {
    for (;;) {
      if (failure) throw failure;
      const e = queue.shift();
      if (e) {
        if (paused && queue.length <= LOW_WATER && z.connection) {
          paused = false;
          z.connection.resume();
        }
        yield e;
        continue;
      }
      if (closed) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  }

  return {
    events: events(),
    async close() {
      closed = true;
      notify();
      try {
        z.stop();
      } catch (e) {
        o.log.debug({ err: messageOf(e) }, 'closing the binlog connection failed');
      }
    },
  };
}

/** The client's errors as converge's: a purged or unknown position by name, the rest as a lost source. */
function binlogError(e: { errno?: number; code?: string; message?: string }, from: BinlogPosition): ConvergeError {
  const msg = e.message ?? String(e);
  if (e.errno === 1236 || /could not find first log file|purged|log event entry exceeded/i.test(msg))
    return new ConvergeError(
      'BINLOG_PURGED',
      `the source cannot send its binary log from ${from.file}:${from.position}: ${msg}; run converge migrate again`,
      { stage: 'follow', file: from.file },
      { cause: e },
    );
  if (e.errno === 1227 || e.errno === 1045)
    return new ConvergeError(
      'BINLOG_UNSUITABLE',
      `the source refused to send its binary log: ${msg} (the user needs REPLICATION SLAVE and REPLICATION CLIENT)`,
      { stage: 'follow' },
      { cause: e },
    );
  return new ConvergeError(
    'CONNECT_FAILED',
    `reading the source's binary log failed: ${msg}`,
    { stage: 'follow' },
    { cause: e },
  );
}
