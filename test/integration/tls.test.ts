import { promises as fsp } from 'node:fs';
import { Client } from 'pg';
import { parseConnectionUrl } from '../../src/core/connection-url';
import { ConvergeError } from '../../src/core/errors';
import { resolveSource, resolveTarget } from '../../src/core/settings';
import { MysqlConnection, openMysql } from '../../src/source/mysql/connect';
import { openPg } from '../../src/target/postgres/connect';
import {
  makeTestCerts,
  PrivateServer,
  startAll,
  startPrivateMariadb,
  startPrivatePostgres,
  TestCerts,
} from '../helpers/private-servers';

/**
 * TLS on both ends against private servers with certificates made here: the server certificate
 * names only IP 127.0.0.1, so "localhost" is the wrong host name.
 */
let certs: TestCerts;
let pgTls: PrivateServer;
let pgPlain: PrivateServer;
let myTls: PrivateServer;
let myPlain: PrivateServer;

beforeAll(async () => {
  certs = await makeTestCerts();
  [pgTls, pgPlain, myTls, myPlain] = await startAll<[PrivateServer, PrivateServer, PrivateServer, PrivateServer]>(
    startPrivatePostgres({ certs, requireTls: true }),
    startPrivatePostgres(),
    startPrivateMariadb({ certs, requireTls: true }),
    startPrivateMariadb(),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all([pgTls, pgPlain, myTls, myPlain].filter(Boolean).map((s) => s.stop()));
  if (certs) await fsp.rm(certs.dir, { recursive: true, force: true });
}, 30_000);

function pgUrl(server: PrivateServer, query: string, host = '127.0.0.1', user = 'postgres') {
  return parseConnectionUrl(`postgres://${user}@${host}:${server.port}/postgres?${query}`, 'postgres', '--target');
}

function myUrl(server: PrivateServer, query: string, host = '127.0.0.1', user = 'root') {
  return parseConnectionUrl(`mysql://${user}@${host}:${server.port}/?${query}`, 'mysql', '--source');
}

async function pgSession(info: ReturnType<typeof pgUrl>): Promise<{ ssl: boolean; user: string }> {
  let client: Client | undefined;
  try {
    client = await openPg(info);
    const r = await client.query('SELECT ssl, current_user AS u FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
    return { ssl: r.rows[0].ssl, user: r.rows[0].u };
  } finally {
    await client?.end();
  }
}

async function mySession(info: ReturnType<typeof myUrl>): Promise<{ cipher: string; user: string }> {
  let conn: MysqlConnection | undefined;
  try {
    conn = await openMysql(info);
    const [rows] = await conn.query(
      "SELECT VARIABLE_VALUE AS c, CURRENT_USER() AS u FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'SSL_CIPHER'",
    );
    const row = (rows as Array<{ c: string; u: string }>)[0];
    return { cipher: row.c, user: row.u };
  } finally {
    await conn?.end();
  }
}

async function failure(p: Promise<unknown>): Promise<ConvergeError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ConvergeError) return e;
    throw e;
  }
  throw new Error('expected the connection to fail');
}

const pgCa = () => `sslrootcert=${encodeURIComponent(certs.ca)}`;
const myCa = () => `ssl-ca=${encodeURIComponent(certs.ca)}`;

describe('Postgres target TLS', () => {
  test('verify-full with the right CA connects encrypted', async () => {
    expect(await pgSession(pgUrl(pgTls, `sslmode=verify-full&${pgCa()}`))).toEqual({ ssl: true, user: 'postgres' });
  });

  test('verify-full with a wrong CA fails and says to check sslrootcert', async () => {
    const e = await failure(
      pgSession(pgUrl(pgTls, `sslmode=verify-full&sslrootcert=${encodeURIComponent(certs.otherCa)}`)),
    );
    expect(e.code).toBe('TLS_FAILED');
    expect(e.message).toMatch(
      /^certificate verify failed for postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres .*check sslrootcert/,
    );
  });

  test('verify-full with a host name the certificate does not name fails; verify-ca does not check it', async () => {
    const e = await failure(pgSession(pgUrl(pgTls, `sslmode=verify-full&${pgCa()}`, 'localhost')));
    expect(e.code).toBe('TLS_FAILED');
    expect(e.message).toMatch(/^server certificate does not match host "localhost"/);
    expect(await pgSession(pgUrl(pgTls, `sslmode=verify-ca&${pgCa()}`, 'localhost'))).toEqual({
      ssl: true,
      user: 'postgres',
    });
  });

  test('a server that requires TLS refuses sslmode=disable, with a message saying what to set', async () => {
    const e = await failure(pgSession(pgUrl(pgTls, 'sslmode=disable')));
    expect(e.code).toBe('TLS_FAILED');
    expect(e.message).toMatch(/refuses connections without TLS; set sslmode=verify-full/);
  });

  test('require against a server without TLS is refused, never downgraded', async () => {
    for (const mode of ['require', `verify-full&${pgCa()}`]) {
      const e = await failure(pgSession(pgUrl(pgPlain, `sslmode=${mode}`)));
      expect(e.code).toBe('TLS_FAILED');
      expect(e.message).toMatch(
        /does not offer TLS, and sslmode=(require|verify-full) requires it; refusing to connect in clear text/,
      );
    }
  });

  test('prefer (the default) uses TLS where offered and clear text where not; allow falls forward to TLS', async () => {
    expect(await pgSession(pgUrl(pgTls, ''))).toEqual({ ssl: true, user: 'postgres' });
    expect(await pgSession(pgUrl(pgPlain, 'sslmode=prefer'))).toEqual({ ssl: false, user: 'postgres' });
    expect(await pgSession(pgUrl(pgTls, 'sslmode=allow'))).toEqual({ ssl: true, user: 'postgres' });
  });

  test('a client certificate authenticates sslcert/sslkey', async () => {
    const q = `sslmode=verify-full&${pgCa()}&sslcert=${encodeURIComponent(certs.clientCert)}&sslkey=${encodeURIComponent(certs.clientKey)}`;
    expect(await pgSession(pgUrl(pgTls, q, '127.0.0.1', 'certuser'))).toEqual({ ssl: true, user: 'certuser' });
    const e = await failure(pgSession(pgUrl(pgTls, `sslmode=verify-full&${pgCa()}`, '127.0.0.1', 'certuser')));
    expect(e.code).toBe('AUTH_FAILED');
  });

  test('TLS settings from the environment reach the connection', async () => {
    const saved = { ...process.env };
    try {
      process.env.CONVERGE_TARGET_SSLMODE = 'verify-full';
      process.env.CONVERGE_TARGET_SSLROOTCERT = certs.otherCa;
      const info = resolveTarget(`postgres://postgres@127.0.0.1:${pgTls.port}/postgres`);
      expect(info.params).toMatchObject({ sslmode: 'verify-full', sslrootcert: certs.otherCa });
      expect((await failure(pgSession(info))).message).toMatch(/certificate verify failed/);
    } finally {
      process.env = saved;
    }
  });
});

