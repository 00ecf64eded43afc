import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { EsrRefused, EsrUnavailable, LoginRefused, OutcomeUnknown, SelectorError } from '../../src/esr/errors.js';
import type { Seed } from '../../src/sandbox/store.js';
import { drive, type Driven } from '../helpers/esr.js';

const NURSE = '12345678';
const BANK = '87654321';
const seed: Seed[] = [
  { assignmentId: NURSE, start: '25/12/2026', end: '25/12/2026', reason: 'Bank Holiday', status: 'Approved' },
  { assignmentId: NURSE, start: '01/06/2026', end: '05/06/2026', reason: 'Annual Leave', status: 'Awaiting Approval' },
  { assignmentId: NURSE, start: '04/05/2026', end: '04/05/2026', reason: 'Bank Holiday', status: 'Cancelled' },
  { assignmentId: BANK, start: '31/08/2026', end: '31/08/2026', reason: 'Bank Holiday', status: 'Approved' },
];

let driven: Driven | undefined;
afterEach(async () => {
  await driven?.close();
  driven = undefined;
});

const bankHolidaysIn = (d: Driven, assignmentId: string) =>
  d.sandbox.store.absences(assignmentId).filter((a) => a.reason === 'Bank Holiday' && a.status !== 'Cancelled').map((a) => a.start);

