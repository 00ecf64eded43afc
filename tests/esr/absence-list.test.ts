import fc from 'fast-check';
import { format } from 'date-fns';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { CONTRACT_STATUSES, readListPage, type ListRules, type ListSnapshot } from '../../src/esr/absence-list.js';
import { ListUnreadable } from '../../src/esr/errors.js';
import { readListDate } from '../../src/esr/list-dates.js';

const { esr } = loadConfig({ env: {} }).config;
const rules: ListRules = {
  columns: esr.columns,
  selectors: { absenceRows: esr.selectors.absenceRows, absenceCells: esr.selectors.absenceCells, absenceHeaders: esr.selectors.absenceHeaders },
  knownStatuses: [...CONTRACT_STATUSES, ...esr.texts.inactiveStatuses],
};
const HEAD = ['Start', 'End', 'Reason', 'Status'];
const row = (...cells: string[]) => ({ text: cells.join(' '), cells });
const list = (rows: ListSnapshot['rows'], headers = HEAD, strays: string[] = []): ListSnapshot => ({ headers, rows, strays });
const failure = (snapshot: ListSnapshot, r: ListRules = rules) => {
  try {
    readListPage(snapshot, r);
  } catch (error) {
    expect(error).toBeInstanceOf(ListUnreadable);
    return (error as Error).message;
  }
  throw new Error('read a list it should have refused');
};

describe('ESR list dates', () => {
  it('reads dd/mm/yyyy, d/m/yyyy, dd-Mon-yyyy and d-Mon-yyyy as whole cells', () => {
    expect(readListDate('03/04/2026')).toBe('2026-04-03');
    expect(readListDate('3/4/2026')).toBe('2026-04-03');
    expect(readListDate(' 03-Apr-2026 ')).toBe('2026-04-03');
    expect(readListDate('3-apr-2026')).toBe('2026-04-03');
    expect(readListDate('29/02/2028')).toBe('2028-02-29');
  });

  it('refuses what is not a whole real date', () => {
    for (const text of ['31/02/2026', '29/02/2027', '31-Sep-2026', 'TBC', '', 'from 03/04/2026', '03/04/2026 09:00', '2026-04-03', '03/04/26', '03-Foo-2026', '00/01/2026', '01/13/2026', '01/01/0099']) {
      expect(readListDate(text), text).toBeNull();
    }
  });

  it('reads every real date in every format back to itself', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(1990, 0, 1), max: new Date(2099, 11, 31), noInvalidDate: true }), fc.constantFrom('dd/MM/yyyy', 'd/M/yyyy', 'dd-MMM-yyyy', 'd-MMM-yyyy'), (date, fmt) => {
        expect(readListDate(format(date, fmt))).toBe(format(date, 'yyyy-MM-dd'));
      }),
    );
  });
});

describe('the absence list, read positively or not at all', () => {
  it('maps columns by header, whole and case-insensitively, and keeps reason and status as ESR wrote them', () => {
    const extra = ['Start', 'End', 'Absence Type', 'REASON', 'Hours', 'Comments', 'approval status'];
    expect(
      readListPage(
        list(
          [
            row('21/12/2026', '01/01/2027', 'Annual Leave Hours 1', 'Annual Leave', '60', 'incl. bank holidays', 'Approved'),
            row('25/05/2026', '25/05/2026', 'Annual Leave Hours 1', 'Bank Holiday', '7.5', '', 'Not Approved'),
          ],
          extra,
        ),
        rules,
      ),
    ).toEqual([
      { start: '2026-12-21', end: '2027-01-01', reason: 'Annual Leave', status: 'Approved' },
      { start: '2026-05-25', end: '2026-05-25', reason: 'Bank Holiday', status: 'Not Approved' },
    ]);
  });

  it('names esr.columns.<key> and the headers seen when a column is missing or twice there', () => {
    expect(failure(list([row('25/05/2026', '25/05/2026', 'Bank Holiday', 'Approved')], ['From date', 'End', 'Reason', 'Status']))).toMatch(
      /cannot find start column .*"From date", "End", "Reason", "Status".*esr\.columns\.start/,
    );
    expect(failure(list([], ['Start', 'Start Date', 'End', 'Reason', 'Status']))).toMatch(/more than one start column.*esr\.columns\.start/);
  });

  it('stops at a row whose date it cannot read, naming the key, the column and the text', () => {
    const message = failure(list([row('25/05/2026', '25/05/2026', 'Bank Holiday', 'Approved'), row('TBC', 'TBC', 'Annual Leave', 'Approved')]));
    expect(message).toMatch(/cannot read the start date "TBC" \(column esr\.columns\.start\).*esr\.selectors\.absenceRows \("tbody tr"\).*"TBC TBC Annual Leave Approved"/);
    expect(failure(list([row('25/05/2026', '31/02/2026', 'Bank Holiday', 'Approved')]))).toMatch(/end date "31\/02\/2026"/);
    expect(failure(list([row('26/05/2026', '25/05/2026', 'Bank Holiday', 'Approved')]))).toMatch(/ends before it starts/);
  });

  it('stops at rows the row selector missed, naming esr.selectors.absenceRows and the text', () => {
    expect(failure(list([], HEAD, ['25/05/2026 25/05/2026 Bank Holiday Approved']))).toMatch(
      /holds a row that esr\.selectors\.absenceRows \("tbody tr"\) does not match: "25\/05\/2026 25\/05\/2026 Bank Holiday Approved"/,
    );
  });

  it('stops at a row whose cells do not fit the columns, such as a "no absences" line it was not told about', () => {
    expect(failure(list([row('No absences found')]))).toMatch(/has 1 cells .* 4 columns: "No absences found"/);
    expect(readListPage(list([row('No results found.')]), { ...rules, emptyList: 'No results found.' })).toEqual([]);
  });

  it('reads an empty list as empty, and a header row among the rows as no row', () => {
    expect(readListPage(list([]), rules)).toEqual([]);
    expect(readListPage(list([{ text: 'Start End Reason Status', cells: [] }]), rules)).toEqual([]);
    expect(failure(list([{ text: 'Bank Holiday 25/05/2026', cells: [] }]))).toMatch(/0 cells/);
  });

  it('without a header, reads the contract’s Start | End | Reason | Status only when each row says so', () => {
    expect(readListPage(list([row('25/05/2026', '25/05/2026', 'Bank Holiday', 'Approved')], []), rules)).toEqual([
      { start: '2026-05-25', end: '2026-05-25', reason: 'Bank Holiday', status: 'Approved' },
    ]);
    expect(failure(list([row('25/05/2026', '25/05/2026', 'Bank Holiday', 'Declined')], []))).toMatch(/no header .*esr\.selectors\.absenceHeaders/);
    expect(failure(list([row('25/05/2026', '25/05/2026', 'Bank Holiday', '7.5', 'Approved')], []))).toMatch(/no header/);
  });
});
