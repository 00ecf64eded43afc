import { format } from 'date-fns/format';
import { isExists } from 'date-fns/isExists';
import type { IsoDate } from '../planning/dates.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const NUMERIC = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const NAMED = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/;

/**
 * One date as ESR's lists write it, `dd/mm/yyyy`, `d/m/yyyy` or `dd-Mon-yyyy`, read from the WHOLE
 * cell: a cell that merely contains a date ("from 03/04/2026") is not one, nor is 31/02/2026.
 */
export function readListDate(cell: string): IsoDate | null {
  const text = cell.trim();
  let day: number;
  let month: number;
  let year: number;
  const numeric = NUMERIC.exec(text);
  const named = NAMED.exec(text);
  if (numeric) {
    [day, month, year] = [Number(numeric[1]), Number(numeric[2]), Number(numeric[3])];
  } else if (named) {
    month = MONTHS.indexOf(named[2]!.toLowerCase()) + 1;
    if (month === 0) return null;
    [day, year] = [Number(named[1]), Number(named[3])];
  } else {
    return null;
  }
  // Date() reads years below 100 as 19xx; no absence list holds such a year anyway.
  if (year < 1000 || !isExists(year, month - 1, day)) return null;
  return format(new Date(year, month - 1, day), 'yyyy-MM-dd');
}

/** Text that a person would take for a date, in any of the forms above or a few more: used to spot rows the tool would miss. */
export const DATE_LIKE = String.raw`\b\d{1,2}[\/.\-](?:\d{1,2}|[A-Za-z]{3,9})[\/.\-]\d{2,4}\b|\b\d{4}-\d{1,2}-\d{1,2}\b`;

export function looksLikeDate(text: string): boolean {
  return new RegExp(DATE_LIKE).test(text);
}
