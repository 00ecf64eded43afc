// Fixed-width dates need no formatter: date-fns's parse and format cost every command about 0.1 s to
// load, and even its addDays some 12 ms (its package's export map alone is 200 KB), so calendar days
// are counted here in UTC, where no day is 23 or 25 hours long. (Its isExists reads years 0-99 as 1900-1999.)

/** A calendar date as `YYYY-MM-DD`. Strings compare in date order, which the planner relies on. */
export type IsoDate = string;

const ISO_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const ESR_PATTERN = /^(\d{2})\/(\d{2})\/(\d{4})$/;
const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Year, month (1-12) and day, when they make a real calendar date (no 30 February). */
function real(year: number, month: number, day: number): boolean {
  if (year < 1) return false;
  const date = toLocal(year, month, day);
  return date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day;
}

/** A local Date for any year: the Date constructor alone maps years 0-99 to 1900-1999. */
function toLocal(year: number, month: number, day: number): Date {
  const date = new Date(2000, 0, 1);
  date.setFullYear(year, month - 1, day);
  return date;
}

function iso(year: number, month: number, day: number): IsoDate {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

function partsOf(date: IsoDate): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

function toDate(date: IsoDate): Date {
  return toLocal(...partsOf(date));
}

/** `YYYY-MM-DD` when it is a real calendar date, else null. */
export function parseIsoDate(text: string): IsoDate | null {
  const match = ISO_PATTERN.exec(text);
  return match && real(Number(match[1]), Number(match[2]), Number(match[3])) ? text : null;
}

/** ESR's `dd/mm/yyyy` to `YYYY-MM-DD`, or null when it is not a real date. */
export function fromEsrDate(text: string): IsoDate | null {
  const match = ESR_PATTERN.exec(text);
  if (!match) return null;
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return real(year, month, day) ? iso(year, month, day) : null;
}

export function toEsrDate(date: IsoDate): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

export function addDaysIso(date: IsoDate, days: number): IsoDate {
  const [year, month, day] = partsOf(date);
  const moved = new Date(0);
  moved.setUTCFullYear(year, month - 1, day + days);
  return iso(moved.getUTCFullYear(), moved.getUTCMonth() + 1, moved.getUTCDate());
}

/** 0 = Sunday ... 6 = Saturday, as Date#getDay. */
export function weekdayIndex(date: IsoDate): number {
  return toDate(date).getDay();
}

/** `Mon 25 May 2026`, the way a person reads a date. */
export function humanDate(date: IsoDate): string {
  const [year, month, day] = partsOf(date);
  return `${WEEKDAY_NAMES[weekdayIndex(date)]} ${day} ${MONTH_NAMES[month - 1]} ${year}`;
}

/** Today in the machine's local time zone, the zone the person's working day is in. */
export function localToday(now: Date = new Date()): IsoDate {
  return iso(now.getFullYear(), now.getMonth() + 1, now.getDate());
}
