import type { MysqlConnection } from '../../src/source/mysql/connect';
import { readMysqlCatalog } from '../../src/source/mysql/catalog';

/**
 * The JSON-checks query may fail only because the server has no CHECK_CONSTRAINTS view (MySQL
 * before 8.0.16); a lost connection or a missing privilege must not turn MariaDB JSON into text.
 */
function fakeConnection(jsonChecksError: unknown): MysqlConnection {
  return {
    query: async (sql: string) => {
      if (sql.includes('FROM information_schema.CHECK_CONSTRAINTS')) throw jsonChecksError;
      return [[], []];
    },
  } as unknown as MysqlConnection;
}

test('no CHECK_CONSTRAINTS view: no JSON checks, the catalog reads', async () => {
  const unknownTable = Object.assign(new Error("Unknown table 'CHECK_CONSTRAINTS' in information_schema"), {
    code: 'ER_UNKNOWN_TABLE',
    errno: 1109,
  });
  await expect(readMysqlCatalog(fakeConnection(unknownTable), 'db')).resolves.toEqual([]);
});

test('a lost connection or a refused privilege while reading the JSON checks fails the catalog', async () => {
  const lost = Object.assign(new Error('Connection lost: The server closed the connection.'), {
    code: 'PROTOCOL_CONNECTION_LOST',
    fatal: true,
  });
  const denied = Object.assign(new Error('SELECT command denied'), {
    code: 'ER_TABLEACCESS_DENIED_ERROR',
    errno: 1142,
  });
  await expect(readMysqlCatalog(fakeConnection(lost), 'db')).rejects.toBe(lost);
  await expect(readMysqlCatalog(fakeConnection(denied), 'db')).rejects.toBe(denied);
});
