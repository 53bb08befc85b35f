import { dateValue, isZeroDate, makeTimestamp, timeValue, yearValue } from '../../src/transform/transforms/timestamp';
import { ValueError } from '../../src/transform/transforms/value-error';

function valueError(fn: () => unknown): ValueError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValueError);
    return e as ValueError;
  }
  throw new Error('expected a ValueError, nothing was thrown');
}

/** Each input's outcome: the output text, or "!" + the error code it threw (a diff names the input). */
function outcomes(fn: (v: string) => string, inputs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of inputs) {
    try {
      out[v] = fn(v);
    } catch (e) {
      out[v] = e instanceof ValueError ? `!${e.code}` : `!${String(e)}`;
    }
  }
  return out;
}

function each(inputs: readonly string[], result: string | 'same'): Record<string, string> {
  return Object.fromEntries(inputs.map((v) => [v, result === 'same' ? v : result]));
}

describe('makeTimestamp in UTC', () => {
  const utc = makeTimestamp('UTC');

  test('values pass through, microseconds kept exactly (trailing zeros too), T separator accepted', () => {
    expect(
      outcomes(utc, [
        '2024-05-06 07:08:09',
        '2024-05-06 07:08:09.123456',
        '2024-05-06 07:08:09.100000',
        '2024-05-06 07:08:09.000001',
        '2024-05-06T07:08:09.5',
        '2024-05-06',
        '2024-02-29 23:59:59.999999',
      ]),
    ).toEqual({
      '2024-05-06 07:08:09': '2024-05-06 07:08:09',
      '2024-05-06 07:08:09.123456': '2024-05-06 07:08:09.123456',
      '2024-05-06 07:08:09.100000': '2024-05-06 07:08:09.100000',
      '2024-05-06 07:08:09.000001': '2024-05-06 07:08:09.000001',
      '2024-05-06T07:08:09.5': '2024-05-06 07:08:09.5',
      '2024-05-06': '2024-05-06 00:00:00',
      '2024-02-29 23:59:59.999999': '2024-02-29 23:59:59.999999',
    });
  });

  test('Etc/UTC is the same passthrough', () => {
    expect(makeTimestamp('Etc/UTC')('2000-01-01 00:00:00.654321')).toBe('2000-01-01 00:00:00.654321');
  });

  test('impossible dates and times are TIMESTAMP_INVALID', () => {
    const bad = [
      '2023-02-29 00:00:00',
      '2024-04-31 00:00:00',
      '2024-13-01 00:00:00',
      '2024-01-01 24:00:00',
      '2024-01-01 12:60:00',
      '2024-01-01 12:00:60',
    ];
    expect(outcomes(utc, bad)).toEqual(each(bad, '!TIMESTAMP_INVALID'));
  });

  test('malformed text is TIMESTAMP_INVALID', () => {
    const bad = ['', 'yesterday', '2024-1-1 00:00:00', '2024-01-01 00:00:00.1234567', '2024-01-01 00:00:00+02'];
    expect(outcomes(utc, bad)).toEqual(each(bad, '!TIMESTAMP_INVALID'));
  });
});

