import { ConvergeError } from '../../src/core/errors';
import {
  ConnectionInfo,
  describeConnection,
  maskSecrets,
  parseConnectionUrl,
  toUrl,
  withDatabase,
} from '../../src/core/connection-url';

function urlError(fn: () => unknown): ConvergeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConvergeError);
    return e as ConvergeError;
  }
  throw new Error('expected a ConvergeError, the URL parsed');
}

const SECRET = 'S3cr3t-p@ss:w/rd?#&= %ü';

describe('parseConnectionUrl', () => {
  test('splits a mysql URL with defaults for port and user', () => {
    expect(parseConnectionUrl('mysql://127.0.0.1/kratos', 'mysql', '--source')).toEqual({
      kind: 'mysql',
      host: '127.0.0.1',
      port: 3306,
      user: 'root',
      password: undefined,
      database: 'kratos',
      params: {},
    });
    expect(parseConnectionUrl('mariadb://app@db', 'mysql', '--source')).toMatchObject({
      kind: 'mysql',
      user: 'app',
      port: 3306,
      database: undefined,
    });
  });

  test('decodes user, password and database; lower-cases parameter names; unbrackets IPv6', () => {
    const info = parseConnectionUrl(
      'postgresql://app%20user:p%40ss%3Aw%2Fd@[::1]:5433/my%20db?sslmode=require&SSL-CA=/etc/ca.pem',
      'postgres',
      '--target',
    );
    expect(info).toEqual({
      kind: 'postgres',
      host: '::1',
      port: 5433,
      user: 'app user',
      password: 'p@ss:w/d',
      database: 'my db',
      params: { sslmode: 'require', 'ssl-ca': '/etc/ca.pem' },
    });
  });

  test('postgres defaults: port 5432, user postgres', () => {
    expect(parseConnectionUrl('postgres://localhost', 'postgres', '--target')).toMatchObject({
      port: 5432,
      user: 'postgres',
    });
  });

  test.each([
    ['a scheme of the other engine', 'postgres://u:hunter2@h/db', 'mysql'],
    ['an unknown scheme', 'http://u:hunter2@h/db', 'mysql'],
    ['port 0', 'mysql://u:hunter2@h:0/db', 'mysql'],
    ['port above 65535', 'mysql://u:hunter2@h:70000/db', 'mysql'],
    ['a port that is not a number', 'mysql://u:hunter2@h:abc/db', 'mysql'],
    ['text that is not a URL', 'u:hunter2 at h', 'postgres'],
  ] as const)('%s is CONFIG_URL, and the message does not echo the password', (_what, raw, kind) => {
    const e = urlError(() => parseConnectionUrl(raw, kind, '--source'));
    expect(e.code).toBe('CONFIG_URL');
    expect(e.context.key).toBe('--source');
    expect(e.message).not.toContain('hunter2');
    expect(e.describe()).not.toContain('hunter2');
  });

  test('a raw % in the password (not percent-encoded) is CONFIG_URL, not a bare URIError', () => {
    const e = urlError(() => parseConnectionUrl('postgres://app:100%sure@h/db', 'postgres', '--target'));
    expect(e.code).toBe('CONFIG_URL');
    expect(e.message).not.toContain('100%sure');
  });
});

describe('describeConnection', () => {
  test('prints scheme, user, host, port and database, never the password', () => {
    const info = parseConnectionUrl(
      `postgres://app:${encodeURIComponent(SECRET)}@db.example:6432/converge`,
      'postgres',
      '--target',
    );
    expect(info.password).toBe(SECRET);
    const text = describeConnection(info);
    expect(text).toBe('postgres://app@db.example:6432/converge');
    expect(text).not.toContain('S3cr3t');
  });

  test('an IPv6 host is bracketed so the port stays readable', () => {
    const info = parseConnectionUrl('mysql://root:pw@[::1]:3307/db', 'mysql', '--source');
    expect(describeConnection(info)).toBe('mysql://root@[::1]:3307/db');
  });

  test('no database, no trailing slash', () => {
    expect(describeConnection(parseConnectionUrl('mysql://h', 'mysql', 's'))).toBe('mysql://root@h:3306');
  });
});

describe('toUrl', () => {
  test('round-trips special characters in user, password and database', () => {
    const info: ConnectionInfo = {
      kind: 'postgres',
      host: 'db.example',
      port: 5432,
      user: 'app user',
      password: SECRET,
      database: 'd b/é',
      params: { sslmode: 'require' },
    };
    const url = toUrl(info);
    expect(url).not.toContain(SECRET);
    expect(parseConnectionUrl(url, 'postgres', 'x')).toEqual(info);
  });

  test('round-trips IPv6 hosts and a missing password', () => {
    const info: ConnectionInfo = {
      kind: 'mysql',
      host: '::1',
      port: 3307,
      user: 'root',
      password: undefined,
      database: 'k',
      params: {},
    };
    expect(toUrl(info)).toBe('mysql://root@[::1]:3307/k');
    expect(parseConnectionUrl(toUrl(info), 'mysql', 'x')).toEqual(info);
  });

  test('withDatabase copies without sharing params', () => {
    const info = parseConnectionUrl('postgres://h/a?sslmode=disable', 'postgres', 'x');
    const other = withDatabase(info, 'b');
    other.params.sslmode = 'require';
    expect(info.params.sslmode).toBe('disable');
    expect(other.database).toBe('b');
  });
});

describe('maskSecrets', () => {
  test('masks the secret, its URL-encoded form and any URL credential', () => {
    const text = `connect postgres://app:${encodeURIComponent(SECRET)}@h/db failed; password was ${SECRET}; mysql://root:other@h`;
    const masked = maskSecrets(text, [SECRET]);
    expect(masked).toBe('connect postgres://app:****@h/db failed; password was ****; mysql://root:****@h');
  });

  test('ignores undefined and empty secrets and leaves other text alone', () => {
    expect(maskSecrets('nothing secret: a@b', [undefined, ''])).toBe('nothing secret: a@b');
  });
});
