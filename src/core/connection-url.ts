import { ConvergeError } from './errors';

/** What a connection URL says, split into driver options. The password never leaves this object
 * except into a driver: describe() is the only printable form. */
export interface ConnectionInfo {
  kind: 'mysql' | 'postgres';
  host: string;
  port: number;
  user: string;
  password?: string;
  database?: string;
  /** Query-string parameters (sslmode, ssl-ca, connect_timeout, ...), lower-cased keys. */
  params: Record<string, string>;
}

const DEFAULT_PORT = { mysql: 3306, postgres: 5432 } as const;

/** Parses mysql://user:pass@host:port/db?x=y or postgres(ql)://… without ever echoing the password. */
export function parseConnectionUrl(raw: string, expected: 'mysql' | 'postgres', label: string): ConnectionInfo {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // The raw text may carry a password: name the flag, show only the scheme.
    throw new ConvergeError('CONFIG_URL', `${label} is not a valid URL (expected ${example(expected)})`, {
      key: label,
    });
  }
  const scheme = url.protocol.replace(/:$/, '');
  const kind =
    scheme === 'mysql' || scheme === 'mariadb'
      ? 'mysql'
      : scheme === 'postgres' || scheme === 'postgresql'
        ? 'postgres'
        : undefined;
  if (kind !== expected) {
    throw new ConvergeError('CONFIG_URL', `${label} has scheme "${scheme}", expected ${example(expected)}`, {
      key: label,
    });
  }
  if (!url.hostname) throw new ConvergeError('CONFIG_URL', `${label} names no host`, { key: label });
  const port = url.port ? Number(url.port) : DEFAULT_PORT[kind];
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConvergeError('CONFIG_URL', `${label} has an invalid port "${url.port}"`, { key: label });
  }
  const params: Record<string, string> = {};
  url.searchParams.forEach((v, k) => (params[k.toLowerCase()] = v));
  const decode = (s: string, what: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new ConvergeError('CONFIG_URL', `${label} has a malformed %-escape in its ${what} (write % as %25)`, {
        key: label,
      });
    }
  };
  const database = decode(url.pathname.replace(/^\//, ''), 'database name') || undefined;
  return {
    kind,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port,
    user: decode(url.username, 'user name') || (kind === 'mysql' ? 'root' : 'postgres'),
    password: url.password ? decode(url.password, 'password') : undefined,
    database,
    params,
  };
}

function example(kind: 'mysql' | 'postgres'): string {
  return kind === 'mysql' ? 'mysql://user:password@host:3306/database' : 'postgres://user:password@host:5432/database';
}

/** The printable form: scheme, user, host, port, database. Never the password. */
export function describeConnection(info: ConnectionInfo): string {
  const db = info.database ? `/${info.database}` : '';
  const host = info.host.includes(':') ? `[${info.host}]` : info.host;
  return `${info.kind}://${info.user}@${host}:${info.port}${db}`;
}

/** A copy pointing at another database (scratch databases, server-level connections). */
export function withDatabase(info: ConnectionInfo, database: string | undefined): ConnectionInfo {
  return { ...info, database, params: { ...info.params } };
}

/** Builds a URL again, for child processes and `env --shell`. Contains the password. */
export function toUrl(info: ConnectionInfo): string {
  const auth =
    info.password !== undefined
      ? `${encodeURIComponent(info.user)}:${encodeURIComponent(info.password)}`
      : encodeURIComponent(info.user);
  const host = info.host.includes(':') ? `[${info.host}]` : info.host;
  const q = new URLSearchParams(info.params).toString();
  return `${info.kind}://${auth}@${host}:${info.port}/${encodeURIComponent(info.database ?? '')}${q ? `?${q}` : ''}`;
}

/** Removes every known secret from a text before it is logged or written. */
export function maskSecrets(text: string, secrets: Array<string | undefined>): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 1) continue;
    out = out.split(s).join('****');
    const enc = encodeURIComponent(s);
    if (enc !== s) out = out.split(enc).join('****');
  }
  // Any URL-shaped credential that slipped through: scheme://user:pass@
  return out.replace(/([a-z]+:\/\/[^:/@\s]*):[^@\s]*@/gi, '$1:****@');
}
