import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, promises as fsp, readdirSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * Throw-away database servers for tests that must change server configuration (TLS, pg_hba,
 * require_secure_transport), which the shared servers cannot. Each lives in its own temp
 * directory on 127.0.0.1 and a free port, and is stopped and removed by stop().
 */

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;

export interface TestCerts {
  dir: string;
  /** CA that signed server.crt and client.crt. */
  ca: string;
  /** An unrelated CA: verifying with it must fail. */
  otherCa: string;
  /** Server certificate whose only name is IP 127.0.0.1: "localhost" must fail verify-full. */
  serverCert: string;
  serverKey: string;
  /** Client certificate with CN "certuser", for certificate authentication. */
  clientCert: string;
  clientKey: string;
}

/** Makes a CA, a server and a client certificate signed by it, and a second CA, with the openssl CLI. */
export async function makeTestCerts(): Promise<TestCerts> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-certs-'));
  const f = (name: string) => path.join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await Promise.all([
    run('openssl', [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      f('ca.key'),
      '-out',
      f('ca.crt'),
      '-days',
      '2',
      '-subj',
      '/CN=converge test CA',
    ]),
    run('openssl', [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      f('other-ca.key'),
      '-out',
      f('other-ca.crt'),
      '-days',
      '2',
      '-subj',
      '/CN=unrelated CA',
    ]),
    run('openssl', ['req', ...ec, '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1']),
    run('openssl', ['req', ...ec, '-keyout', f('client.key'), '-out', f('client.csr'), '-subj', '/CN=certuser']),
    fsp.writeFile(
      f('server.ext'),
      'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n',
    ),
    fsp.writeFile(f('client.ext'), 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n'),
  ]);
  const sign = (who: string) =>
    run('openssl', [
      'x509',
      '-req',
      '-in',
      f(`${who}.csr`),
      '-CA',
      f('ca.crt'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-out',
      f(`${who}.crt`),
      '-days',
      '2',
      '-extfile',
      f(`${who}.ext`),
    ]);
  await sign('server');
  await sign('client');
  await Promise.all(['server.key', 'client.key'].map((k) => fsp.chmod(f(k), 0o600)));
  return {
    dir,
    ca: f('ca.crt'),
    otherCa: f('other-ca.crt'),
    serverCert: f('server.crt'),
    serverKey: f('server.key'),
    clientCert: f('client.crt'),
    clientKey: f('client.key'),
  };
}

/**
 * Starts several servers at once; if one fails, stops the others before rethrowing, so a failed
 * beforeAll leaves no process behind.
 */
export async function startAll<T extends PrivateServer[]>(...starts: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(starts);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(settled.map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
    throw failed.reason;
  }
  return settled.map((r) => (r as PromiseFulfilledResult<PrivateServer>).value) as T;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface PrivateServer {
  port: number;
  /** URL without TLS parameters; tests add them. */
  url: string;
  stop(): Promise<void>;
}

export interface PrivateServerOptions {
  /** Serve TLS with these certificates; absent: no TLS at all. */
  certs?: TestCerts;
  /** Refuse connections that do not use TLS. */
  requireTls?: boolean;
  /** MariaDB only: write a binary log of full row images (the export records its position; follow reads it). */
  binlog?: boolean;
}

function pgBin(name: string): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const p = path.join(root, v, 'bin', name);
    if (existsSync(p)) return p;
  }
  return name;
}

/** initdb refuses to run as root: run the server tools as the postgres OS user then. */
async function asPostgres(cmd: string, args: string[], timeout = 30_000): Promise<void> {
  if (isRoot) await run('runuser', ['-u', 'postgres', '--', cmd, ...args], { timeout });
  else await run(cmd, args, { timeout });
}

