import { ConvergeError } from '../core/errors';

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

/** "5M", "120k", "250000" (rows) → rows. k is 10^3, M 10^6, G 10^9. */
export function parseCount(text: string, key = 'production-rows'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)\s*$/i.exec(text);
  if (!m) throw new ConvergeError('USAGE', `"${text}" is not a number of rows; write e.g. 250000, 120k or 5M`, { key });
  const unit = { '': 1, k: 1e3, m: 1e6, g: 1e9 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  const n = Math.round(Number(m[1]) * unit);
  if (n < 1) throw new ConvergeError('USAGE', `"${text}": the number of rows must be at least 1`, { key });
  return n;
}

/** "1 h 02 min", "4 min 05 s", "12.3 s". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min ${String(s % 60).padStart(2, '0')} s`;
}
