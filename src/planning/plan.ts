import { humanDate, toEsrDate, type IsoDate } from './dates.js';
import { inLeaveYear, type LeaveYear } from './leave-year.js';
import { worksOn, type Weekday } from './working-pattern.js';

export interface Holiday {
  date: IsoDate;
  title: string;
}

/** An absence as ESR lists it. */
export interface Absence {
  start: IsoDate;
  end: IsoDate;
  reason: string;
  status: string;
}

export type Action = 'book' | 'skip' | 'already-booked' | 'conflict';

export interface PlanItem {
  date: IsoDate;
  title: string;
  action: Action;
  reason?: string;
  /** The ESR absence that made this item `already-booked` or `conflict`. */
  existing?: Absence;
}

/** A "Bank Holiday" absence in ESR on a day that is not one of the leave year's holidays. */
export interface Orphan extends Absence {
  hint: string;
}

export interface Plan {
  leaveYear: LeaveYear;
  items: PlanItem[];
  orphans: Orphan[];
}

export interface PlanRules {
  leaveYear: LeaveYear;
  today: IsoDate;
  workingDays: readonly Weekday[];
  includePast: boolean;
  exclude: readonly IsoDate[];
  extraDays: readonly Holiday[];
  /** ESR's leave reason for a bank holiday, e.g. `Bank Holiday`. */
  bankHolidayReason: string;
  /** Statuses of an absence that books nothing, e.g. `Rejected`, `Cancelled`. */
  inactiveStatuses: readonly string[];
}

export const REASONS = {
  notWorking: 'not a working day',
  past: 'in the past',
  excluded: 'excluded in config',
} as const;

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** What of ESR's texts the diff depends on. */
export type AbsenceTexts = Pick<PlanRules, 'bankHolidayReason' | 'inactiveStatuses'>;

export function isActive(absence: Absence, texts: AbsenceTexts): boolean {
  return !texts.inactiveStatuses.some((s) => same(s, absence.status));
}

export function isBankHoliday(absence: Absence, texts: AbsenceTexts): boolean {
  return same(absence.reason, texts.bankHolidayReason);
}

/** The active "Bank Holiday" absence covering `date`, if ESR holds one. */
export function bankHolidayBookingOn(existing: readonly Absence[], date: IsoDate, texts: AbsenceTexts): Absence | undefined {
  return existing.find((a) => isActive(a, texts) && isBankHoliday(a, texts) && covers(a, date));
}

function covers(absence: Absence, date: IsoDate): boolean {
  return absence.start <= date && date <= absence.end;
}

function describe(absence: Absence): string {
  const when =
    absence.start === absence.end
      ? toEsrDate(absence.start)
      : `${toEsrDate(absence.start)}-${toEsrDate(absence.end)}`;
  return `${absence.reason} (${absence.status}) ${when}`;
}

/** One holiday per date: the feed's title wins over a trust's extra day on the same date. */
function holidaysOfYear(holidays: readonly Holiday[], rules: PlanRules): Holiday[] {
  const byDate = new Map<IsoDate, Holiday>();
  for (const holiday of [...holidays, ...rules.extraDays]) {
    if (inLeaveYear(holiday.date, rules.leaveYear) && !byDate.has(holiday.date)) {
      byDate.set(holiday.date, holiday);
    }
  }
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}

function decide(holiday: Holiday, rules: PlanRules, active: readonly Absence[]): PlanItem {
  const base = { date: holiday.date, title: holiday.title };
  const onTheDay = active.filter((absence) => covers(absence, holiday.date));
  const booked = onTheDay.find((a) => isBankHoliday(a, rules));
  // What ESR already holds is reported first: it is true whatever the rules say now.
  if (booked) return { ...base, action: 'already-booked', existing: booked };
  if (rules.exclude.includes(holiday.date)) return { ...base, action: 'skip', reason: REASONS.excluded };
  if (!worksOn(holiday.date, rules.workingDays)) return { ...base, action: 'skip', reason: REASONS.notWorking };
  if (!rules.includePast && holiday.date < rules.today) return { ...base, action: 'skip', reason: REASONS.past };
  const clash = onTheDay[0];
  if (clash) return { ...base, action: 'conflict', reason: `ESR already has ${describe(clash)}`, existing: clash };
  return { ...base, action: 'book' };
}

/**
 * The plan for one leave year: every holiday in it, sorted, each with what to do and why.
 * `existing` is what ESR holds for the assignment; leave it empty to plan without ESR.
 */
export function buildPlan(holidays: readonly Holiday[], rules: PlanRules, existing: readonly Absence[] = []): Plan {
  const active = existing.filter((a) => isActive(a, rules));
  const ofYear = holidaysOfYear(holidays, rules);
  const items = ofYear.map((holiday) => decide(holiday, rules, active));

  const orphans = active
    .filter((a) => isBankHoliday(a, rules))
    .filter((a) => inLeaveYear(a.start, rules.leaveYear) || inLeaveYear(a.end, rules.leaveYear))
    .filter((a) => !ofYear.some((h) => covers(a, h.date)))
    .sort((a, b) => a.start.localeCompare(b.start))
    .map((a) => ({
      ...a,
      hint: `${humanDate(a.start)} is not a bank holiday of this leave year (moved, or booked by mistake?); the tool never deletes, so cancel it in ESR yourself if it is wrong`,
    }));

  return { leaveYear: rules.leaveYear, items, orphans };
}

export type Summary = Record<Action, number>;

export function summarise(plan: Plan): Summary {
  const summary: Summary = { book: 0, 'already-booked': 0, conflict: 0, skip: 0 };
  for (const item of plan.items) summary[item.action] += 1;
  return summary;
}

export function toBook(plan: Plan): PlanItem[] {
  return plan.items.filter((item) => item.action === 'book');
}
