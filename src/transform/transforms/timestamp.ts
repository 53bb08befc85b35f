import { advise } from '../../mapping/value-advice';
import { ValueError } from './value-error';
import { digitsAt as num, isZeroDate } from '../../mapping/zero-date';

const TS = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?)?$/;

export { isZeroDate };

/**
 * MySQL DATETIME text in `zone` → UTC 'YYYY-MM-DD HH:MM:SS[.ffffff]' for timestamp without time zone.
 * Fractions are kept to the microsecond, never rounded. Zero dates are left to the caller's policy.
 */
export function makeTimestamp(zone: string): (v: string) => string {
  const toUtc = zone === 'UTC' || zone === 'Etc/UTC' ? undefined : zoneOffsetFinder(zone);
  return (v: string) => {
    // Hot path: MySQL's own 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC is already Postgres's text.
    if (!toUtc && isCanonicalDateTime(v)) return v;
    const m = TS.exec(v);
    if (!m) throw new ValueError('TIMESTAMP_INVALID', `not a date/time: ${JSON.stringify(v.slice(0, 40))}`);
    const [, y, mo, d, hh = '00', mi = '00', ss = '00', frac = ''] = m;
    const Y = +y,
      M = +mo,
      D = +d,
      H = +hh,
      I = +mi,
      S = +ss;
    if (M < 1 || M > 12 || D < 1 || D > daysIn(Y, M) || H > 23 || I > 59 || S > 59) {
      throw new ValueError(
        'TIMESTAMP_INVALID',
        `impossible date/time: ${v}; ${advise('impossible-date').words}`,
        'impossible-date',
      );
    }
    if (!toUtc) return `${y}-${mo}-${d} ${hh}:${mi}:${ss}${frac}`;
    const local = utcMs(Y, M - 1, D, H, I, S);
    const utc = new Date(local - toUtc(local));
    return `${pad(utc.getUTCFullYear(), 4)}-${pad(utc.getUTCMonth() + 1)}-${pad(utc.getUTCDate())} ${pad(utc.getUTCHours())}:${pad(utc.getUTCMinutes())}:${pad(utc.getUTCSeconds())}${frac}`;
  };
}

/** A DATE: validated, zero dates left to the policy. */
export function dateValue(v: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m || +m[2] < 1 || +m[2] > 12 || +m[3] < 1 || +m[3] > daysIn(+m[1], +m[2]))
    throw new ValueError(
      'TIMESTAMP_INVALID',
      `not a date: ${JSON.stringify(v)}; ${advise('impossible-date').words}`,
      'impossible-date',
    );
  return v;
}

/** MySQL TIME spans -838:59:59 to 838:59:59: Postgres `time` cannot hold that, `interval` can. */
export function timeValue(v: string): string {
  const m = /^(-)?(\d{1,3}):(\d{2}):(\d{2})(\.\d{1,6})?$/.exec(v);
  if (!m || +m[3] > 59 || +m[4] > 59) throw new ValueError('VALUE_INVALID', `not a time: ${JSON.stringify(v)}`);
  return v;
}

export function yearValue(v: string): string {
  if (!/^\d{4}$/.test(v)) throw new ValueError('VALUE_INVALID', `not a year: ${JSON.stringify(v)}`);
  return String(Number(v));
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in month m (1–12) of proleptic Gregorian year y, as Date counts them (year 0 is leap). */
function daysIn(y: number, m: number): number {
  return m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : DAYS[m - 1];
}

/**
 * A valid 'YYYY-MM-DD HH:MM:SS' with an optional 1–6 digit fraction, checked without a regular
 * expression or any allocation (the transform's innermost loop). Zero dates are not valid here.
 */
function isCanonicalDateTime(v: string): boolean {
  const n = v.length;
  if (n !== 19 && (n < 21 || n > 26)) return false;
  if (
    v.charCodeAt(4) !== 45 ||
    v.charCodeAt(7) !== 45 ||
    v.charCodeAt(10) !== 32 ||
    v.charCodeAt(13) !== 58 ||
    v.charCodeAt(16) !== 58
  )
    return false;
  const Y = num(v, 0, 4),
    M = num(v, 5, 2),
    D = num(v, 8, 2),
    H = num(v, 11, 2),
    I = num(v, 14, 2),
    S = num(v, 17, 2);
  if (Y < 0 || M < 1 || M > 12 || D < 1 || H < 0 || H > 23 || I < 0 || I > 59 || S < 0 || S > 59 || D > daysIn(Y, M))
    return false;
  if (n === 19) return true;
  if (v.charCodeAt(19) !== 46) return false;
  return num(v, 20, n - 20) >= 0;
}

/** Date.UTC, but years 0–99 stay years 0–99 (Date.UTC maps them to 1900–1999). */
function utcMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const t = new Date(0);
  t.setUTCFullYear(y, mo, d);
  t.setUTCHours(h, mi, s, 0);
  return t.getTime();
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/**
 * Returns local→offset(ms) for a zone, answering "what is the UTC offset at this local wall time".
 * Offsets are cached per local hour: Intl is slow and zones change offset at most hourly.
 */
function zoneOffsetFinder(zone: string): (localMs: number) => number {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const offsetAt = (at: number): number => {
    const p: Record<string, number> = {};
    for (const part of fmt.formatToParts(new Date(at))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    return utcMs(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at / 1000) * 1000;
  };
  const cache = new Map<number, number>();
  return (localMs: number) => {
    const hour = Math.floor(localMs / 3_600_000);
    let off = cache.get(hour);
    if (off === undefined) {
      // Two rounds settle DST edges: guess with the offset at local-as-UTC, then re-check.
      const first = offsetAt(localMs);
      off = offsetAt(localMs - first);
      if (cache.size > 100_000) cache.clear();
      cache.set(hour, off);
    }
    return off;
  };
}
