import { readFileSync } from 'node:fs';
import { checkServerIdentity, ConnectionOptions, PeerCertificate } from 'node:tls';
import { ConnectionInfo, describeConnection } from './connection-url';
import { ConvergeError, messageOf } from './errors';

/**
 * One TLS vocabulary for both ends. Postgres says sslmode=verify-full, MySQL says
 * ssl-mode=VERIFY_IDENTITY; both map onto these six levels, ordered weakest first.
 */
export type TlsLevel = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

const PG_MODES: Record<string, TlsLevel> = {
  disable: 'disable',
  allow: 'allow',
  prefer: 'prefer',
  require: 'require',
  'verify-ca': 'verify-ca',
  'verify-full': 'verify-full',
};

const MYSQL_MODES: Record<string, TlsLevel> = {
  DISABLED: 'disable',
  PREFERRED: 'prefer',
  REQUIRED: 'require',
  VERIFY_CA: 'verify-ca',
  VERIFY_IDENTITY: 'verify-full',
};

/** The URL parameter names each end reads, so messages name what the operator typed. */
export const TLS_PARAMS = {
  postgres: { mode: 'sslmode', ca: 'sslrootcert', cert: 'sslcert', key: 'sslkey' },
  mysql: { mode: 'ssl-mode', ca: 'ssl-ca', cert: 'ssl-cert', key: 'ssl-key' },
} as const;

/** What to do about TLS on one connection, decided once from the URL parameters. */
export interface TlsPlan {
  level: TlsLevel;
  /** The mode as the operator wrote it (sslmode / ssl-mode spelling), for messages. */
  mode: string;
  /** TLS is mandatory: a server without it is refused, never used in clear text. */
  required: boolean;
  verifyChain: boolean;
  verifyHost: boolean;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

/** Reads sslmode/ssl-mode and the file parameters; an unknown mode is a usage error, not a silent default. */
export function tlsPlan(info: ConnectionInfo): TlsPlan {
  const names = TLS_PARAMS[info.kind];
  const raw = info.params[names.mode];
  const level = raw === undefined || raw === '' ? 'prefer' : parseLevel(info.kind, raw);
  const caFile = nonEmpty(info.params[names.ca]);
  const certFile = nonEmpty(info.params[names.cert]);
  const keyFile = nonEmpty(info.params[names.key]);
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new ConvergeError(
      'CONFIG_INVALID',
      `${describeConnection(info)}: ${names.cert} and ${names.key} must be given together`,
      { stage: 'config', key: certFile ? names.key : names.cert },
    );
  }
  // As libpq does with a root certificate file present: a CA given under "require" is used to verify the chain.
  const verifyChain = level === 'verify-ca' || level === 'verify-full' || (level === 'require' && caFile !== undefined);
  return {
    level,
    mode: raw ?? (info.kind === 'postgres' ? 'prefer' : 'PREFERRED'),
    required: level === 'require' || level === 'verify-ca' || level === 'verify-full',
    verifyChain,
    verifyHost: level === 'verify-full',
    caFile,
    certFile,
    keyFile,
  };
}

function parseLevel(kind: 'mysql' | 'postgres', raw: string): TlsLevel {
  const level = kind === 'postgres' ? PG_MODES[raw.toLowerCase()] : MYSQL_MODES[raw.toUpperCase().replace(/-/g, '_')];
  if (!level) {
    const allowed = Object.keys(kind === 'postgres' ? PG_MODES : MYSQL_MODES).join(', ');
    const name = TLS_PARAMS[kind].mode;
    throw new ConvergeError('CONFIG_INVALID', `${name}="${raw}" is not one of ${allowed}`, {
      stage: 'config',
      key: name,
    });
  }
  return level;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

/**
 * Node TLS options for an encrypted attempt, or undefined when this attempt is in clear text.
 * Host names are checked against info.host ourselves so both drivers behave alike for IP addresses.
 */
export function tlsOptions(info: ConnectionInfo, plan: TlsPlan): ConnectionOptions {
  const names = TLS_PARAMS[info.kind];
  const o: ConnectionOptions = { rejectUnauthorized: plan.verifyChain };
  if (plan.caFile) o.ca = readTlsFile(plan.caFile, names.ca);
  if (plan.certFile) o.cert = readTlsFile(plan.certFile, names.cert);
  if (plan.keyFile) o.key = readTlsFile(plan.keyFile, names.key);
  o.checkServerIdentity = plan.verifyHost
    ? (_name: string, cert: PeerCertificate) => checkServerIdentity(info.host, cert)
    : () => undefined;
  return o;
}

function readTlsFile(file: string, param: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new ConvergeError(
      'CONFIG_INVALID',
      `cannot read ${param} file ${file}: ${messageOf(e)}`,
      { stage: 'config', key: param, file },
      { cause: e },
    );
  }
}

/** Node's certificate-chain error codes: the server's certificate is not signed by a CA we trust. */
const CHAIN_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/**
 * Turns a driver's TLS failure into a message that says which host and what to fix, or returns
 * undefined when the failure has nothing to do with TLS. Drivers overwrite err.code, so the
 * checks look at every field Node leaves on the error.
 */
export function tlsFailure(e: unknown, info: ConnectionInfo, plan: TlsPlan): ConvergeError | undefined {
  const names = TLS_PARAMS[info.kind];
  const where = describeConnection(info);
  const err = e as { code?: string; reason?: string; host?: string; cert?: unknown; message?: string };
  const msg = messageOf(e);
  const ctx = { stage: 'config' as const, host: info.host, port: info.port, tlsMode: plan.mode };
  if (
    err.code === 'ERR_TLS_CERT_ALTNAME_INVALID' ||
    (err.reason !== undefined && err.cert !== undefined) ||
    /does not match certificate's altnames/i.test(msg)
  ) {
    return new ConvergeError(
      'TLS_FAILED',
      `server certificate does not match host "${info.host}" for ${where} (${err.reason ?? msg}); connect with a host name the certificate names, or use ${names.mode}=${info.kind === 'postgres' ? 'verify-ca' : 'VERIFY_CA'} to check only the chain`,
      ctx,
      { cause: e },
    );
  }
  if (
    (err.code && CHAIN_CODES.has(err.code)) ||
    /self[- ]signed certificate|unable to verify|unable to get (local )?issuer|certificate signature failure/i.test(msg)
  ) {
    return new ConvergeError(
      'TLS_FAILED',
      `certificate verify failed for ${where} (${msg}); check ${names.ca}: it must be the CA that signed the server's certificate`,
      ctx,
      { cause: e },
    );
  }
  if (noTlsOnServer(e)) {
    return new ConvergeError(
      'TLS_FAILED',
      `${where} does not offer TLS, and ${names.mode}=${plan.mode} requires it; refusing to connect in clear text (enable TLS on the server or lower ${names.mode})`,
      ctx,
      { cause: e },
    );
  }
  return undefined;
}

/** The server answered "no TLS here" (pg: 'N' to SSLRequest; mysql2: no SSL capability flag). */
export function noTlsOnServer(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return code === 'HANDSHAKE_NO_SSL_SUPPORT' || /server does not support SSL connections/i.test(messageOf(e));
}
