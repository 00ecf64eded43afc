import { fromEsrDate } from '../planning/dates.js';
import type { Absence } from '../planning/plan.js';

const DATE = /\b(\d{2}\/\d{2}\/\d{4})\b/g;
const KNOWN_STATUSES = ['Awaiting Approval', 'Pending Approval', 'Approved', 'Rejected', 'Cancelled', 'Withdrawn'];

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One row of ESR's absence list, read by its text rather than by column: the first date is the
 * start, the second (if any) the end. A row without a date (a "no absences" line) is null.
 */
export function parseAbsenceRow(text: string, reasons: readonly string[], statuses: readonly string[]): Absence | null {
  const dates = [...text.matchAll(DATE)].map((m) => fromEsrDate(m[1]!));
  const start = dates[0];
  if (!start) return null;
  const end = dates[1] ?? start;
  let rest = collapse(text.replace(DATE, ' '));
  const status = [...new Set([...statuses, ...KNOWN_STATUSES])]
    .sort((a, b) => b.length - a.length)
    .find((s) => new RegExp(`\\b${escapeRegExp(s)}\\b`, 'i').test(rest));
  if (status) rest = collapse(rest.replace(new RegExp(`\\b${escapeRegExp(status)}\\b`, 'i'), ' '));
  const known = reasons.find((r) => new RegExp(`\\b${escapeRegExp(r)}\\b`, 'i').test(rest));
  return {
    start,
    end: end < start ? start : end,
    reason: known ?? rest,
    // A status we cannot read is taken as active: better to skip a day than to book it twice.
    status: status ?? 'Unknown',
  };
}

export function parseAbsenceRows(texts: readonly string[], reasons: readonly string[], statuses: readonly string[]): Absence[] {
  return texts.map((t) => parseAbsenceRow(t, reasons, statuses)).filter((a): a is Absence => a !== null);
}