describe('makeTimestamp from Europe/Amsterdam to UTC', () => {
  const ams = makeTimestamp('Europe/Amsterdam');

  test('CET and CEST offsets, across midnight, the year and around both DST changes', () => {
    expect(
      outcomes(ams, [
        '2024-01-15 12:00:00',
        '2024-07-01 12:00:00.123456',
        '2024-01-01 00:30:00',
        '2024-03-31 01:59:59',
        '2024-03-31 03:00:00',
        '2024-10-27 01:30:00',
        '2024-10-27 03:00:00',
        '2024-02-29 00:15:00',
      ]),
    ).toEqual({
      '2024-01-15 12:00:00': '2024-01-15 11:00:00', // winter, +1
      '2024-07-01 12:00:00.123456': '2024-07-01 10:00:00.123456', // summer, +2, microseconds kept
      '2024-01-01 00:30:00': '2023-12-31 23:30:00',
      '2024-03-31 01:59:59': '2024-03-31 00:59:59', // last second before spring-forward
      '2024-03-31 03:00:00': '2024-03-31 01:00:00', // first instant after it
      '2024-10-27 01:30:00': '2024-10-26 23:30:00', // before the fall-back overlap, still CEST
      '2024-10-27 03:00:00': '2024-10-27 02:00:00', // after it, CET
      '2024-02-29 00:15:00': '2024-02-28 23:15:00',
    });
  });

  // Postgres's rule for wall times that do not exist or exist twice (docs, "Date/Time Input
  // Interpretation"): a skipped time uses the offset before the jump (CET), an ambiguous one the
  // offset after the jump back (CET). The import must agree with `AT TIME ZONE`.
  test('DST gap: 02:30 on 2024-03-31 does not exist; read as CET like Postgres', () => {
    expect(ams('2024-03-31 02:30:00')).toBe('2024-03-31 01:30:00');
  });

  test('DST overlap: 02:30 on 2024-10-27 happens twice; read as CET like Postgres', () => {
    expect(ams('2024-10-27 02:30:00')).toBe('2024-10-27 01:30:00');
  });

  test('converting the same hour again gives the same answer (offset cache)', () => {
    const first = ams('2024-10-27 02:10:00');
    expect(ams('2024-10-27 02:50:00')).toBe('2024-10-27 01:50:00');
    expect(ams('2024-10-27 02:10:00')).toBe(first);
  });

  test('years below 100 are not read as 19xx', () => {
    // Date.UTC maps years 0-99 to 1900-1999; a fixed +1 zone must still keep the year.
    expect(makeTimestamp('Etc/GMT-1')('0099-06-15 12:00:00')).toBe('0099-06-15 11:00:00');
  });

  test('invalid dates are rejected before any zone arithmetic', () => {
    expect(valueError(() => ams('2023-02-29 10:00:00')).code).toBe('TIMESTAMP_INVALID');
  });
});

describe('isZeroDate', () => {
  test('zero and partly zero dates are detected; real dates and junk are not', () => {
    const zero = ['0000-00-00', '0000-00-00 00:00:00', '2024-00-15', '2024-03-00 10:00:00', '0000-01-01'];
    const not = ['2024-01-15', '2024-01-15 00:00:00', '1000-01-01', 'garbage', ''];
    expect(Object.fromEntries([...zero, ...not].map((v) => [v, isZeroDate(v)]))).toEqual({
      ...Object.fromEntries(zero.map((v) => [v, true])),
      ...Object.fromEntries(not.map((v) => [v, false])),
    });
  });
});

describe('dateValue', () => {
  test('real dates are kept; impossible, zero and non-dates are TIMESTAMP_INVALID', () => {
    const ok = ['2024-02-29', '1000-01-01', '9999-12-31'];
    const bad = ['2023-02-29', '2024-00-15', '0000-00-00', '2024-01-15 00:00:00', ''];
    expect(outcomes(dateValue, [...ok, ...bad])).toEqual({ ...each(ok, 'same'), ...each(bad, '!TIMESTAMP_INVALID') });
  });
});

describe('timeValue (MySQL TIME spans ±838:59:59, so the target is interval)', () => {
  test('negative and over-24h times are kept; malformed ones are VALUE_INVALID', () => {
    const ok = ['00:00:00', '23:59:59', '-01:30:00', '24:00:00', '838:59:59', '-838:59:59', '12:34:56.789'];
    const bad = ['', '1:2', '12:34', 'noon', '1234:00:00'];
    expect(outcomes(timeValue, [...ok, ...bad])).toEqual({ ...each(ok, 'same'), ...each(bad, '!VALUE_INVALID') });
  });
  test('minutes or seconds above 59 are VALUE_INVALID (Postgres: interval field value out of range)', () => {
    expect(valueError(() => timeValue('10:75:00')).code).toBe('VALUE_INVALID');
    expect(valueError(() => timeValue('10:00:60')).code).toBe('VALUE_INVALID');
  });
});

describe('yearValue', () => {
  test('four digits become the year number; anything else is VALUE_INVALID', () => {
    expect(outcomes(yearValue, ['2024', '1901', '0000', '24', '', 'MMXXIV', '20245'])).toEqual({
      '2024': '2024',
      '1901': '1901',
      '0000': '0',
      '24': '!VALUE_INVALID',
      '': '!VALUE_INVALID',
      MMXXIV: '!VALUE_INVALID',
      '20245': '!VALUE_INVALID',
    });
  });
});
