// One module per function: the package's index costs every command about 0.1 s to load.
import { addDays } from 'date-fns/addDays';
import { format } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';
import { parse } from 'date-fns/parse';

/** A calendar date as `YYYY-MM-DD`. Strings compare in date order, which the planner relies on. */
export type IsoDate = string;

const ISO_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const ESR_PATTERN = /^\d{2}\/\d{2}\/\d{4}$/;
// Any fixed reference works: parse() only borrows missing fields from it, and every format here is complete.
const REFERENCE = new Date(2000, 0, 1);

function parseStrict(text: string, pattern: RegExp, fmt: string): Date | null {
  if (!pattern.test(text)) return null;
  const date = parse(text, fmt, REFERENCE);
  // date-fns rolls 30 February over to March; a round trip tells a real date from a rolled one.
  return isValid(date) && format(date, fmt) === text ? date : null;
}

/** `YYYY-MM-DD` when it is a real calendar date, else null. */
export function parseIsoDate(text: string): IsoDate | null {
  return parseStrict(text, ISO_PATTERN, 'yyyy-MM-dd') ? text : null;
}

/** ESR's `dd/mm/yyyy` to `YYYY-MM-DD`, or null when it is not a real date. */
export function fromEsrDate(text: string): IsoDate | null {
  const date = parseStrict(text, ESR_PATTERN, 'dd/MM/yyyy');
  return date ? format(date, 'yyyy-MM-dd') : null;
}

function toDate(iso: IsoDate): Date {
  return parse(iso, 'yyyy-MM-dd', REFERENCE);
}

export function toEsrDate(iso: IsoDate): string {
  return format(toDate(iso), 'dd/MM/yyyy');
}

export function addDaysIso(iso: IsoDate, days: number): IsoDate {
  return format(addDays(toDate(iso), days), 'yyyy-MM-dd');
}

/** 0 = Sunday ... 6 = Saturday, as Date#getDay. */
export function weekdayIndex(iso: IsoDate): number {
  return toDate(iso).getDay();
}

/** `Mon 25 May 2026`, the way a person reads a date. */
export function humanDate(iso: IsoDate): string {
  return format(toDate(iso), 'EEE d MMM yyyy');
}

/** Today in the machine's local time zone, the zone the person's working day is in. */
export function localToday(now: Date = new Date()): IsoDate {
  return format(now, 'yyyy-MM-dd');
}
