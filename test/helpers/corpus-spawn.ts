import { spawn, ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { CliResult } from './run-cli';

const BIN = path.resolve(__dirname, '../../bin/converge.js');

export interface RunningCli {
  child: ChildProcess;
  done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
}

/** Starts the built CLI without waiting for it, so a test can kill it (or its connection) mid-run. */
export function startCli(args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, CONVERGE_LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, signal, stdout, stderr });
    });
  });
  return { child, done };
}

/** Polls until `probe` returns a value (not undefined/false), or fails after `ms`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
