import { afterEach, describe, expect, it } from 'vitest';
import { EsrRefused } from '../../src/esr/errors.js';
import type { Seed } from '../../src/sandbox/store.js';
import { drive, type Driven } from '../helpers/esr.js';

const NURSE = '12345678';
const seed: Seed[] = [{ assignmentId: NURSE, start: '01/06/2026', end: '05/06/2026', reason: 'Annual Leave', status: 'Approved' }];

let driven: Driven | undefined;
afterEach(async () => {
  await driven?.close();
  driven = undefined;
});

const bankHolidaysIn = (d: Driven) => d.sandbox.store.absences(NURSE).filter((a) => a.reason === 'Bank Holiday').map((a) => a.start);

/** Every selector the booking uses, written so that only Playwright's selector engines can read it. */
const playwrightOnly = {
  esr: {
    selectors: {
      assignment: 'select#select-an-assignment >> nth=0',
      createLeave: 'a:text-is("Request annual leave")',
      leaveReason: 'select#select-leave-reason-{assignmentId} >> nth=0',
      comments: 'textarea[name=absenceComments] >> nth=0',
      startDate: 'input#startDateInput >> nth=0',
      endDate: 'input#endDateInput >> nth=0',
      submit: 'a:text-is("Submit")',
      processingModal: '#requestProcessedModalId >> nth=0',
      absenceTable: '#absence-history >> nth=0',
      errorMessage: '.alert-danger >> nth=0',
    },
  },
};

describe('the driver reads the page in one round trip where it can, and with the same answers', () => {
  it('books days in a row on a dashboard that reloads after each submit: each read before, confirmed after, sent once', async () => {
    driven = await drive({ seed, faults: { latencyMs: 40, processingMs: 300, reloadAfterSubmit: true } });
    for (const day of ['2026-05-04', '2026-05-25', '2026-08-31'] as const) expect(await driven.session.book(NURSE, day)).toBe('booked');
    expect(bankHolidaysIn(driven)).toEqual(['04/05/2026', '25/05/2026', '31/08/2026']);
    expect(driven.sandbox.submits()).toBe(3);
    // Accepted earlier in this session: confirmed in the list, never sent again.
    expect(await driven.session.book(NURSE, '2026-05-25')).toBe('booked');
    expect(driven.sandbox.submits()).toBe(3);
    // ESR's overlap refusal is checked against the list read after the reload: it shows the annual leave.
    const refusal = await driven.session.book(NURSE, '2026-06-03').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(EsrRefused);
    expect((refusal as Error).message).toMatch(/overlaps with Annual Leave \(Approved\)/);
  });

  it('with selectors only Playwright can read, falls back to its locators: books, confirms, and reads a refusal', async () => {
    driven = await drive({ seed, faults: { processingMs: 200, refuseOverlaps: true } }, playwrightOnly);
    expect(await driven.session.book(NURSE, '2026-05-04')).toBe('booked');
    expect(await driven.session.book(NURSE, '2026-05-25')).toBe('booked');
    expect(bankHolidaysIn(driven)).toEqual(['04/05/2026', '25/05/2026']);
    const { pages } = driven.session;
    await pages.openLeaveForm();
    await pages.fillLeaveForm(NURSE, '2026-06-02', 'x');
    expect(await pages.submitLeaveForm(NURSE, '2026-06-02')).toBe('overlap');
    expect(driven.sandbox.submits()).toBe(3);
  });
});
