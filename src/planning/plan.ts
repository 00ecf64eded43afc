import { humanDate, toEsrDate, type IsoDate } from './dates.js';
import { inLeaveYear, type LeaveYear } from './leave-year.js';
import { worksOn, type Weekday } from './working-pattern.js';

export interface Holiday {
  date: IsoDate;
  title: string;
}

/** An absence as ESR lists it: reason and status are ESR's whole cell values. */
export interface Absence {
  start: IsoDate;
  end: IsoDate;
  reason: string;
  status: string;
}

export type Action = 'book' | 'skip' | 'already-booked' | 'conflict' | 'unconfirmed';

export interface PlanItem {
  date: IsoDate;
  title: string;
  action: Action;
  reason?: string;
  /** The ESR absence behind `already-booked`, `conflict`, or a person's cancelled booking. */
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
  /** Statuses of an absence that books nothing: `Rejected`, `Cancelled`, `Withdrawn`. */
  inactiveStatuses: readonly string[];
  /** Statuses the tool knows as active; any status in neither list is taken as active, and said so. */
  activeStatuses?: readonly string[];
  /** Days the person asked to book again although ESR shows their booking cancelled or rejected. */
  rebook?: readonly IsoDate[];
  /** Days the person asked to send again although ESR accepted them earlier and does not list them. */
  resend?: readonly IsoDate[];
}

/** What ESR and this tool's journal say about the assignment. */
export interface EsrState {
  absences: readonly Absence[];
  /** Days ESR accepted a request for in an earlier run (the journal), with when. */
  accepted?: ReadonlyMap<IsoDate, string>;
}

export const REASONS = {
  notWorking: 'not a working day',
  past: 'in the past',
  excluded: 'excluded in config',
} as const;

const normal = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();
const same = (a: string, b: string) => normal(a) === normal(b);

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

/** ISO dates sort as strings; localeCompare would load ICU's collator (about 20 ms) to do the same. */
const byDate = (a: IsoDate, b: IsoDate) => (a < b ? -1 : a > b ? 1 : 0);

function covers(absence: Absence, date: IsoDate): boolean {
  return absence.start <= date && date <= absence.end;
}

/** A status in neither of the tool's lists: counted as active, and named so the person can check. */
function unknownStatus(absence: Absence, rules: PlanRules): boolean {
  return isActive(absence, rules) && !(rules.activeStatuses ?? []).some((s) => same(s, absence.status));
}

function statusNote(absence: Absence, rules: PlanRules): string {
  return unknownStatus(absence, rules) ? `; ESR status "${absence.status}" is not one this tool knows, so it counts as active` : '';
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
  const byDay = new Map<IsoDate, Holiday>();
  for (const holiday of [...holidays, ...rules.extraDays]) {
    if (inLeaveYear(holiday.date, rules.leaveYear) && !byDay.has(holiday.date)) {
      byDay.set(holiday.date, holiday);
    }
  }
  return [...byDay.values()].sort((a, b) => byDate(a.date, b.date));
}

function decide(holiday: Holiday, rules: PlanRules, esr: EsrState): PlanItem {
  const base = { date: holiday.date, title: holiday.title };
  const onTheDay = esr.absences.filter((absence) => covers(absence, holiday.date));
  const active = onTheDay.filter((a) => isActive(a, rules));
  const booked = active.find((a) => isBankHoliday(a, rules));
  // What ESR already holds is reported first: it is true whatever the rules say now.
  if (booked) {
    const note = statusNote(booked, rules).replace(/^; /, '');
    return { ...base, action: 'already-booked', existing: booked, ...(note ? { reason: note } : {}) };
  }
  if (rules.exclude.includes(holiday.date)) return { ...base, action: 'skip', reason: REASONS.excluded };
  if (!worksOn(holiday.date, rules.workingDays)) return { ...base, action: 'skip', reason: REASONS.notWorking };
  if (!rules.includePast && holiday.date < rules.today) return { ...base, action: 'skip', reason: REASONS.past };
  const clash = active[0];
  if (clash) return { ...base, action: 'conflict', reason: `ESR already has ${describe(clash)}${statusNote(clash, rules)}`, existing: clash };
  // A booking the person or their manager cancelled or rejected is their decision, not a gap to fill.
  const decided = onTheDay.find((a) => isBankHoliday(a, rules));
  if (decided && !rules.rebook?.includes(holiday.date)) {
    return { ...base, action: 'skip', reason: `${normal(decided.status)} in ESR (--rebook ${holiday.date} to book it again)`, existing: decided };
  }
  // The journal speaks only for a day the list shows nothing for: a listed booking, in any status, is ESR's word.
  const acceptedAt = decided ? undefined : esr.accepted?.get(holiday.date);
  if (acceptedAt && !rules.resend?.includes(holiday.date)) {
    return {
      ...base,
      action: 'unconfirmed',
      reason: `ESR accepted a request for this day at ${acceptedAt} but does not list it; check ESR, then --resend ${holiday.date} to send it again`,
    };
  }
  return { ...base, action: 'book', ...(decided ? { reason: `asked to book again (${normal(decided.status)} in ESR)` } : {}) };
}

/**
 * The plan for one leave year: every holiday in it, sorted, each with what to do and why.
 * `esr` is what ESR holds for the assignment (and what it accepted before); leave it out to plan without ESR.
 */
export function buildPlan(holidays: readonly Holiday[], rules: PlanRules, esr: EsrState = { absences: [] }): Plan {
  const active = esr.absences.filter((a) => isActive(a, rules));
  const ofYear = holidaysOfYear(holidays, rules);
  const items = ofYear.map((holiday) => decide(holiday, rules, esr));

  const orphans = active
    .filter((a) => isBankHoliday(a, rules))
    .filter((a) => inLeaveYear(a.start, rules.leaveYear) || inLeaveYear(a.end, rules.leaveYear))
    .filter((a) => !ofYear.some((h) => covers(a, h.date)))
    .sort((a, b) => byDate(a.start, b.start))
    .map((a) => ({
      ...a,
      hint: `${humanDate(a.start)} is not a bank holiday of this leave year (moved, or booked by mistake?); the tool never deletes, so cancel it in ESR yourself if it is wrong`,
    }));

  return { leaveYear: rules.leaveYear, items, orphans };
}

export type Summary = Record<Action, number>;

export function summarise(plan: Plan): Summary {
  const summary: Summary = { book: 0, 'already-booked': 0, conflict: 0, skip: 0, unconfirmed: 0 };
  for (const item of plan.items) summary[item.action] += 1;
  return summary;
}

export function toBook(plan: Plan): PlanItem[] {
  return plan.items.filter((item) => item.action === 'book');
}

/** The calendar years holiday data covers: first to last year with any holiday, and any years missing between. */
export function coveredYears(holidays: readonly Holiday[]): { first: number; last: number; years: Set<number> } | null {
  if (holidays.length === 0) return null;
  const years = new Set(holidays.map((h) => Number(h.date.slice(0, 4))));
  return { first: Math.min(...years), last: Math.max(...years), years };
}

/** The calendar years of the leave year that the holiday data has nothing for (a silent "0 to book" otherwise). */
export function uncoveredYears(holidays: readonly Holiday[], leaveYear: LeaveYear): number[] {
  const covered = coveredYears(holidays);
  const missing: number[] = [];
  for (let year = Number(leaveYear.start.slice(0, 4)); year <= Number(leaveYear.end.slice(0, 4)); year += 1) {
    if (!covered?.years.has(year)) missing.push(year);
  }
  return missing;
}
