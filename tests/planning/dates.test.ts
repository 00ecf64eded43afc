import { addDays, format, isValid, parse } from 'date-fns';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDaysIso, fromEsrDate, humanDate, localToday, parseIsoDate, toEsrDate, weekdayIndex } from '../../src/planning/dates.js';

/** date-fns's own reading, the reference the fast fixed-width versions must agree with. */
const reference = (text: string, fmt: string) => {
  const date = parse(text, fmt, new Date(2000, 0, 1));
  return isValid(date) && format(date, fmt) === text ? date : null;
};

const day = fc.date({ min: new Date(1000, 0, 1), max: new Date(9999, 11, 31), noInvalidDate: true });
const digits = (n: number) => fc.integer({ min: 0, max: 10 ** n - 1 }).map((v) => String(v).padStart(n, '0'));

describe('dates agree with date-fns', () => {
  it('every real day formats as date-fns formats it', () => {
    fc.assert(
      fc.property(day, (d) => {
        const iso = localToday(d);
        expect(iso).toBe(format(d, 'yyyy-MM-dd'));
        expect(toEsrDate(iso)).toBe(format(d, 'dd/MM/yyyy'));
        expect(humanDate(iso)).toBe(format(d, 'EEE d MMM yyyy'));
        expect(weekdayIndex(iso)).toBe(d.getDay());
        expect(addDaysIso(iso, 1)).toBe(format(new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1), 'yyyy-MM-dd'));
      }),
    );
  });

  it.each(['Europe/London', 'America/Sao_Paulo', 'Australia/Lord_Howe', 'UTC'])(
    "counts days on as date-fns's addDays does, across months, leap days, clock changes and years (%s)",
    (zone) => {
      // Clock changes happen only in the machine's zone: the days around them are counted in each of these.
      const before = process.env.TZ;
      process.env.TZ = zone;
      try {
        fc.assert(
          fc.property(day, fc.integer({ min: -1000, max: 1000 }), (d, n) => {
            expect(addDaysIso(localToday(d), n)).toBe(format(addDays(d, n), 'yyyy-MM-dd'));
          }),
          { numRuns: 1000 },
        );
      } finally {
        if (before === undefined) delete process.env.TZ;
        else process.env.TZ = before;
      }
    },
  );

  it('counts days over the edges of months, leap days and years', () => {
    expect(addDaysIso('2027-03-27', 1)).toBe('2027-03-28');
    expect(addDaysIso('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDaysIso('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('accepts exactly the strings date-fns reads as real dates (no 30 February, no month 13)', () => {
    fc.assert(
      fc.property(digits(4), digits(2), digits(2), (y, m, d) => {
        const iso = `${y}-${m}-${d}`;
        expect(parseIsoDate(iso) !== null).toBe(reference(iso, 'yyyy-MM-dd') !== null);
        const esr = `${d}/${m}/${y}`;
        expect(fromEsrDate(esr)).toBe(reference(esr, 'dd/MM/yyyy') ? iso : null);
      }),
      { numRuns: 2000 },
    );
    expect(parseIsoDate('2028-02-29')).toBe('2028-02-29');
    expect(parseIsoDate('2027-02-29')).toBeNull();
    expect(parseIsoDate('2026-4-1')).toBeNull();
  });
});
