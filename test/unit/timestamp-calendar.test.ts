import { makeTimestamp, dateValue } from '../../src/transform/transforms/timestamp';

// A bug fixed: the day-of-month check once used February 2000's length for every year, so
// 2025-02-03 was "impossible". Every month of a leap and a common year, first and last day.
describe('calendar checks', () => {
  const utc = makeTimestamp('UTC');
  const ams = makeTimestamp('Europe/Amsterdam');
  for (const year of [2023, 2024, 1999, 2000, 2100]) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    days.forEach((last, i) => {
      const m = String(i + 1).padStart(2, '0');
      it(`${year}-${m}: days 1..${last} valid, ${last + 1} invalid`, () => {
        expect(utc(`${year}-${m}-01 00:00:00`)).toBe(`${year}-${m}-01 00:00:00`);
        expect(utc(`${year}-${m}-${last} 23:59:59.999999`)).toBe(`${year}-${m}-${last} 23:59:59.999999`);
        expect(dateValue(`${year}-${m}-${last}`)).toBe(`${year}-${m}-${last}`);
        expect(() => utc(`${year}-${m}-${last + 1} 00:00:00`)).toThrow(/impossible/);
        expect(ams(`${year}-${m}-15 12:00:00`)).toMatch(new RegExp(`^${year}-${m}-15 1[01]:00:00$`));
      });
    });
  }
});
