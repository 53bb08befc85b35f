import pino, { Logger } from 'pino';
import { ConvergeError } from './errors';

export type { Logger };

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Structured JSON logs on stderr (stdout stays for command output), pretty when a person is
 * watching. Connection secrets are never handed to the logger; the redact list is a second net.
 */
export function createLogger(opts: { level?: string; pretty?: boolean } = {}): Logger {
  const level = opts.level ?? process.env.CONVERGE_LOG_LEVEL ?? 'info';
  // pino throws on an unknown level; an operator's typo is a usage error, not a crash.
  if (!LEVELS.includes(level))
    throw new ConvergeError(
      'USAGE',
      `log level "${level}" is not one of ${LEVELS.join(', ')}${opts.level === undefined ? ' (CONVERGE_LOG_LEVEL)' : ' (--log-level)'}`,
      { key: opts.level === undefined ? 'CONVERGE_LOG_LEVEL' : '--log-level' },
    );
  const pretty = opts.pretty ?? (process.stderr.isTTY === true && process.env.CONVERGE_LOG_FORMAT !== 'json');
  const redact = { paths: ['password', '*.password', 'url', '*.url', 'sourceUrl', 'targetUrl'], censor: '****' };
  if (pretty) {
    return pino(
      { level, redact, base: undefined },
      pino.transport({ target: 'pino-pretty', options: { destination: 2, ignore: 'pid,hostname' } }),
    );
  }
  return pino({ level, redact, base: undefined }, pino.destination({ fd: 2, sync: true }));
}

/** A logger that drops everything, for library callers and tests that do not want output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
