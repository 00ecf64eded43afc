import { afterEach, describe, expect, it } from 'vitest';
import { ListUnreadable, SelectorError } from '../../src/esr/errors.js';
import { bankHolidayBookingOn } from '../../src/planning/plan.js';
import type { Faults } from '../../src/sandbox/server.js';
import type { Seed } from '../../src/sandbox/store.js';
import { drive, type Driven } from '../helpers/esr.js';

// Every ESR here books over anything: only the driver's reading stands between a day and a second booking.
const loose = (faults: Partial<Faults> = {}) => ({ refuseOverlaps: false, ...faults });
const NURSE = '12345678';
const BANK = '87654321';
const seed: Seed[] = [
  { assignmentId: NURSE, start: '25/05/2026', end: '25/05/2026', reason: 'Bank Holiday', status: 'Approved' },
  { assignmentId: NURSE, start: '01/06/2026', end: '05/06/2026', reason: 'Annual Leave', status: 'Awaiting Approval' },
  { assignmentId: NURSE, start: '04/05/2026', end: '04/05/2026', reason: 'Bank Holiday', status: 'Cancelled' },
  { assignmentId: BANK, start: '31/08/2026', end: '31/08/2026', reason: 'Bank Holiday', status: 'Approved' },
];
const read = [
  { start: '2026-05-25', end: '2026-05-25', reason: 'Bank Holiday', status: 'Approved' },
  { start: '2026-06-01', end: '2026-06-05', reason: 'Annual Leave', status: 'Awaiting Approval' },
  { start: '2026-05-04', end: '2026-05-04', reason: 'Bank Holiday', status: 'Cancelled' },
];
const byStart = <T extends { start: string }>(list: T[]) => [...list].sort((a, b) => a.start.localeCompare(b.start));
const errorOf = (promise: Promise<unknown>) => promise.then(
  () => {
    throw new Error('resolved where it should have failed');
  },
  (e: unknown) => e as Error,
);

let driven: Driven | undefined;
afterEach(async () => {
  await driven?.close();
  driven = undefined;
});

