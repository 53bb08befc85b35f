import { spawn } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';

/** GNU time reports a child's peak resident set size; without it the bench still runs, without RSS. */
export const GNU_TIME = '/usr/bin/time';
export const hasGnuTime = (): boolean => existsSync(GNU_TIME);

export interface Measured {
  seconds: number;
  exitCode: number;
  /** Peak RSS in bytes: the sum over the processes of a pipeline (they run at the same time). */
  peakRss?: number;
  timedOut?: boolean;
  /** The last lines of the tool's stderr (and stdout), for a failure's explanation. */
  tail: string;
}

/**
 * Runs a shell pipeline under bash with pipefail, every stage wrapped in GNU time so each
 * process's own peak RSS is read. Commands and secrets arrive through `env` (referenced as
 * "$NAME" in `stages`), never on a command line another user could read. Output goes to `log`.
 */
export async function runMeasured(o: {
  stages: string[][];
  env: NodeJS.ProcessEnv;
  dir: string;
  label: string;
  log: string;
  cwd?: string;
  timeoutSeconds?: number;
}): Promise<Measured> {
  const timeFiles = o.stages.map((_, i) => path.join(o.dir, `${o.label}.${i}.rss`));
  const useTime = hasGnuTime();
  const script = o.stages
    .map((argv, i) => (useTime ? [GNU_TIME, '-f', '%M', '-o', timeFiles[i], ...argv] : argv).map(word).join(' '))
    .join(' | ');
  const out = await fsp.open(o.log, 'a', 0o600);
  const started = process.hrtime.bigint();
  let exitCode: number;
  let timedOut = false;
  try {
    await out.write(`$ ${o.stages.map((s) => s.join(' ')).join(' | ')}\n`);
    exitCode = await new Promise<number>((resolve, reject) => {
      // Its own process group, so a time-out ends every process of the pipeline and nothing else.
      const child = spawn('bash', ['-o', 'pipefail', '-c', script], {
        env: o.env,
        cwd: o.cwd,
        stdio: ['ignore', out.fd, out.fd],
        detached: true,
      });
      const timer = o.timeoutSeconds
        ? setTimeout(() => {
            timedOut = true;
            try {
              process.kill(-child.pid!, 'SIGKILL');
            } catch {
              /* already gone */
            }
          }, o.timeoutSeconds * 1000)
        : undefined;
      child.on('error', reject);
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        resolve(code ?? (signal ? 128 : 1));
      });
    });
  } finally {
    await out.close();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  let peakRss: number | undefined;
  if (useTime) {
    let sum = 0;
    for (const f of timeFiles) {
      const text = await fsp.readFile(f, 'utf8').catch(() => '');
      // GNU time prefixes "Command exited with non-zero status N" when the child failed.
      const kb = Number(text.trim().split('\n').pop());
      if (Number.isFinite(kb) && kb > 0) sum += kb * 1024;
    }
    peakRss = sum || undefined;
  }
  return { seconds, exitCode, peakRss, timedOut, tail: await tailOf(o.log, 12) };
}

export async function tailOf(file: string, lines: number): Promise<string> {
  const text = await fsp.readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** A word for bash: `"$NAME"` (a value passed in the environment) verbatim, anything else quoted. */
export function word(s: string): string {
  return /^"\$[A-Z_][A-Z0-9_]*"$/.test(s) ? s : shellWord(s);
}

/** Quotes one word for bash, for the fixed parts of a command (paths, flags). */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
