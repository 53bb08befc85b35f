import type { MysqlConnection } from './connect';
import { ensureRowReaderInternals } from './driver-internals';

/** Receives field i of a row as buf[start, end), or buf null for SQL NULL; then the row's end. */
export interface RowBytesSink {
  field(i: number, buf: Buffer | null, start: number, end: number): void;
  endRow(): void;
}

export interface RowBytesQuery {
  /** Stop reading from the socket (the server then waits); resume() continues. */
  pause(): void;
  resume(): void;
  /** Resolves with the row count when the result is complete; rejects on a server error. */
  done: Promise<number>;
}

interface CoreQuery {
  row: (packet: Packet, connection: unknown) => unknown;
}
interface Packet {
  buffer: Buffer;
  offset: number;
  end: number;
  isEOF(): boolean;
}
interface CoreConnection {
  query(o: object, params: unknown[], cb: (err: Error | null) => void): CoreQuery;
  pause(): void;
  resume(): void;
}

/**
 * Runs a query and hands every row's fields to `sink` as byte ranges of the packet the server
 * sent, in the text protocol's own form (the server's text; binary columns as their bytes):
 * no JS string, object or array per value. This is what makes an export as fast as the
 * server's own client. It reads mysql2's text-protocol packets through the Query command's row
 * state (mysql2 3.x); the export type tests cover every column type through it.
 */
export function queryRowBytes(
  conn: MysqlConnection,
  sql: string,
  params: unknown[],
  columns: number,
  sink: RowBytesSink,
): RowBytesQuery {
  ensureRowReaderInternals(); // once per process; export and migrate already ran it at start-up
  const core = (conn as unknown as { connection: CoreConnection }).connection;
  let rows = 0;
  const done = new Promise<number>((resolve, reject) => {
    // With a callback, mysql2 reports a lost connection to the query itself (without one, only
    // the connection hears of it and the query would wait forever). Rows are never collected:
    // the row state below replaces the code that would collect them.
    const q = core.query({ sql, rowsAsArray: true }, params, (err: Error | null) =>
      err ? reject(err) : resolve(rows),
    );
    const proto = Object.getPrototypeOf(q) as CoreQuery;
    // fieldsEOF hands over to `this.row`: an own property replaces the row parser for this query.
    q.row = function (this: CoreQuery, packet: Packet, connection: unknown) {
      if (packet.isEOF()) return proto.row.call(this, packet, connection);
      readRow(packet.buffer, packet.offset, columns, sink);
      rows++;
      return q.row;
    };
  });
  return { pause: () => core.pause(), resume: () => core.resume(), done };
}

/** Walks the length-encoded fields of one text-protocol row (0xfb = NULL). */
export function readRow(buf: Buffer, offset: number, columns: number, sink: RowBytesSink): void {
  let p = offset;
  for (let i = 0; i < columns; i++) {
    const first = buf[p++];
    let len: number;
    if (first < 0xfb) len = first;
    else if (first === 0xfb) {
      sink.field(i, null, 0, 0);
      continue;
    } else if (first === 0xfc) {
      len = buf[p] | (buf[p + 1] << 8);
      p += 2;
    } else if (first === 0xfd) {
      len = buf[p] | (buf[p + 1] << 8) | (buf[p + 2] << 16);
      p += 3;
    } else {
      len = buf.readUInt32LE(p) + buf.readUInt32LE(p + 4) * 0x100000000;
      p += 8;
    }
    sink.field(i, buf, p, p + len);
    p += len;
  }
  sink.endRow();
}