describe('the absence list is read whole, or nothing is booked', () => {
  it('a renamed list: the error names esr.selectors.absenceTable in full, and one override line fixes it', async () => {
    driven = await drive({ seed, faults: loose({ absenceList: 'alternate' }) });
    const error = await errorOf(driven.session.book(NURSE, '2026-05-25'));
    expect(error).toBeInstanceOf(SelectorError);
    expect(error.message).toContain('override esr.selectors.absenceTable in your config');
    expect(driven.sandbox.submits()).toBe(0);
    await driven.close();

    driven = await drive({ seed, faults: loose({ absenceList: 'alternate' }) }, { esr: { selectors: { absenceTable: '#absence-list-v2' } } });
    expect(await driven.session.book(NURSE, '2026-05-25')).toBe('already-booked');
    expect(driven.sandbox.submits()).toBe(0);
  });

  it('rows the row selector misses stop the read, naming esr.selectors.absenceRows and the row', async () => {
    // The user: copied the old defaults and changed only the list's id.
    driven = await drive(
      { seed, faults: loose({ absenceList: 'alternate' }) },
      { esr: { selectors: { absenceTable: '#absence-list-v2', absenceRows: '#absence-history tbody tr' } } },
    );
    const error = await errorOf(driven.session.book(NURSE, '2026-05-25'));
    expect(error).toBeInstanceOf(ListUnreadable);
    expect(error.message).toMatch(/esr\.selectors\.absenceRows \("#absence-history tbody tr"\) does not match: "25\/05\/2026 25\/05\/2026 Bank Holiday Approved"/);
    expect(driven.sandbox.submits()).toBe(0);
  });

  // locale: the page's script writes them by the browser's locale, which the tool sets to ESR's (en-GB):
  // in the browser's own (en-US here) 3 April would read 4/3/2026, a day already booked taken for 4 March.
  it.each([
    ['dd/mm/yyyy', '03/04/2026'],
    ['d/m/yyyy', '3/4/2026'],
    ['dd-Mon-yyyy', '03-Apr-2026'],
    ['locale', '03/04/2026'],
  ] as const)('reads dates written %s, and books nothing already there', async (dateFormat, shown) => {
    driven = await drive({ seed: [...seed, { assignmentId: NURSE, start: '03/04/2026', end: '03/04/2026', reason: 'Bank Holiday', status: 'Approved' }], faults: loose({ dateFormat }) });
    const cells = await driven.session.pages.page.locator('#absence-history td').allTextContents();
    expect(cells).toContain(shown);
    expect(await driven.session.absences(NURSE)).toEqual([...read, { start: '2026-04-03', end: '2026-04-03', reason: 'Bank Holiday', status: 'Approved' }]);
    expect(await driven.session.book(NURSE, '2026-04-03')).toBe('already-booked');
    expect(await driven.session.book(NURSE, '2026-08-31')).toBe('booked');
    expect(driven.sandbox.submitsFor('2026-04-03')).toBe(0);
    expect(driven.sandbox.submitsFor('2026-08-31')).toBe(1);
  });

  it('a row whose date it cannot read ("TBC") is an error naming the key and the text, not a row dropped', async () => {
    driven = await drive({ seed: [...seed, { assignmentId: NURSE, start: 'TBC', end: 'TBC', reason: 'Annual Leave', status: 'Approved' }], faults: loose() });
    const error = await errorOf(driven.session.book(NURSE, '2026-08-31'));
    expect(error).toBeInstanceOf(ListUnreadable);
    expect(error.message).toMatch(/cannot read the start date "TBC" \(column esr\.columns\.start\).*esr\.selectors\.absenceRows.*"TBC TBC Annual Leave Approved"/);
    expect(driven.sandbox.submits()).toBe(0);
  });

  it('reads reason and status from their own cells: a comment never makes a bank holiday, Not Approved is not Approved', async () => {
    driven = await drive({
      seed: [
        { assignmentId: NURSE, start: '21/12/2026', end: '01/01/2027', reason: 'Annual Leave', status: 'Approved', comments: 'Christmas, incl. bank holidays' },
        { assignmentId: NURSE, start: '25/05/2026', end: '25/05/2026', reason: 'Bank Holiday', status: 'Not Approved', comments: 'Approved by phone' },
        { assignmentId: NURSE, start: '31/08/2026', end: '31/08/2026', reason: 'Bank Holiday', status: 'Declined' },
      ],
      faults: loose({ extraColumns: true }),
    });
    const list = await driven.session.absences(NURSE);
    expect(list).toEqual([
      { start: '2026-12-21', end: '2027-01-01', reason: 'Annual Leave', status: 'Approved' },
      { start: '2026-05-25', end: '2026-05-25', reason: 'Bank Holiday', status: 'Not Approved' },
      { start: '2026-08-31', end: '2026-08-31', reason: 'Bank Holiday', status: 'Declined' },
    ]);
    expect(bankHolidayBookingOn(list, '2026-12-25', driven.config.esr.texts)).toBeUndefined();
    // Statuses the tool does not know count as active: those days are not booked again.
    expect(await driven.session.book(NURSE, '2026-05-25')).toBe('already-booked');
    expect(await driven.session.book(NURSE, '2026-08-31')).toBe('already-booked');
    expect(driven.sandbox.submits()).toBe(0);
  });

  it('a list still arriving is read only once its page is whole: a day in its late last row is not booked again', async () => {
    // ESR reloads the dashboard after a request, the list by date; its last row, a booked day, comes 600 ms after the rest.
    const late: Seed[] = [{ assignmentId: NURSE, start: '31/08/2026', end: '31/08/2026', reason: 'Bank Holiday', status: 'Approved' }];
    driven = await drive({ seed: late, faults: loose({ reloadAfterSubmit: true, pageSize: 20, lastRowLateMs: 600 }) });
    expect(await driven.session.book(NURSE, '2026-05-04')).toBe('booked');
    // Read from the page the booking above left on screen: read before its last row came, 31 August looks free.
    expect(await driven.session.book(NURSE, '2026-08-31')).toBe('already-booked');
    expect(driven.sandbox.submitsFor('2026-08-31')).toBe(0);
  });

  it('follows esr.selectors.absenceNextPage through every page before deciding: a Bank Holiday on page 2 is found', async () => {
    const paged = { seed, faults: loose({ pageSize: 2 }) };
    const next = { esr: { selectors: { absenceNextPage: 'a.next-page' } } };
    driven = await drive(paged, next);
    expect(byStart(await driven.session.absences(NURSE))).toEqual(byStart(read));
    // Sorted by start, 25/05 is on page 2 of NURSE's list.
    expect(await driven.session.book(NURSE, '2026-05-25')).toBe('already-booked');
    expect(driven.sandbox.submits()).toBe(0);
    // A new day is confirmed on whichever page it lands, and the form is found again after paging.
    expect(await driven.session.book(NURSE, '2026-12-25')).toBe('booked');
    expect(await driven.session.book(NURSE, '2026-12-28')).toBe('booked');
    expect(await driven.session.absences(NURSE, { fresh: true })).toHaveLength(5);
    expect(driven.sandbox.submits()).toBe(2);
  });

  it('stops when "next" does not lead to a new page', async () => {
    driven = await drive({ seed, faults: loose({ pageSize: 2 }) }, { esr: { selectors: { absenceNextPage: 'h1' } } });
    const error = await errorOf(driven.session.book(NURSE, '2026-12-25'));
    expect(error).toBeInstanceOf(ListUnreadable);
    expect(error.message).toMatch(/esr\.selectors\.absenceNextPage \("h1"\) but no new page/);
    expect(driven.sandbox.submits()).toBe(0);
  });

  it('reads the list on its own page (esr.paths.absences) for the assignment chosen, and books on the dashboard', async () => {
    driven = await drive({ seed, faults: loose({ absencesPage: true }) });
    await expect(driven.session.absences(NURSE)).rejects.toBeInstanceOf(SelectorError);
    await driven.close();

    driven = await drive({ seed, faults: loose({ absencesPage: true }) }, { esr: { paths: { absences: '/dashboard/web/absences' } } });
    expect(await driven.session.absences(BANK)).toEqual([{ start: '2026-08-31', end: '2026-08-31', reason: 'Bank Holiday', status: 'Approved' }]);
    expect(await driven.session.absences(NURSE)).toEqual(read);
    expect(await driven.session.book(NURSE, '2026-05-25')).toBe('already-booked');
    expect(await driven.session.book(NURSE, '2026-08-31')).toBe('booked');
    expect(await driven.session.book(NURSE, '2026-12-25')).toBe('booked');
    expect(await driven.session.book(BANK, '2026-08-31')).toBe('already-booked');
    expect(driven.sandbox.submits()).toBe(2);
    expect(driven.sandbox.store.absences(NURSE).map((a) => a.start)).toEqual(['25/05/2026', '01/06/2026', '04/05/2026', '31/08/2026', '25/12/2026']);
  });

  it('tells an empty list from a missing one only by esr.texts.emptyList', async () => {
    driven = await drive({ faults: loose({ emptyListText: true }) });
    const error = await errorOf(driven.session.book(NURSE, '2026-05-25'));
    expect(error).toBeInstanceOf(SelectorError);
    expect(driven.sandbox.submits()).toBe(0);
    await driven.close();

    driven = await drive({ faults: loose({ emptyListText: true }) }, { esr: { texts: { emptyList: 'No results found.' }, selectors: { absenceArea: '#absence-area' } } });
    expect(await driven.session.absences(NURSE)).toEqual([]);
    expect(await driven.session.book(NURSE, '2026-05-25')).toBe('booked');
    expect(driven.sandbox.submits()).toBe(1);
  });
});
