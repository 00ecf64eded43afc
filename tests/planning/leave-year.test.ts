import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDaysIso, fromEsrDate, parseIsoDate, toEsrDate } from '../../src/planning/dates.js';
import { inLeaveYear, leaveYearContaining, leaveYearStartProblem, leaveYearStarting, startYearOf } from '../../src/planning/leave-year.js';

const isoDate = fc
  .date({ min: new Date(Date.UTC(1990, 0, 1)), max: new Date(Date.UTC(2090, 11, 31)), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const start = fc
  .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }))
  .map(([m, d]) => `${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`)
  .filter((s) => leaveYearStartProblem(s) === null);

describe('dates', () => {
  it('accepts real calendar dates only', () => {
    expect(parseIsoDate('2024-02-29')).toBe('2024-02-29');
    expect(parseIsoDate('2026-02-29')).toBeNull();
    expect(parseIsoDate('2026-02-30')).toBeNull();
    expect(parseIsoDate('2026-13-01')).toBeNull();
    expect(parseIsoDate('2026-4-1')).toBeNull();
    expect(parseIsoDate(' 2026-04-01')).toBeNull();
  });

  it('converts between ESR dd/mm/yyyy and ISO both ways', () => {
    fc.assert(fc.property(isoDate, (d) => fromEsrDate(toEsrDate(d)) === d));
    expect(fromEsrDate('31/04/2026')).toBeNull();
    expect(toEsrDate('2026-05-25')).toBe('25/05/2026');
  });
});

describe('leave year', () => {
  it('is April to March by the NHS default, across the calendar year end', () => {
    expect(leaveYearContaining('2026-04-01', '04-01')).toEqual({ start: '2026-04-01', end: '2027-03-31' });
    expect(leaveYearContaining('2026-03-31', '04-01')).toEqual({ start: '2025-04-01', end: '2026-03-31' });
    expect(leaveYearContaining('2027-01-15', '04-01')).toEqual({ start: '2026-04-01', end: '2027-03-31' });
  });

  it('works for a calendar year and for a start-date anniversary', () => {
    expect(leaveYearContaining('2026-11-21', '01-01')).toEqual({ start: '2026-01-01', end: '2026-12-31' });
    expect(leaveYearContaining('2026-09-14', '09-15')).toEqual({ start: '2025-09-15', end: '2026-09-14' });
    expect(leaveYearStarting(2023, '03-01')).toEqual({ start: '2023-03-01', end: '2024-02-29' });
  });

  it('refuses starts that are not a day of every year', () => {
    expect(leaveYearStartProblem('02-29')).toMatch(/29 February/);
    expect(leaveYearStartProblem('13-01')).not.toBeNull();
    expect(leaveYearStartProblem('04-31')).not.toBeNull();
    expect(leaveYearStartProblem('4-1')).not.toBeNull();
    expect(leaveYearStartProblem('12-31')).toBeNull();
  });

  it('always contains today, runs a whole year, and the next one follows on', () => {
    fc.assert(
      fc.property(isoDate, start, (today, first) => {
        const year = leaveYearContaining(today, first);
        expect(inLeaveYear(today, year)).toBe(true);
        expect(year.start.slice(5)).toBe(first);
        const next = leaveYearStarting(Number(year.start.slice(0, 4)) + 1, first);
        expect(addDaysIso(year.end, 1)).toBe(next.start);
        const days = (Date.parse(next.start) - Date.parse(year.start)) / 86_400_000;
        expect([365, 366]).toContain(days);
      }),
    );
  });
});

describe('startYearOf', () => {
  it('agrees with leaveYearContaining for every start and day, across year ends', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(2000, 0, 1), max: new Date(2100, 0, 1), noInvalidDate: true }), fc.constantFrom('01-01', '04-01', '09-15', '12-31', '02-28', '03-01'), (d, start) => {
        const today = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
        const year = leaveYearContaining(today, start);
        expect(Number(year.start.slice(0, 4))).toBe(startYearOf(today, start));
        expect(today >= year.start && today <= year.end).toBe(true);
      }),
    );
  });
});
