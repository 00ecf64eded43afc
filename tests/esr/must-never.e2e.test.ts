import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ListUnreadable, SelectorError, OutcomeUnknown } from '../../src/esr/errors.js';
import { startSandbox, type Faults, type Sandbox } from '../../src/sandbox/server.js';
import type { Seed } from '../../src/sandbox/store.js';
import { UsageError } from '../../src/util/errors.js';
import { drive, type Driven } from '../helpers/esr.js';
import { userFor } from '../helpers/sync.js';

// An ESR that books over anything: only the driver's reading stands between a day and a second booking.
const loose = (faults: Partial<Faults> = {}) => ({ refuseOverlaps: false, ...faults });
const NURSE = '12345678';
const seed: Seed[] = [
  { assignmentId: NURSE, start: '25/05/2026', end: '25/05/2026', reason: 'Bank Holiday', status: 'Approved' },
  { assignmentId: NURSE, start: '01/06/2026', end: '05/06/2026', reason: 'Annual Leave', status: 'Awaiting Approval', comments: 'No results found.' },
  { assignmentId: NURSE, start: '04/05/2026', end: '04/05/2026', reason: 'Bank Holiday', status: 'Approved' },
];
// drive()'s short waits sit in its esr overrides, which an esr override of the test's own replaces.
const quick = { timeouts: { elementSeconds: 3, processingSeconds: 10 } };
const emptyText = { esr: { ...quick, texts: { emptyList: 'No results found.' }, selectors: { absenceArea: '#absence-area' } } };
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('resolved where it should have failed');
    },
    (e: unknown) => e as Error,
  );
const statuses = (sandbox: Sandbox) => sandbox.store.absences(NURSE).map((a) => `${a.start} ${a.status}`);

let driven: Driven | undefined;
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await driven?.close();
  await sandbox?.close();
  driven = undefined;
  sandbox = undefined;
});

describe('the empty-list text counts only where the list would be', () => {
  it('esr.texts.emptyList without esr.selectors.absenceArea is a config error naming both', () => {
    expect(() => loadConfig({ env: {}, flags: { esr: { texts: { emptyList: 'No results found.' } } } })).toThrow(UsageError);
    expect(() => loadConfig({ env: {}, flags: { esr: { texts: { emptyList: 'No results found.' } } } })).toThrow(
      /^config esr\.texts\.emptyList "No results found\." \(from .*\): needs esr\.selectors\.absenceArea/,
    );
    expect(loadConfig({ env: {}, flags: { esr: { texts: emptyText.esr.texts, selectors: emptyText.esr.selectors } } }).config.esr.selectors.absenceArea).toBe('#absence-area');
  });

  it('a renamed list with a comment cell reading the empty text is not an empty list: nothing is booked', async () => {
    driven = await drive({ seed, faults: loose({ absenceList: 'alternate', extraColumns: true }) }, emptyText);
    expect(await driven.session.pages.page.getByText('No results found.', { exact: true }).count()).toBe(1);
    const error = await errorOf(driven.session.book(NURSE, '2026-05-25'));
    expect(error).toBeInstanceOf(SelectorError);
    expect(error.message).toContain('esr.selectors.absenceTable');
    expect(driven.sandbox.submits()).toBe(0);
  });

  it('the empty text as a child of the area is an empty list', async () => {
    driven = await drive({ faults: loose({ emptyListText: true }) }, emptyText);
    expect(await driven.session.absences(NURSE)).toEqual([]);
    expect(await driven.session.book(NURSE, '2026-05-25')).toBe('booked');
    expect(driven.sandbox.submits()).toBe(1);
  });
});

describe('esr.selectors.absenceTable names one element', () => {
  it.each(['#absence-area > *', 'css=#absence-area > *'])('several matches of %s stop the read, naming the key and the count', async (absenceTable) => {
    driven = await drive({ seed, faults: loose() }, { esr: { ...quick, selectors: { absenceTable } } });
    const error = await errorOf(driven.session.book(NURSE, '2026-08-31'));
    expect(error).toBeInstanceOf(ListUnreadable);
    expect(error.message).toContain(`esr.selectors.absenceTable ("${absenceTable}") matches 2 elements`);
    expect(driven.sandbox.submits()).toBe(0);
  });
});

describe('a list split over pages is never read as its first page', () => {
  it('without esr.selectors.absenceNextPage, a "Next" beside the list stops the read: nothing is booked', async () => {
    // Sorted by start, 25/05 is on page 2.
    driven = await drive({ seed, faults: loose({ pageSize: 2 }) });
    const error = await errorOf(driven.session.book(NURSE, '2026-05-25'));
    expect(error).toBeInstanceOf(ListUnreadable);
    expect(error.message).toMatch(/page control \("Next"\) but esr\.selectors\.absenceNextPage is not set/);
    expect(driven.sandbox.submits()).toBe(0);
  });

  it('a "Page 1 of 2" text does too; "Page 1 of 1" and "1 - 3 of 3" do not', async () => {
    driven = await drive({ seed, faults: loose() });
    const page = driven.session.pages.page;
    const say = (text: string) =>
      page.evaluate((t) => {
        document.querySelector('#absence-pager')?.remove();
        const p = document.createElement('p');
        p.id = 'absence-pager';
        p.textContent = t;
        document.querySelector('#absence-area')!.append(p);
      }, text);
    await driven.session.absences(NURSE);
    for (const whole of ['Page 1 of 1', '1 - 3 of 3']) {
      await say(whole);
      expect(await driven.session.pages.absences()).toHaveLength(3);
    }
    for (const more of ['Page 1 of 2', 'Showing 1 - 2 of 3']) {
      await say(more);
      await expect(driven.session.pages.absences()).rejects.toThrow(/page control \(".*of \d"\) but esr\.selectors\.absenceNextPage/);
    }
    expect(driven.sandbox.submits()).toBe(0);
  });
});

describe('the form is cancelled and submitted only inside esr.selectors.leaveForm', () => {
  it('a booking after a refusal cancels the form, never an absence through a list row\'s "Cancel"', async () => {
    driven = await drive({ seed, faults: loose({ rowCancelLinks: true, transientSubmits: [1] }) });
    const before = statuses(driven.sandbox);
    expect(await driven.session.pages.page.locator('a:text-is("Cancel")').count()).toBe(4);
    // The refusal cancels the form (and, being a "try again later", the day is not sent again).
    await expect(driven.session.book(NURSE, '2026-08-31')).rejects.toThrow(OutcomeUnknown);
    expect(driven.sandbox.submits()).toBe(1);
    expect(statuses(driven.sandbox)).toEqual(before);
  });

  it('sync --rehearse fills and cancels every form, and cancels no absence', async () => {
    sandbox = await startSandbox({ seed, faults: loose({ rowCancelLinks: true }) });
    const before = statuses(sandbox);
    const rehearse = await userFor(sandbox.url).sync(['--rehearse']);
    expect(rehearse.stderr).not.toMatch(/esr-bank-holidays: /);
    expect(rehearse.code).toBe(0);
    expect(sandbox.submits()).toBe(0);
    expect(statuses(sandbox)).toEqual(before);
  });
});
