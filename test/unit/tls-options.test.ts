import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PeerCertificate } from 'node:tls';
import { parseConnectionUrl } from '../../src/core/connection-url';
import { connectTimeoutMs, statementTimeoutMs } from '../../src/core/settings';
import { tlsFailure, tlsPlan } from '../../src/core/tls';
import { mysqlOptions } from '../../src/source/mysql/connect';
import { pgConfig } from '../../src/target/postgres/connect';

let dir: string;
let ca: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'converge-tls-unit-'));
  ca = path.join(dir, 'ca.pem');
  writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nnot checked here\n-----END CERTIFICATE-----\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pg = (q: string, host = '127.0.0.1') =>
  parseConnectionUrl(`postgres://u:pw@${host}:5432/d?${q}`, 'postgres', '--target');
const my = (q: string, host = '127.0.0.1') =>
  parseConnectionUrl(`mysql://u:pw@${host}:3306/d?${q}`, 'mysql', '--source');

/** What Node's peer certificate looks like for a certificate naming only IP 127.0.0.1. */
const certFor127 = {
  subject: { CN: '127.0.0.1' },
  subjectaltname: 'IP Address:127.0.0.1',
} as unknown as PeerCertificate;

describe('tlsPlan', () => {
  test.each([
    ['', 'prefer', false, false, false],
    ['sslmode=disable', 'disable', false, false, false],
    ['sslmode=allow', 'allow', false, false, false],
    ['sslmode=require', 'require', true, false, false],
    ['sslmode=verify-ca', 'verify-ca', true, true, false],
    ['sslmode=VERIFY-FULL', 'verify-full', true, true, true],
  ])('postgres %s', (q, level, required, chain, host) => {
    expect(tlsPlan(pg(q))).toMatchObject({ level, required, verifyChain: chain, verifyHost: host });
  });

  test.each([
    ['', 'prefer', false],
    ['ssl-mode=DISABLED', 'disable', false],
    ['ssl-mode=PREFERRED', 'prefer', false],
    ['ssl-mode=REQUIRED', 'require', true],
    ['ssl-mode=verify_ca', 'verify-ca', true],
    ['ssl-mode=VERIFY_IDENTITY', 'verify-full', true],
  ])('mysql %s', (q, level, required) => {
    expect(tlsPlan(my(q))).toMatchObject({ level, required });
  });

  test('require with a CA file verifies the chain, as libpq does', () => {
    expect(tlsPlan(pg(`sslmode=require&sslrootcert=${ca}`))).toMatchObject({ verifyChain: true, verifyHost: false });
  });

  test('an unknown mode is refused with the allowed list', () => {
    expect(() => tlsPlan(pg('sslmode=on'))).toThrow(
      /sslmode="on" is not one of disable, allow, prefer, require, verify-ca, verify-full/,
    );
    expect(() => tlsPlan(my('ssl-mode=true'))).toThrow(
      /ssl-mode="true" is not one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY/,
    );
  });

  test('a client certificate without its key is refused', () => {
    expect(() => tlsPlan(my(`ssl-cert=${ca}`))).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringMatching(/ssl-cert and ssl-key must be given together/),
      }),
    );
  });
});