describe('MySQL/MariaDB source TLS', () => {
  test('VERIFY_IDENTITY with the right CA connects encrypted', async () => {
    const s = await mySession(myUrl(myTls, `ssl-mode=VERIFY_IDENTITY&${myCa()}`));
    expect(s.cipher).not.toBe('');
    expect(s.user).toMatch(/^root@(localhost|127\.0\.0\.1)$/);
  });

  test('a wrong CA fails and says to check ssl-ca', async () => {
    const e = await failure(
      mySession(myUrl(myTls, `ssl-mode=VERIFY_IDENTITY&ssl-ca=${encodeURIComponent(certs.otherCa)}`)),
    );
    expect(e.code).toBe('TLS_FAILED');
    expect(e.message).toMatch(/^certificate verify failed for mysql:\/\/root@127\.0\.0\.1:\d+ .*check ssl-ca/);
  });

  test('VERIFY_IDENTITY with a host name the certificate does not name fails; VERIFY_CA does not check it', async () => {
    const e = await failure(mySession(myUrl(myTls, `ssl-mode=VERIFY_IDENTITY&${myCa()}`, 'localhost')));
    expect(e.code).toBe('TLS_FAILED');
    expect(e.message).toMatch(/^server certificate does not match host "localhost"/);
    const s = await mySession(myUrl(myTls, `ssl-mode=VERIFY_CA&${myCa()}`, 'localhost'));
    expect(s.cipher).not.toBe('');
  });

  test('a server with require_secure_transport refuses ssl-mode=DISABLED, and the message points at TLS', async () => {
    const e = await failure(mySession(myUrl(myTls, 'ssl-mode=DISABLED')));
    // MariaDB reports this as "access denied" (MySQL 8 has ER_SECURE_TRANSPORT_REQUIRED), so the hint rides along.
    expect(e.code).toBe('AUTH_FAILED');
    expect(e.message).toMatch(
      /this connection was not encrypted, whether the server or user requires TLS \(then set ssl-mode=VERIFY_IDENTITY/,
    );
    expect((e.cause as { code?: string }).code).toBe('ER_ACCESS_DENIED_ERROR');
  });

  test('REQUIRED against a server without TLS is refused, never downgraded', async () => {
    for (const mode of ['REQUIRED', `VERIFY_IDENTITY&${myCa()}`]) {
      const e = await failure(mySession(myUrl(myPlain, `ssl-mode=${mode}`)));
      expect(e.code).toBe('TLS_FAILED');
      expect(e.message).toMatch(
        /does not offer TLS, and ssl-mode=(REQUIRED|VERIFY_IDENTITY) requires it; refusing to connect in clear text/,
      );
    }
  });

  test('PREFERRED (the default) uses TLS where offered and clear text where not', async () => {
    expect((await mySession(myUrl(myTls, ''))).cipher).not.toBe('');
    expect((await mySession(myUrl(myPlain, 'ssl-mode=PREFERRED'))).cipher).toBe('');
  });

  test('a client certificate authenticates with ssl-cert/ssl-key', async () => {
    const q = `ssl-mode=VERIFY_IDENTITY&${myCa()}&ssl-cert=${encodeURIComponent(certs.clientCert)}&ssl-key=${encodeURIComponent(certs.clientKey)}`;
    expect((await mySession(myUrl(myTls, q, '127.0.0.1', 'certuser'))).user).toBe('certuser@%');
    const e = await failure(mySession(myUrl(myTls, `ssl-mode=VERIFY_IDENTITY&${myCa()}`, '127.0.0.1', 'certuser')));
    expect(e.code).toBe('AUTH_FAILED');
  });

  test('a dedicated TLS setting beats the same parameter inside a URL of equal precedence', async () => {
    const saved = { ...process.env };
    try {
      process.env.CONVERGE_SOURCE_URL = `mysql://root@127.0.0.1:${myTls.port}/?ssl-mode=DISABLED`;
      process.env.CONVERGE_SOURCE_SSL_MODE = 'VERIFY_IDENTITY';
      process.env.CONVERGE_SOURCE_SSL_CA = certs.ca;
      const info = resolveSource(undefined);
      expect(info.params['ssl-mode']).toBe('VERIFY_IDENTITY');
      expect((await mySession(info)).cipher).not.toBe('');
    } finally {
      process.env = saved;
    }
  });
});
