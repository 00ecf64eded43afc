import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holidaysOf, validateFeed } from '../../src/holidays/feed.js';
import { leaveYearStarting } from '../../src/planning/leave-year.js';
import { buildPlan, coveredYears, summarise, toBook, uncoveredYears, type Absence, type PlanRules } from '../../src/planning/plan.js';
import { worksOn, type Weekday } from '../../src/planning/working-pattern.js';
import { FEED_2026, fixtureJson } from '../helpers/fixtures.js';

const feed = validateFeed(fixtureJson(FEED_2026));
const englandAndWales = holidaysOf(feed, 'england-and-wales');
const MON_FRI: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

function rules(overrides: Partial<PlanRules> = {}): PlanRules {
  return {
    leaveYear: leaveYearStarting(2026, '04-01'),
    today: '2026-04-01',
    workingDays: MON_FRI,
    includePast: false,
    exclude: [],
    extraDays: [],
    bankHolidayReason: 'Bank Holiday',
    inactiveStatuses: ['Rejected', 'Cancelled', 'Withdrawn'],
    activeStatuses: ['Awaiting Approval', 'Pending Approval', 'Approved'],
    ...overrides,
  };
}

const bookedDates = (r: PlanRules, existing: Absence[] = []) => toBook(buildPlan(englandAndWales, r, { absences: existing })).map((i) => i.date);
const bh = (date: string, status = 'Approved'): Absence => ({ start: date, end: date, reason: 'Bank Holiday', status });

describe('plan of a leave year', () => {
  it('books the ten England and Wales holidays of 2026/27, substitute Boxing Day and March Easter included', () => {
    expect(bookedDates(rules())).toEqual([
      '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31',
      '2026-12-25', '2026-12-28', '2027-01-01', '2027-03-26', '2027-03-29',
    ]);
  });

  it('keeps the Easter of the leave year, not of the calendar year', () => {
    // Easter 2024 fell in March: in the April-March year 2023/24, not in 2024/25.
    const y2023 = bookedDates(rules({ leaveYear: leaveYearStarting(2023, '04-01'), today: '2023-04-01' }));
    expect(y2023).toContain('2024-03-29');
    expect(y2023).toContain('2023-04-07');
    const y2024 = bookedDates(rules({ leaveYear: leaveYearStarting(2024, '04-01'), today: '2024-04-01' }));
    expect(y2024).not.toContain('2024-03-29');
    // ...while its Easter Monday, 1 April 2024, opens the next leave year.
    expect(y2024).toContain('2024-04-01');
    expect(y2023).not.toContain('2024-04-01');
  });

  it('follows a calendar leave year', () => {
    const dates = bookedDates(rules({ leaveYear: leaveYearStarting(2026, '01-01'), today: '2026-01-01' }));
    expect(dates[0]).toBe('2026-01-01');
    expect(dates.at(-1)).toBe('2026-12-28');
    expect(dates).toHaveLength(8);
  });

  it('skips holidays on days the person does not work, saying why', () => {
    const plan = buildPlan(englandAndWales, rules({ workingDays: ['mon', 'tue', 'wed'] }));
    expect(toBook(plan)).toHaveLength(6);
    const friday = plan.items.find((i) => i.date === '2026-04-03')!;
    expect(friday).toMatchObject({ action: 'skip', reason: 'not a working day' });
  });

  it('skips the past unless asked, and drops excluded days', () => {
    const plan = buildPlan(englandAndWales, rules({ today: '2026-06-01', exclude: ['2026-12-28'] }));
    expect(plan.items.filter((i) => i.reason === 'in the past').map((i) => i.date)).toEqual([
      '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25',
    ]);
    expect(plan.items.find((i) => i.date === '2026-12-28')).toMatchObject({ action: 'skip', reason: 'excluded in config' });
    expect(bookedDates(rules({ today: '2026-06-01', includePast: true }))).toHaveLength(10);
  });

  it("adds a trust's extra days, and never lists a date twice", () => {
    const plan = buildPlan(
      englandAndWales,
      rules({ extraDays: [{ date: '2026-12-24', title: 'Trust day' }, { date: '2026-12-25', title: 'Duplicate' }] }),
    );
    expect(plan.items.find((i) => i.date === '2026-12-24')).toMatchObject({ title: 'Trust day', action: 'book' });
    expect(plan.items.filter((i) => i.date === '2026-12-25')).toEqual([
      expect.objectContaining({ title: 'Christmas Day' }),
    ]);
  });
});