/** A private PostgreSQL: trust authentication, and with requireTls, pg_hba rejects clear text. */
export async function startPrivatePostgres(opts: PrivateServerOptions = {}): Promise<PrivateServer> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-pg-'));
  const data = path.join(dir, 'data');
  const port = await freePort();
  try {
    if (isRoot) await run('chown', ['postgres', dir]);
    await asPostgres(pgBin('initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '--no-instructions']);
  } catch (e) {
    await fsp.rm(dir, { recursive: true, force: true });
    throw e;
  }
  const conf: string[] = [
    "listen_addresses = '127.0.0.1'",
    `port = ${port}`,
    `unix_socket_directories = '${dir}'`,
    'fsync = off',
    "shared_buffers = '16MB'",
  ];
  const hba: string[] = ['local all all trust'];
  if (opts.certs) {
    for (const [src, dst] of [
      [opts.certs.serverCert, 'server.crt'],
      [opts.certs.serverKey, 'server.key'],
      [opts.certs.ca, 'ca.crt'],
    ]) {
      await fsp.copyFile(src, path.join(data, dst));
      await fsp.chmod(path.join(data, dst), 0o600);
      if (isRoot) await run('chown', ['postgres', path.join(data, dst)]);
    }
    conf.push('ssl = on', "ssl_cert_file = 'server.crt'", "ssl_key_file = 'server.key'", "ssl_ca_file = 'ca.crt'");
    hba.push('hostssl all certuser 127.0.0.1/32 cert');
    if (opts.requireTls) hba.push('hostnossl all all 127.0.0.1/32 reject');
    hba.push('hostssl all all 127.0.0.1/32 trust');
  }
  if (!opts.requireTls) hba.push('host all all 127.0.0.1/32 trust');
  await fsp.appendFile(path.join(data, 'postgresql.conf'), `\n${conf.join('\n')}\n`);
  await fsp.writeFile(path.join(data, 'pg_hba.conf'), `${hba.join('\n')}\n`);
  const log = path.join(dir, 'server.log');
  const ctl = pgBin('pg_ctl');
  try {
    await asPostgres(ctl, ['-D', data, '-l', log, '-w', '-t', '30', 'start'], 40_000);
    if (opts.certs)
      await asPostgres(pgBin('psql'), [
        '-h',
        dir,
        '-p',
        String(port),
        '-U',
        'postgres',
        '-c',
        'CREATE ROLE certuser LOGIN',
        'postgres',
      ]);
  } catch (e) {
    const tail = await fsp.readFile(log, 'utf8').catch(() => '');
    await asPostgres(ctl, ['-D', data, '-m', 'immediate', '-w', '-t', '20', 'stop']).catch(() => undefined);
    await fsp.rm(dir, { recursive: true, force: true });
    throw new Error(`private Postgres did not start: ${(e as Error).message}\n${tail.slice(-2000)}`);
  }
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await asPostgres(ctl, ['-D', data, '-m', 'immediate', '-w', '-t', '20', 'stop']).catch(() => undefined);
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}

/** A private MariaDB: root without password, a "certuser" that must present a client certificate. */
export async function startPrivateMariadb(opts: PrivateServerOptions = {}): Promise<PrivateServer> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-my-'));
  const data = path.join(dir, 'data');
  const port = await freePort();
  const user = isRoot ? ['--user=root'] : [];
  // --no-defaults: the machine's my.cnf (user, log paths, bind address) must not leak in.
  try {
    // Its own tmpdir: two bootstraps at once otherwise collide on temporary table names.
    await run(
      'mariadb-install-db',
      [
        '--no-defaults',
        `--datadir=${data}`,
        `--tmpdir=${dir}`,
        ...user,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
      ],
      { timeout: 30_000 },
    );
  } catch (e) {
    await fsp.rm(dir, { recursive: true, force: true });
    throw e;
  }
  const args = [
    '--no-defaults',
    `--datadir=${data}`,
    `--tmpdir=${dir}`,
    `--socket=${path.join(dir, 'mysqld.sock')}`,
    `--pid-file=${path.join(dir, 'mysqld.pid')}`,
    `--log-error=${path.join(dir, 'error.log')}`,
    '--bind-address=127.0.0.1',
    `--port=${port}`,
    ...(opts.binlog
      ? [`--log-bin=${path.join(dir, 'binlog')}`, '--server-id=1', '--binlog-format=ROW', '--binlog-row-image=FULL']
      : ['--skip-log-bin']),
    '--innodb-buffer-pool-size=16M',
    '--innodb-log-file-size=8M',
    ...user,
  ];
  if (opts.certs)
    args.push(`--ssl-ca=${opts.certs.ca}`, `--ssl-cert=${opts.certs.serverCert}`, `--ssl-key=${opts.certs.serverKey}`);
  if (opts.requireTls) args.push('--require-secure-transport=ON');
  const child: ChildProcess = spawn('mariadbd', args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    }
    await fsp.rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForSocket(path.join(dir, 'mysqld.sock'), port, 30_000, exited);
    const sock = path.join(dir, 'mysqld.sock');
    await run(
      'mariadb',
      [
        '--no-defaults',
        `--socket=${sock}`,
        '-uroot',
        '-e',
        "CREATE USER 'certuser'@'%' REQUIRE X509; CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'; GRANT ALL ON *.* TO 'root'@'127.0.0.1'",
      ],
      { timeout: 10_000 },
    );
  } catch (e) {
    const tail = await fsp.readFile(path.join(dir, 'error.log'), 'utf8').catch(() => '');
    await stop();
    throw new Error(`private MariaDB did not start: ${(e as Error).message}\n${tail.slice(-2000)}`);
  }
  return { port, url: `mysql://root@127.0.0.1:${port}/`, stop };
}

/** Waits until the server listens on its port, bounded, and fails early if it exits. */
async function waitForSocket(
  socketFile: string,
  port: number,
  timeoutMs: number,
  exited: Promise<void>,
): Promise<void> {
  let dead = false;
  void exited.then(() => (dead = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (dead) throw new Error('server exited during startup');
    if (existsSync(socketFile) && (await canConnect(port))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no server on port ${port} after ${timeoutMs} ms`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
