import { ConvergeError } from '../core/errors';
import { CUTOVER_STAGES, CutoverStage, DowntimePrediction, StageThroughput } from './rehearsal-result';

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** "10GB", "2.5 GiB", "800mb", "123456" (bytes) → bytes. GB is 10^9, GiB 2^30. */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = (m?.[2] || 'b').toLowerCase();
  if (!m || !(unit in UNITS))
    throw new ConvergeError('USAGE', `"${text}" is not a size; write e.g. 10GB, 500MB or 2GiB`, {
      key: 'production-size',
    });
  return Math.round(Number(m[1]) * UNITS[unit]);
}

/** Bytes and rows per second of each cut-over stage (migrate's load and verify), measured on the source's data bytes. */
export function stageThroughput(
  stageSeconds: Record<CutoverStage, number>,
  bytes: number,
  rows: number,
): StageThroughput[] {
  return CUTOVER_STAGES.map((stage) => {
    const seconds = Math.max(stageSeconds[stage], 0.001);
    return { stage, seconds: stageSeconds[stage], bytesPerSecond: bytes / seconds, rowsPerSecond: rows / seconds };
  });
}

/**
 * The cut-over downtime at a production size, by linear extrapolation: each stage's measured
 * bytes per second (source data bytes over migrate's load and verify seconds) applied to the
 * production bytes. It assumes the same servers, parallelism and
 * row shapes; indexes, wider rows and cold caches make real runs slower, so it is a floor.
 */
export function predictDowntime(
  throughput: StageThroughput[],
  measuredBytes: number,
  productionBytes: number,
): DowntimePrediction {
  if (!(measuredBytes > 0))
    throw new ConvergeError('USAGE', "the rehearsal's source holds no data bytes; nothing to extrapolate from", {
      stage: 'run',
    });
  const stages = throughput.map((t) => ({
    stage: t.stage,
    seconds: productionBytes / Math.max(t.bytesPerSecond, 1e-9),
  }));
  return {
    method: 'linear extrapolation of measured bytes per second, per stage',
    productionBytes,
    measuredBytes,
    stages,
    totalSeconds: stages.reduce((n, s) => n + s.seconds, 0),
  };
}

/** "1 h 02 min", "4 min 05 s", "12.3 s". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min ${String(s % 60).padStart(2, '0')} s`;
}
