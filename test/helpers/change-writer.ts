import { randomBytes, randomUUID } from 'node:crypto';
import mysql, { Connection } from 'mysql2/promise';
import { Prng } from '../../fixtures/demo/prng';

/**
 * An application writing while converge loads and follows: on its own connection, at a steady
 * rate, it inserts, updates and deletes rows of any table of a database it knows nothing about
 * beforehand. Values come from other rows of the same column (so the mapping has seen their
 * kind), keys are fresh (uuid, next integer, random bytes), deletes only hit rows no foreign key
 * points at. Statements the schema refuses (a unique index, a foreign key) are counted, not
 * fatal: a real application's writes fail too. Some writes are grouped in one transaction.
 */
export interface WriterStats {
  inserts: number;
  updates: number;
  deletes: number;
  refused: number;
  transactions: number;
}

interface Col {
  name: string;
  dataType: string;
  columnType: string;
  key: string;
  extra: string;
}

interface Table {
  name: string;
  cols: Col[];
  pk: Col[];
  referenced: boolean;
}

const q = (id: string) => '`' + id.replace(/`/g, '``') + '`';

async function readTables(c: Connection, database: string, exclude: string[]): Promise<Table[]> {
  const [cols] = await c.query(
    `SELECT TABLE_NAME t, COLUMN_NAME name, DATA_TYPE dataType, COLUMN_TYPE columnType, COLUMN_KEY \`key\`, EXTRA extra
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    [database],
  );
  const [refs] = await c.query(
    `SELECT DISTINCT REFERENCED_TABLE_NAME r FROM information_schema.KEY_COLUMN_USAGE
      WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL`,
    [database],
  );
  const referenced = new Set((refs as Array<{ r: string }>).map((r) => r.r));
  const by = new Map<string, Table>();
  for (const r of cols as Array<Col & { t: string }>) {
    if (exclude.includes(r.t)) continue;
    const t = by.get(r.t) ?? { name: r.t, cols: [], pk: [], referenced: referenced.has(r.t) };
    by.set(r.t, t);
    t.cols.push(r);
    if (r.key === 'PRI') t.pk.push(r);
  }
  return [...by.values()].filter((t) => t.pk.length === 1);
}

export function startChangeWriter(
  url: string,
  o: { database: string; perSecond: number; seed: number; exclude?: string[]; onlyTables?: string[] },
): { stop(): Promise<WriterStats>; stats: WriterStats } {
  const stats: WriterStats = { inserts: 0, updates: 0, deletes: 0, refused: 0, transactions: 0 };
  const prng = new Prng(o.seed);
  const rnd = () => prng.next();
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  let stopping = false;
  let failure: unknown;

  const done = (async () => {
    const c = await mysql.createConnection({
      uri: url,
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
    });
    try {
      await c.query("SET time_zone = '+00:00'");
      let tables = await readTables(c, o.database, o.exclude ?? []);
      if (o.onlyTables) tables = tables.filter((t) => o.onlyTables!.includes(t.name));
      // MariaDB's JSON (a LONGTEXT) comes parsed: the writer copies it back as text.
      const asText = (v: unknown) =>
        v !== null && typeof v === 'object' && !Buffer.isBuffer(v) ? JSON.stringify(v) : v;
      const rowsOf = async (t: Table, n: number) =>
        (
          (
            await c.query(`SELECT * FROM ${q(t.name)} ORDER BY RAND(${Math.floor(rnd() * 1e6)}) LIMIT ${n}`)
          )[0] as Array<Record<string, unknown>>
        ).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, asText(v)])));
      const one = async () => {
        const t = pick(tables);
        const rows = await rowsOf(t, 2);
        if (!rows.length) return;
        const pk = t.pk[0];
        const r = rnd();
        if (r < 0.4) {
          const other = rows[1] ?? rows[0];
          const cols = t.cols.filter((c) => c.key !== 'PRI' && !/GENERATED/i.test(c.extra));
          if (!cols.length) return;
          const col = pick(cols);
          await c.query(`UPDATE ${q(t.name)} SET ${q(col.name)} = ? WHERE ${q(pk.name)} = ?`, [
            other[col.name],
            rows[0][pk.name],
          ]);
          stats.updates++;
        } else if (r < 0.8) {
          const row = { ...rows[0] };
          const fresh = await freshKey(c, t, pk);
          if (fresh === undefined) delete row[pk.name];
          else row[pk.name] = fresh;
          for (const col of t.cols) {
            if (/GENERATED/i.test(col.extra)) delete row[col.name];
            else if (col.key === 'UNI' && col.name !== pk.name) row[col.name] = await freshKey(c, t, col);
          }
          const names = Object.keys(row);
          await c.query(
            `INSERT INTO ${q(t.name)} (${names.map(q).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
            names.map((n) => row[n]),
          );
          stats.inserts++;
        } else if (!t.referenced) {
          await c.query(`DELETE FROM ${q(t.name)} WHERE ${q(pk.name)} = ?`, [rows[0][pk.name]]);
          stats.deletes++;
        }
      };
      const gap = 1000 / o.perSecond;
      while (!stopping) {
        const started = Date.now();
        const grouped = rnd() < 0.25;
        try {
          if (grouped) {
            await c.beginTransaction();
            for (let i = 0; i < 3; i++) await one();
            await c.commit();
          } else await one();
          stats.transactions++;
        } catch (e) {
          if (grouped) await c.rollback().catch(() => undefined);
          const errno = (e as { errno?: number }).errno;
          // Duplicate key, foreign key, data too long, bad value: the schema said no.
          if (errno === undefined || ![1062, 1451, 1452, 1406, 1366, 1292, 1048, 1264, 4025, 3140].includes(errno))
            throw e;
          stats.refused++;
        }
        const wait = gap - (Date.now() - started);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    } catch (e) {
      failure = e;
    } finally {
      await c.end().catch(() => undefined);
    }
  })();

  return {
    stats,
    async stop() {
      stopping = true;
      await done;
      if (failure) throw failure;
      return stats;
    },
  };
}

/** A key no row has yet: a uuid for CHAR(36), random bytes for BINARY, the next integer, a random text. */
async function freshKey(c: Connection, t: Table, col: Col): Promise<unknown> {
  if (/auto_increment/i.test(col.extra)) return undefined;
  if (/^(char|varchar)\(36\)/.test(col.columnType) || col.dataType === 'uuid') return randomUUID();
  if (/^(binary|varbinary)\((\d+)\)/.test(col.columnType))
    return randomBytes(Number(/\((\d+)\)/.exec(col.columnType)![1]));
  if (/int$/.test(col.dataType)) {
    const [rows] = await c.query(
      `SELECT COALESCE(MAX(${q(col.name)}), 0) + 1 + FLOOR(RAND() * 1000) AS n FROM ${q(t.name)}`,
    );
    return (rows as Array<{ n: unknown }>)[0].n;
  }
  return `w-${randomUUID().slice(0, 8)}`;
}
