import { maskSecrets } from '../../core/connection-url';
import { ExitCode } from '../../core/exit-codes';
import { resolveConnectionSettings, ResolvedEntry, ResolvedSettings, SETTINGS } from '../../core/settings';
import { tlsPlan } from '../../core/tls';
import type { RegisterCommand } from './index';
import { examplesText } from '../context';

/**
 * `converge env`: the configuration converge would use, where each value came from, secrets
 * masked. `--shell` is the one place a secret is printed, and only because it was asked for.
 */
export const register: RegisterCommand = (program, setExit) => {
  const cmd = program
    .command('env')
    .description('print the resolved configuration and where each value came from (passwords masked)')
    .option('--json', 'print as JSON')
    .option('--shell', 'print export lines for eval "$(converge env --shell)" (includes passwords)')
    .addHelpText(
      'after',
      examplesText(
        'converge env',
        'converge env --json --target postgres://app:secret@pg:5432/shop',
        'eval "$(converge env --shell)"',
      ),
    );
  for (const spec of SETTINGS) cmd.option(`${spec.flag} <value>`, `${spec.describe} [${spec.env}]`);
  cmd.action((opts: Record<string, string | boolean | undefined>) => {
    const flags: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts)) if (typeof v === 'string') flags[k] = v;
    const settings = resolveConnectionSettings(flags);
    const out = opts.shell
      ? formatShell(settings)
      : opts.json
        ? `${JSON.stringify(settingsJson(settings), null, 2)}\n`
        : formatTable(settings);
    process.stdout.write(out);
    setExit(ExitCode.Ok);
  });
};

/** The value as it may be shown: passwords inside URLs become ****. */
export function shownValue(e: ResolvedEntry, settings: ResolvedSettings): string {
  if (e.secret === 'secret') return '****';
  if (e.secret === 'url') return maskSecrets(e.value, [settings.source.password, settings.target.password]);
  return e.value;
}

export function provenanceText(e: ResolvedEntry): string {
  const base =
    e.from === 'flag' ? `flag ${e.flag}` : e.from === 'env' ? 'environment' : e.from === 'dotenv' ? '.env' : 'default';
  return e.via ? `${e.from === 'flag' ? 'flag' : base}, inside ${e.via}` : base;
}

function tlsLine(settings: ResolvedSettings, side: 'source' | 'target'): string {
  const plan = tlsPlan(settings[side]);
  const what = plan.verifyHost
    ? 'verify chain and host name'
    : plan.verifyChain
      ? 'verify chain, not host name'
      : plan.required
        ? 'encrypt, no verification'
        : plan.level === 'disable'
          ? 'clear text'
          : 'TLS if offered, else clear text';
  return `${plan.mode} (${what})`;
}

export function formatTable(settings: ResolvedSettings): string {
  const rows = settings.entries.map((e) => [
    e.key.includes('@') ? `${e.name} (${e.key.split('@')[1]})` : e.name,
    shownValue(e, settings),
    provenanceText(e),
  ]);
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i].length), 8));
  const lines = rows.map((r) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}`);
  lines.push('', `source TLS: ${tlsLine(settings, 'source')}`, `target TLS: ${tlsLine(settings, 'target')}`);
  return `${lines.join('\n')}\n`;
}

export function settingsJson(settings: ResolvedSettings): unknown {
  return {
    settings: settings.entries.map((e) => ({
      name: e.name,
      key: e.key,
      value: shownValue(e, settings),
      from: e.from,
      ...(e.via ? { via: e.via } : {}),
    })),
    tls: { source: tlsPlan(settings.source).mode, target: tlsPlan(settings.target).mode },
    connectTimeoutMs: settings.connectTimeoutMs,
    statementTimeoutMs: settings.statementTimeoutMs,
    lockWaitTimeoutS: settings.lockWaitTimeoutS,
    workDir: settings.workDir,
    jobs: settings.jobs,
  };
}

/** Quotes for POSIX shells: inside '…' nothing is special except ', written as '\''. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * export lines for every value that is not a default, unmasked. Per-side overrides read from a
 * URL are not exported on their own: the exported URL carries them.
 */
export function formatShell(settings: ResolvedSettings): string {
  const lines = ['# converge configuration; contains passwords. Use: eval "$(converge env --shell)"'];
  for (const e of settings.entries) {
    if (e.from === 'default' || e.key.includes('@')) continue;
    lines.push(`export ${e.name}=${shellQuote(e.value)}`);
  }
  return `${lines.join('\n')}\n`;
}
