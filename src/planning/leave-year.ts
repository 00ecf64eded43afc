import { addDaysIso, parseIsoDate, type IsoDate } from './dates.js';

/** A leave year, both ends inclusive. */
export interface LeaveYear {
  start: IsoDate;
  end: IsoDate;
}

/** `MM-DD` of the day a leave year starts. */
export type LeaveYearStart = string;

/**
 * Why a start is not usable, or null. 29 February is refused because a leave year
 * starting on it would have no start date three years out of four.
 */
export function leaveYearStartProblem(start: string): string | null {
  if (!/^\d{2}-\d{2}$/.test(start)) return 'must be MM-DD, e.g. 04-01';
  if (start === '02-29') return '29 February does not come every year; pick 02-28 or 03-01';
  // 2001 is not a leap year, so this also refuses 02-30 and friends.
  if (!parseIsoDate(`2001-${start}`)) return 'is not a day of the year';
  return null;
}

/** The leave year that starts in `year`. */
export function leaveYearStarting(year: number, start: LeaveYearStart): LeaveYear {
  const first = `${String(year).padStart(4, '0')}-${start}`;
  const nextFirst = `${String(year + 1).padStart(4, '0')}-${start}`;
  return { start: first, end: addDaysIso(nextFirst, -1) };
}

/** The year in which the leave year holding `today` starts. */
export function startYearOf(today: IsoDate, start: LeaveYearStart): number {
  const year = Number(today.slice(0, 4));
  return today.slice(5) >= start ? year : year - 1;
}

/** The leave year that `today` falls in. */
export function leaveYearContaining(today: IsoDate, start: LeaveYearStart): LeaveYear {
  return leaveYearStarting(startYearOf(today, start), start);
}

export function inLeaveYear(date: IsoDate, year: LeaveYear): boolean {
  return date >= year.start && date <= year.end;
}