describe('driver options', () => {
  test('pgConfig: verify-full reads the CA and checks the host we connect to', () => {
    const c = pgConfig(pg(`sslmode=verify-full&sslrootcert=${ca}`, 'localhost'));
    const ssl = c.ssl as {
      ca: Buffer;
      rejectUnauthorized: boolean;
      checkServerIdentity: (n: string, c: PeerCertificate) => Error | undefined;
    };
    expect(ssl.rejectUnauthorized).toBe(true);
    expect(ssl.ca.toString()).toContain('not checked here');
    expect(ssl.checkServerIdentity('anything', certFor127)?.message).toMatch(/localhost/);
    const ip = pgConfig(pg(`sslmode=verify-full&sslrootcert=${ca}`)).ssl as typeof ssl;
    expect(ip.checkServerIdentity('anything', certFor127)).toBeUndefined();
  });

  test('pgConfig: verify-ca ignores the host name, require does not verify, prefer/allow/disable are clear text for pools', () => {
    const vca = pgConfig(pg(`sslmode=verify-ca&sslrootcert=${ca}`, 'localhost')).ssl as {
      rejectUnauthorized: boolean;
      checkServerIdentity: (n: string, c: PeerCertificate) => Error | undefined;
    };
    expect(vca.rejectUnauthorized).toBe(true);
    expect(vca.checkServerIdentity('localhost', certFor127)).toBeUndefined();
    expect(pgConfig(pg('sslmode=require')).ssl).toMatchObject({ rejectUnauthorized: false });
    for (const m of ['prefer', 'allow', 'disable']) expect(pgConfig(pg(`sslmode=${m}`)).ssl).toBe(false);
  });

  test('mysqlOptions: VERIFY_IDENTITY verifies chain and identity; REQUIRED encrypts only; PREFERRED is clear text for pools', () => {
    const v = mysqlOptions(my(`ssl-mode=VERIFY_IDENTITY&ssl-ca=${ca}`));
    expect(v.ssl).toMatchObject({ rejectUnauthorized: true, verifyIdentity: true });
    expect(typeof v.stream).toBe('function'); // IP host: the socket carries the address for the identity check
    expect(mysqlOptions(my(`ssl-mode=VERIFY_CA&ssl-ca=${ca}`)).ssl).toMatchObject({
      rejectUnauthorized: true,
      verifyIdentity: false,
    });
    expect(mysqlOptions(my('ssl-mode=REQUIRED')).ssl).toMatchObject({
      rejectUnauthorized: false,
      verifyIdentity: false,
    });
    expect(mysqlOptions(my('')).ssl).toBeUndefined();
  });

  test('a missing CA file is a configuration error naming the parameter', () => {
    expect(() => pgConfig(pg('sslmode=verify-full&sslrootcert=/nonexistent/ca.pem'))).toThrow(
      /cannot read sslrootcert file \/nonexistent\/ca.pem/,
    );
    expect(() => mysqlOptions(my('ssl-mode=VERIFY_CA&ssl-ca=/nonexistent/ca.pem'))).toThrow(/cannot read ssl-ca file/);
  });

  test('server-public-key installs the key for caching_sha2_password', () => {
    const key = path.join(dir, 'server.pub');
    writeFileSync(key, '-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----\n');
    const o = mysqlOptions(my(`server-public-key=${key}`));
    expect(Object.keys(o.authPlugins ?? {}).sort()).toEqual(['caching_sha2_password', 'sha256_password']);
  });

  test('time-outs come from the URL, with a bounded default', () => {
    expect(pgConfig(pg('')).connectionTimeoutMillis).toBe(10_000);
    expect(pgConfig(pg('connect_timeout=3')).connectionTimeoutMillis).toBe(3000);
    expect(mysqlOptions(my('connect_timeout_ms=1500')).connectTimeout).toBe(1500);
    expect(pgConfig(pg('statement_timeout_ms=2000')).statement_timeout).toBe(2000);
    expect(pgConfig(pg('')).statement_timeout).toBeUndefined();
    expect(statementTimeoutMs(pg('statement_timeout_ms=0'))).toBeUndefined();
    expect(() => connectTimeoutMs(pg('connect_timeout=0'))).toThrow(/connect_timeout="0" .* must be a positive number/);
  });
});

describe('tlsFailure messages', () => {
  const plan = tlsPlan(my('ssl-mode=VERIFY_IDENTITY'));
  test('an untrusted chain says to check ssl-ca and names the server', () => {
    const e = tlsFailure(
      Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'HANDSHAKE_SSL_ERROR' }),
      my(''),
      plan,
    );
    expect(e?.message).toMatch(/^certificate verify failed for mysql:\/\/u@127\.0\.0\.1:3306\/d .*check ssl-ca/);
    expect(e?.message).not.toContain('pw');
  });
  test('a host mismatch names the host', () => {
    const err = Object.assign(new Error("Hostname/IP does not match certificate's altnames"), {
      reason: 'IP: 10.0.0.1 is not in the cert list',
      cert: {},
    });
    expect(tlsFailure(err, my('', '10.0.0.1'), plan)?.message).toMatch(
      /^server certificate does not match host "10\.0\.0\.1"/,
    );
  });
  test('no TLS on the server is a refusal to downgrade', () => {
    const err = Object.assign(new Error('Server does not support secure connection'), {
      code: 'HANDSHAKE_NO_SSL_SUPPORT',
    });
    expect(tlsFailure(err, my(''), plan)?.message).toMatch(
      /does not offer TLS, and ssl-mode=VERIFY_IDENTITY requires it; refusing to connect in clear text/,
    );
  });
  test('anything else is not a TLS failure', () => {
    expect(
      tlsFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), my(''), plan),
    ).toBeUndefined();
  });
});
