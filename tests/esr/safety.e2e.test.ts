import { afterEach, describe, expect, it } from 'vitest';
import { BookingUnconfirmed, EsrUnavailable, ListUnreadable, LoginRefused, OutcomeUnknown, SelectorError } from '../../src/esr/errors.js';
import { ExpectedError } from '../../src/util/errors.js';
import type { EsrSession } from '../../src/esr/session.js';
import { drive, openSession, type Driven } from '../helpers/esr.js';

const NURSE = '12345678';
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('resolved where it should have failed');
    },
    (e: unknown) => e as Error,
  );

let driven: Driven | undefined;
let other: EsrSession | undefined;
afterEach(async () => {
  await other?.close();
  await driven?.close();
  driven = undefined;
  other = undefined;
});

describe('what the driver must never do to a live ESR', () => {
  it('never sends an accepted request again: a list that does not show it is BookingUnconfirmed after exactly one submit', async () => {
    driven = await drive({ faults: { refuseOverlaps: false, hideNewAbsences: true } });
    let accepted = 0;
    const error = await errorOf(driven.session.book(NURSE, '2026-05-25', { onAccepted: () => (accepted += 1) }));
    expect(error).toBeInstanceOf(BookingUnconfirmed);
    expect(error.message).toMatch(/ESR accepted the request for 2026-05-25 .*esr\.selectors\.absenceTable and esr\.selectors\.absenceRows/);
    expect(accepted).toBe(1);
    expect(driven.sandbox.submitsFor('2026-05-25')).toBe(1);
    // Asked again in the same session, it reads the list again but never submits.
    await expect(driven.session.book(NURSE, '2026-05-25')).rejects.toBeInstanceOf(BookingUnconfirmed);
    expect(driven.sandbox.submitsFor('2026-05-25')).toBe(1);
    expect(driven.sandbox.store.absences(NURSE)).toHaveLength(1);
  });

  it('an overlap refusal on a day the list shows free is not "booked": the list is not what it seems', async () => {
    driven = await drive({ faults: { hideNewAbsences: true } });
    await expect(driven.session.book(NURSE, '2026-05-25')).rejects.toBeInstanceOf(BookingUnconfirmed);
    // A later run: the day is not in the list it reads, and ESR refuses it as an overlap.
    other = await openSession(driven.config);
    await other.login();
    const error = await errorOf(other.book(NURSE, '2026-05-25'));
    expect(error).toBeInstanceOf(ListUnreadable);
    expect(error.message).toMatch(/refused 2026-05-25 as overlapping .*esr\.selectors\.absenceTable "#absence-history", esr\.selectors\.absenceRows "tbody tr"/);
    expect(driven.sandbox.store.absences(NURSE)).toHaveLength(1);
  });

  it('a submit answered by the login form is OutcomeUnknown and is not sent again in this session', async () => {
    driven = await drive({ faults: { refuseOverlaps: false, expireSessionAfterSubmits: 1 } });
    expect(await driven.session.book(NURSE, '2026-05-25')).toBe('booked');
    const error = await errorOf(driven.session.book(NURSE, '2026-08-31'));
    expect(error).toBeInstanceOf(OutcomeUnknown);
    expect(error.message).toMatch(/sent the request for 2026-08-31 but ESR did not answer .*run sync again: it reads the list first and books only what is missing/);
    await expect(driven.session.book(NURSE, '2026-08-31')).rejects.toBeInstanceOf(OutcomeUnknown);
    expect(driven.sandbox.submitsFor('2026-08-31')).toBe(1);
    expect(driven.sandbox.loginAttempts()).toBe(1);
  });

  it('one refused login ends all ESR access: no re-login, no read, no logout, not a single request', async () => {
    driven = await drive({ faults: { refuseOverlaps: false, expireSessionAfterSubmits: 1, refuseLoginAfter: 1 } });
    expect(await driven.session.book(NURSE, '2026-05-25')).toBe('booked');
    expect(driven.session.loggedIn).toBe(true);
    // The final check reads afresh, finds the session over, and ESR refuses the new login.
    await expect(driven.session.absences(NURSE, { fresh: true })).rejects.toBeInstanceOf(LoginRefused);
    expect(driven.sandbox.loginAttempts()).toBe(2);
    expect(driven.session.loginRefused).toBe(true);
    expect(driven.session.loggedIn).toBe(false);
    const seen = driven.sandbox.requests().length;

    for (const step of [
      () => driven!.session.login(),
      () => driven!.session.assignments(),
      () => driven!.session.absences(NURSE, { fresh: true }),
      () => driven!.session.book(NURSE, '2026-08-31'),
      () => driven!.session.rehearse(NURSE, '2026-08-31'),
    ]) {
      const error = await errorOf(step());
      expect(error).toBeInstanceOf(LoginRefused);
      expect(error.message).toMatch(/ESR refused the login/);
    }
    await driven.session.logout();
    await driven.session.captureFailure('after-refusal');
    expect(driven.sandbox.requests().slice(seen)).toEqual([]);
    expect(driven.sandbox.loginAttempts()).toBe(2);
    expect(driven.sandbox.submitsFor('2026-08-31')).toBe(0);
  });

  it('logs out only after a login that worked', async () => {
    driven = await drive({ faults: { refuseLogin: true } }, {}, false);
    // The browser's first page (the dashboard, answered by the login form) may have gone before.
    const opened = driven.sandbox.requests().length;
    await driven.session.logout();
    expect(driven.sandbox.requests().slice(opened)).toEqual([]);
    await expect(driven.session.login()).rejects.toBeInstanceOf(LoginRefused);
    const seen = driven.sandbox.requests().length;
    await driven.session.logout();
    expect(driven.sandbox.requests().slice(seen)).toEqual([]);
  });

  it('lets no raw Playwright error out: a timeout names the key, a closed browser is EsrUnavailable', async () => {
    // A Cancel in the form that closes nothing (its heading): the wait for the form to close times out inside Playwright.
    driven = await drive({}, { esr: { selectors: { cancel: 'h2' } } });
    const timeout = await errorOf(driven.session.rehearse(NURSE, '2026-05-25'));
    expect(timeout).toBeInstanceOf(SelectorError);
    expect(timeout.message).toMatch(/ESR page element "cancel" \(selector h2\).*override esr\.selectors\.cancel/);
    await driven.session.close();
    const closed = await errorOf(driven.session.absences(NURSE, { fresh: true }));
    expect(closed).toBeInstanceOf(EsrUnavailable);
    expect(closed).toBeInstanceOf(ExpectedError);
    expect(closed.message).not.toContain('\n');
    expect(driven.sandbox.submits()).toBe(0);
  });
});