describe('ESR driver against the sandbox, in headless Chromium', () => {
  it('logs in, lists assignments, reads each assignment’s absences, logs out', async () => {
    driven = await drive({ seed });
    expect(await driven.session.assignments()).toEqual([
      { id: NURSE, label: '12345678 Staff Nurse', selected: true },
      { id: BANK, label: '87654321 Bank Staff Nurse', selected: false },
    ]);
    expect(await driven.session.absences(NURSE)).toEqual([
      { start: '2026-12-25', end: '2026-12-25', reason: 'Bank Holiday', status: 'Approved' },
      { start: '2026-06-01', end: '2026-06-05', reason: 'Annual Leave', status: 'Awaiting Approval' },
      { start: '2026-05-04', end: '2026-05-04', reason: 'Bank Holiday', status: 'Cancelled' },
    ]);
    expect(await driven.session.absences(BANK)).toEqual([
      { start: '2026-08-31', end: '2026-08-31', reason: 'Bank Holiday', status: 'Approved' },
    ]);
    expect(await driven.session.pages.logOut()).toBe(true);
  });

  it('refuses a wrong password once, with LoginRefused, and never tries again', async () => {
    await expect(drive({ faults: { refuseLogin: true } }).catch((e: unknown) => e)).resolves.toBeInstanceOf(LoginRefused);
    driven = await drive({ faults: { refuseLogin: true } }, {}, false);
    await expect(driven.session.login()).rejects.toBeInstanceOf(LoginRefused);
    expect(driven.sandbox.loginAttempts()).toBe(1);
  });

  it('books one bank holiday with reason, comments and dates, and confirms it in the list', async () => {
    driven = await drive({ seed, faults: { processingMs: 300 } });
    expect(await driven.session.book(NURSE, '2026-05-25')).toBe('booked');
    const created = driven.sandbox.store.absences(NURSE).at(-1)!;
    expect(created).toMatchObject({ start: '25/05/2026', end: '25/05/2026', reason: 'Bank Holiday', comments: 'Bank holiday' });
    // A day already there, or one cancelled and booked again, behaves as it should.
    expect(await driven.session.book(NURSE, '2026-12-25')).toBe('already-booked');
    expect(await driven.session.book(NURSE, '2026-05-04')).toBe('booked');
    expect(driven.sandbox.submits()).toBe(2);
    expect(await driven.session.book(BANK, '2026-08-31')).toBe('already-booked');
  });

  it('rehearses: fills the form and cancels it, booking nothing', async () => {
    driven = await drive({ seed });
    await driven.session.rehearse(NURSE, '2026-05-25');
    expect(driven.sandbox.submits()).toBe(0);
    expect(driven.sandbox.store.absences()).toHaveLength(seed.length);
  });

  it('tells an overlap refusal from any other refusal, which is EsrRefused with ESR’s words', async () => {
    driven = await drive({ seed });
    const { pages } = driven.session;
    await pages.openLeaveForm();
    await pages.fillLeaveForm(NURSE, '2026-12-25', 'x');
    expect(await pages.submitLeaveForm(NURSE, '2026-12-25')).toBe('overlap');
    await pages.openLeaveForm();
    await pages.fillLeaveForm(NURSE, '2026-12-28', 'x');
    await pages.page.locator('#endDateInput').fill('27/12/2026');
    const refusal = await pages.submitLeaveForm(NURSE, '2026-12-28').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(EsrRefused);
    expect((refusal as EsrRefused).esrMessage).toBe('The end date must not be before the start date.');
    expect(driven.sandbox.store.absences()).toHaveLength(seed.length);
  });

  it('a "try again later" after the submit is not an answer: the day is never sent again in this session', async () => {
    driven = await drive({ faults: { transientSubmits: [1, 2], refuseOverlaps: false } });
    await expect(driven.session.book(NURSE, '2026-05-25')).rejects.toThrow(OutcomeUnknown);
    await expect(driven.session.book(NURSE, '2026-05-25')).rejects.toThrow(OutcomeUnknown);
    expect(driven.sandbox.submits()).toBe(1);
  });

  it('never books twice when ESR saved a request but answered with an error, even on a list that lags', async () => {
    driven = await drive({ faults: { savedButFailedSubmits: [1], hideNewAbsences: true, refuseOverlaps: false } });
    await expect(driven.session.book(NURSE, '2026-05-25')).rejects.toThrow(/did not answer.*does not say whether it saved/);
    await expect(driven.session.book(NURSE, '2026-05-25')).rejects.toThrow(OutcomeUnknown);
    expect(driven.sandbox.submitsFor('2026-05-25')).toBe(1);
    // The next session reads the list first: the saved request is there once, and is not sent again.
    const next = await drive({ stateFile: driven.sandbox.store.path, faults: { refuseOverlaps: false } });
    try {
      expect(await next.session.book(NURSE, '2026-05-25')).toBe('already-booked');
      expect(next.sandbox.submits()).toBe(0);
    } finally {
      await next.close();
    }
  });

  it('logs in again once when the session expires mid-run, and repeats the step', async () => {
    driven = await drive({ faults: { expireSessionAfterSubmits: 2 } });
    expect(await driven.session.book(NURSE, '2026-05-25')).toBe('booked');
    expect(await driven.session.book(NURSE, '2026-08-31')).toBe('booked');
    // The session ended with that second submit; a fresh read finds the login form and logs in again.
    expect(await driven.session.absences(NURSE, { fresh: true })).toHaveLength(2);
    expect(await driven.session.book(NURSE, '2026-12-25')).toBe('booked');
    expect(bankHolidaysIn(driven, NURSE)).toEqual(['25/05/2026', '31/08/2026', '25/12/2026']);
    expect(driven.sandbox.loginAttempts()).toBe(2);
    expect(driven.logLines().some((l) => /session ended/.test(l.msg))).toBe(true);
  });

  it('reports ESR going away mid-request, after ESR saved it, as an outcome it did not see: never sent again', async () => {
    driven = await drive({ faults: { exitAfterSubmits: 1 } });
    await expect(driven.session.book(NURSE, '2026-05-25')).rejects.toBeInstanceOf(OutcomeUnknown);
    await expect(driven.session.book(NURSE, '2026-05-25')).rejects.toBeInstanceOf(OutcomeUnknown);
    expect(driven.sandbox.submits()).toBe(1);
    expect(bankHolidaysIn(driven, NURSE)).toEqual(['25/05/2026']);
  });

  it('works through request latency, a slow processing modal and a dashboard that reloads', async () => {
    driven = await drive({ faults: { latencyMs: 150, processingMs: 1_200, reloadAfterSubmit: true } });
    expect(await driven.session.book(NURSE, '2026-05-25')).toBe('booked');
    expect(bankHolidaysIn(driven, NURSE)).toEqual(['25/05/2026']);
  });

  it('will not read blind: a hidden absence list is a SelectorError naming the key, with a screenshot', async () => {
    driven = await drive({ seed, faults: { absenceList: 'hidden' } });
    const error = await driven.session.absences(NURSE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SelectorError);
    const e = error as SelectorError;
    expect(e.key).toBe('absenceTable');
    expect(e.selector).toBe('#absence-history');
    expect(e.url).toContain('/dashboard/web/');
    expect(statSync(e.screenshot!).mode & 0o777).toBe(0o600);
    await expect(driven.session.book(NURSE, '2026-05-25')).rejects.toBeInstanceOf(SelectorError);
    expect(driven.sandbox.submits()).toBe(0);
  });

  it('reads an absence list under another selector once config says where', async () => {
    driven = await drive({ seed, faults: { absenceList: 'alternate' } });
    await expect(driven.session.absences(NURSE)).rejects.toBeInstanceOf(SelectorError);
    await driven.close();
    driven = await drive(
      { seed, faults: { absenceList: 'alternate' } },
      { esr: { timeouts: { elementSeconds: 3 }, selectors: { absenceTable: '#absence-list-v2' } } },
    );
    expect(await driven.session.absences(NURSE)).toHaveLength(3);
  });
});
