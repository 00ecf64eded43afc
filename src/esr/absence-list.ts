import type { Absence } from '../planning/plan.js';
import { ListUnreadable } from './errors.js';
import { looksLikeDate, readListDate } from './list-dates.js';

export const COLUMN_KEYS = ['start', 'end', 'reason', 'status'] as const;
export type ColumnKey = (typeof COLUMN_KEYS)[number];

/** One page of the list as the page showed it; every text has its whitespace collapsed. */
export interface ListSnapshot {
  /** The header cells, in column order; empty when the list has no header. */
  headers: string[];
  /** The rows the row selector matched, each with the cells the cell selector found in it. */
  rows: Array<{ text: string; cells: string[] }>;
  /** Data rows the row selector missed, or date-like text outside every matched row. */
  strays: string[];
  /** A visible page control near the list ("Next", "Page 1 of 3"), in case no absenceNextPage follows it. */
  pager?: string;
}

export interface ListRules {
  /** Header texts per column, matched whole and case-insensitively. */
  columns: Record<ColumnKey, readonly string[]>;
  /** The selectors as configured, for the messages. */
  selectors: { absenceRows: string; absenceCells: string; absenceHeaders: string };
  /** A row that says only this is the list saying it is empty. */
  emptyList?: string | undefined;
  /** Statuses the tool knows: the one clue to the columns of a list without a header. */
  knownStatuses: readonly string[];
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const quoted = (texts: readonly string[]) => texts.map((t) => `"${t}"`).join(', ');
const cut = (text: string) => (text.length > 120 ? `${text.slice(0, 117)}...` : text);

/** Statuses the contract names, beyond the configured inactive ones. */
export const CONTRACT_STATUSES = ['Awaiting Approval', 'Pending Approval', 'Approved', 'Rejected', 'Cancelled', 'Withdrawn'];

/** Where each column is: by the header's words, or, with no header, by the contract's shape when only one reading fits. */
function columnsOf(snapshot: ListSnapshot, rows: ListSnapshot['rows'], rules: ListRules): Record<ColumnKey, number> {
  const { headers } = snapshot;
  if (headers.length > 0) {
    const found = {} as Record<ColumnKey, number>;
    for (const key of COLUMN_KEYS) {
      const names = rules.columns[key];
      const at = headers.flatMap((h, i) => (names.some((n) => same(n, h)) ? [i] : []));
      if (at.length !== 1) {
        throw new ListUnreadable(
          `${at.length === 0 ? 'cannot find' : 'more than one'} ${key} column in the absence list: its headers are ${quoted(headers)} and esr.columns.${key} is ${quoted(names)}; ` +
            `set esr.columns.${key} in your config to the header ESR shows`,
        );
      }
      found[key] = at[0]!;
    }
    return found;
  }
  // The contract: Start | End | Reason | Status. Only the status column tells reason from status, so
  // every row must say which it is; anything else is a guess, and a guess is not a read.
  const known = (text: string | undefined) => text !== undefined && rules.knownStatuses.some((s) => same(s, text));
  const shaped = rows.every((r) => r.cells.length === 4 && readListDate(r.cells[0]!) && readListDate(r.cells[1]!));
  if (shaped && rows.every((r) => known(r.cells[3]) && !known(r.cells[2]))) return { start: 0, end: 1, reason: 2, status: 3 };
  if (shaped && rows.every((r) => known(r.cells[2]) && !known(r.cells[3]))) return { start: 0, end: 1, status: 2, reason: 3 };
  throw new ListUnreadable(
    `the absence list has no header (esr.selectors.absenceHeaders "${rules.selectors.absenceHeaders}" matched nothing) and its rows are not plainly Start | End | Reason | Status, ` +
      `e.g. "${cut(rows[0]?.text ?? '')}"; set esr.selectors.absenceHeaders to the list's header cells`,
  );
}

/**
 * One page of ESR's absence list, read positively or not at all: every row the tool cannot account
 * for stops the read with a message naming the key and the text, so a list is never read short.
 */
export function readListPage(snapshot: ListSnapshot, rules: ListRules): Absence[] {
  const rowsKey = `esr.selectors.absenceRows ("${rules.selectors.absenceRows}")`;
  const stray = snapshot.strays[0];
  if (stray !== undefined) {
    throw new ListUnreadable(
      `the absence list holds a row that ${rowsKey} does not match: "${cut(stray)}"; override esr.selectors.absenceRows in your config so it matches every row`,
    );
  }
  const rows = snapshot.rows.filter((row) => {
    if (rules.emptyList && same(row.text, rules.emptyList)) return false;
    // A header row among the rows: no cells of the cell selector, and nothing that could be a date.
    return row.cells.length > 0 || looksLikeDate(row.text);
  });
  // Headers are checked even with no rows: a list whose columns are not found may not be the absence list at all.
  if (rows.length === 0 && snapshot.headers.length === 0) return [];
  const at = columnsOf(snapshot, rows, rules);
  const width = snapshot.headers.length || 4;
  return rows.map((row) => {
    if (row.cells.length !== width) {
      throw new ListUnreadable(
        `a row of the absence list has ${row.cells.length} cells (esr.selectors.absenceCells "${rules.selectors.absenceCells}") where the list has ${width} columns: "${cut(row.text)}"; check ${rowsKey} and esr.selectors.absenceCells`,
      );
    }
    const date = (key: 'start' | 'end') => {
      const cell = row.cells[at[key]]!;
      const read = readListDate(cell);
      if (!read) {
        throw new ListUnreadable(
          `cannot read the ${key} date "${cut(cell)}" (column esr.columns.${key}) of a row of the absence list (${rowsKey}): "${cut(row.text)}"; nothing was booked`,
        );
      }
      return read;
    };
    const start = date('start');
    const end = date('end');
    if (end < start) {
      throw new ListUnreadable(`a row of the absence list (${rowsKey}) ends before it starts: "${cut(row.text)}"; check esr.columns.start and esr.columns.end`);
    }
    return { start, end, reason: row.cells[at.reason]!, status: row.cells[at.status]! };
  });
}
