import type { Logger } from 'pino';

/**
 * Times a rehearsal's phases in order and logs each as it ends; `commands` names the cut-over
 * command a phase times (none for the scratch set-up).
 */
export function phaseClock<P extends string, C extends string>(
  commands: Partial<Record<P, C>>,
  log: Logger,
  context: Record<string, unknown>,
) {
  const phases: Array<{ phase: P; seconds: number; command?: C }> = [];
  const record = (phase: P, seconds: number) => {
    const command = commands[phase];
    phases.push({ phase, seconds, ...(command ? { command } : {}) });
    log.info({ ...context, phase, command, seconds }, 'rehearsal phase done');
  };
  const timed = async <T>(phase: P, body: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const out = await body();
    record(phase, (Date.now() - t0) / 1000);
    return out;
  };
  return { phases, record, timed };
}
