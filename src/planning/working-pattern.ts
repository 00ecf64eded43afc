import { weekdayIndex, type IsoDate } from './dates.js';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export function isWeekday(text: string): text is Weekday {
  return (WEEKDAYS as readonly string[]).includes(text);
}

export function weekdayOf(date: IsoDate): Weekday {
  return WEEKDAYS[weekdayIndex(date)]!;
}

export function worksOn(date: IsoDate, workingDays: readonly Weekday[]): boolean {
  return workingDays.includes(weekdayOf(date));
}