describe('plan against what ESR holds', () => {
  it('reports a Bank Holiday booking as already booked; a cancelled, rejected or withdrawn one is the person’s decision', () => {
    const plan = buildPlan(englandAndWales, rules(), {
      absences: [bh('2026-05-04'), bh('2026-05-25', 'Cancelled'), bh('2026-08-31', 'rejected'), bh('2026-12-25', ' Withdrawn ')],
    });
    const at = (date: string) => plan.items.find((i) => i.date === date)!;
    expect(at('2026-05-04').action).toBe('already-booked');
    expect(at('2026-05-25')).toMatchObject({ action: 'skip', reason: expect.stringMatching(/^cancelled in ESR \(--rebook 2026-05-25/) });
    expect(at('2026-08-31')).toMatchObject({ action: 'skip', reason: expect.stringMatching(/^rejected in ESR/) });
    expect(at('2026-12-25')).toMatchObject({ action: 'skip', reason: expect.stringMatching(/^withdrawn in ESR/) });
    expect(at('2026-05-25').existing?.status).toBe('Cancelled');
  });

  it('books a cancelled day again only when the person asks for that day', () => {
    const absences = [bh('2026-05-25', 'Cancelled'), bh('2026-08-31', 'Rejected')];
    const plan = buildPlan(englandAndWales, rules({ rebook: ['2026-05-25'] }), { absences });
    expect(plan.items.find((i) => i.date === '2026-05-25')).toMatchObject({ action: 'book', reason: expect.stringContaining('asked to book again') });
    expect(plan.items.find((i) => i.date === '2026-08-31')!.action).toBe('skip');
  });

  it('reads statuses as whole values: an unknown one counts as active and is named; "Not Approved" is not "Approved"', () => {
    const leave = (date: string, status: string): Absence => ({ start: date, end: date, reason: 'Annual Leave', status });
    const plan = buildPlan(englandAndWales, rules(), {
      absences: [bh('2026-05-04', 'Declined'), bh('2026-05-25', 'Not Approved'), leave('2026-08-31', 'Not Cancelled'), bh('2026-12-25', 'Approved')],
    });
    const at = (date: string) => plan.items.find((i) => i.date === date)!;
    expect(at('2026-05-04')).toMatchObject({ action: 'already-booked', reason: expect.stringContaining('"Declined" is not one this tool knows') });
    expect(at('2026-05-25')).toMatchObject({ action: 'already-booked', reason: expect.stringContaining('"Not Approved"') });
    expect(at('2026-08-31')).toMatchObject({ action: 'conflict', reason: expect.stringContaining('"Not Cancelled" is not one this tool knows') });
    expect(at('2026-12-25').reason).toBeUndefined();
  });

  it('holds back a day ESR accepted earlier but does not list, unless the person asks to send it again', () => {
    const accepted = new Map([['2026-05-25', '2026-04-01T07:00:00.000Z'], ['2026-05-04', '2026-04-01T07:00:01.000Z']]);
    const plan = buildPlan(englandAndWales, rules(), { absences: [bh('2026-05-04')], accepted });
    expect(plan.items.find((i) => i.date === '2026-05-25')).toMatchObject({ action: 'unconfirmed', reason: expect.stringContaining('--resend 2026-05-25') });
    // Listed after all: nothing to hold back.
    expect(plan.items.find((i) => i.date === '2026-05-04')!.action).toBe('already-booked');
    expect(summarise(plan)).toMatchObject({ unconfirmed: 1, book: 8 });
    const resent = buildPlan(englandAndWales, rules({ resend: ['2026-05-25'] }), { absences: [], accepted });
    expect(resent.items.find((i) => i.date === '2026-05-25')!.action).toBe('book');
    // A person's cancellation outranks the journal too, and --rebook alone books it again.
    const cancelled = buildPlan(englandAndWales, rules(), { absences: [bh('2026-05-25', 'Cancelled')], accepted });
    expect(cancelled.items.find((i) => i.date === '2026-05-25')!.action).toBe('skip');
    const rebooked = buildPlan(englandAndWales, rules({ rebook: ['2026-05-25'] }), { absences: [bh('2026-05-25', 'Cancelled')], accepted });
    expect(rebooked.items.find((i) => i.date === '2026-05-25')!.action).toBe('book');
  });

  it('never books over other leave, and says what is there', () => {
    const leave: Absence = { start: '2026-12-21', end: '2027-01-02', reason: 'Annual Leave', status: 'Awaiting Approval' };
    const plan = buildPlan(englandAndWales, rules(), { absences: [leave] });
    const christmas = plan.items.find((i) => i.date === '2026-12-25')!;
    expect(christmas.action).toBe('conflict');
    expect(christmas.reason).toContain('Annual Leave (Awaiting Approval) 21/12/2026-02/01/2027');
    expect(summarise(plan)).toEqual({ book: 7, 'already-booked': 0, conflict: 3, skip: 0, unconfirmed: 0 });
  });

  it('reports an orphan Bank Holiday booking in the year, and never one outside it', () => {
    const plan = buildPlan(englandAndWales, rules(), { absences: [bh('2026-06-01'), bh('2025-06-02'), bh('2026-06-03', 'Cancelled')] });
    expect(plan.orphans.map((o) => o.start)).toEqual(['2026-06-01']);
    expect(plan.orphans[0]!.hint).toMatch(/never deletes/);
  });
});

describe('plan properties', () => {
  const weekdays = fc.subarray(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as Weekday[], { minLength: 1 });
  const year = fc.integer({ min: 2012, max: 2027 });
  const booked = fc.subarray(englandAndWales.map((h) => h.date));

  it('lists every holiday of the year once, sorted, and books only working, future, unbooked days', () => {
    fc.assert(
      fc.property(year, weekdays, fc.boolean(), booked, (y, days, includePast, existingDates) => {
        const r = rules({ leaveYear: leaveYearStarting(y, '04-01'), today: `${y}-07-01`, workingDays: days, includePast });
        const plan = buildPlan(englandAndWales, r, { absences: existingDates.map((d) => bh(d)) });
        const expected = englandAndWales.filter((h) => h.date >= r.leaveYear.start && h.date <= r.leaveYear.end).map((h) => h.date);
        expect(plan.items.map((i) => i.date)).toEqual([...new Set(expected)].sort());
        for (const item of plan.items) {
          const shouldBook = worksOn(item.date, days) && (includePast || item.date >= r.today) && !existingDates.includes(item.date);
          expect(item.action === 'book').toBe(shouldBook);
          if (existingDates.includes(item.date)) expect(item.action).toBe('already-booked');
        }
        // Booking what the plan says, then planning again, books nothing: the diff is idempotent.
        const after = buildPlan(englandAndWales, r, { absences: [...existingDates, ...toBook(plan).map((i) => i.date)].map((d) => bh(d)) });
        expect(toBook(after)).toEqual([]);
      }),
    );
  });
});

describe('property: a person’s decision and the journal are never overridden by the plan', () => {
  const statuses = fc.constantFrom('Approved', 'Awaiting Approval', 'Cancelled', 'Rejected', 'Withdrawn', 'Declined', 'Not Approved');
  it('books a day only when ESR shows no active absence on it, no decision the person did not undo, and no unlisted accepted request', () => {
    const holidayDates = englandAndWales.filter((h) => h.date >= '2026-04-01' && h.date <= '2027-03-31').map((h) => h.date);
    fc.assert(
      fc.property(
        fc.array(fc.record({ date: fc.constantFrom(...holidayDates), status: statuses, reason: fc.constantFrom('Bank Holiday', 'Annual Leave') })),
        fc.subarray(holidayDates),
        fc.subarray(holidayDates),
        fc.subarray(holidayDates),
        (rows, acceptedDates, rebook, resend) => {
          const absences = rows.map((r) => ({ start: r.date, end: r.date, reason: r.reason, status: r.status }));
          const accepted = new Map(acceptedDates.map((d) => [d, 'earlier']));
          const plan = buildPlan(englandAndWales, rules({ rebook, resend }), { absences, accepted });
          const inactive = ['Cancelled', 'Rejected', 'Withdrawn'];
          for (const item of toBook(plan)) {
            const onDay = absences.filter((a) => a.start === item.date);
            expect(onDay.filter((a) => !inactive.includes(a.status))).toEqual([]);
            if (onDay.some((a) => a.reason === 'Bank Holiday')) expect(rebook).toContain(item.date);
            else if (acceptedDates.includes(item.date)) expect(resend).toContain(item.date);
          }
        },
      ),
    );
  });
});

describe('coverage of the holiday data', () => {
  it('names the calendar years of a leave year the data has nothing for', () => {
    expect(uncoveredYears(englandAndWales, leaveYearStarting(2027, '04-01'))).toEqual([]);
    expect(uncoveredYears(englandAndWales, leaveYearStarting(2028, '04-01'))).toEqual([2029]);
    expect(uncoveredYears(englandAndWales, leaveYearStarting(2031, '01-01'))).toEqual([2031]);
    expect(uncoveredYears([], leaveYearStarting(2026, '04-01'))).toEqual([2026, 2027]);
    expect(coveredYears(englandAndWales)).toMatchObject({ first: 2012, last: 2028 });
  });
});
