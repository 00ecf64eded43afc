import { afterEach, describe, expect, it } from 'vitest';
import { drive, type Driven } from '../helpers/esr.js';

const NURSE = '12345678';

let driven: Driven | undefined;
afterEach(async () => {
  await driven?.close();
  driven = undefined;
});

/** Every selector the booking clicks, written so that only Playwright's selector engines can read it. */
const playwrightOnly = { esr: { selectors: { createLeave: 'a:text-is("Request annual leave")', submit: 'a:text-is("Submit")' } } };

describe('a click waits until what it clicks is still, uncovered and really under the pointer', () => {
  it.each([
    ['slides into place for 600 ms', { formSlideMs: 600 }],
    ['lies under a clear layer for 1.5 s', { formShieldMs: 1500 }],
    ['is covered the moment the pointer comes over Submit', { coverSubmitOnHover: true }],
    // The press is stopped as it starts; the browser's click after it must be stopped too, or a retry sends the request twice.
    ['shifts Submit the moment the pointer comes over it', { nudgeSubmitOnHover: true }],
  ])('books once, and no press lands while the form %s', async (_, faults) => {
    driven = await drive({ faults: { processingMs: 50, ...faults } });
    expect(await driven.session.book(NURSE, '2026-05-04')).toBe('booked');
    expect(driven.sandbox.submitsFor('2026-05-04')).toBe(1);
    expect(driven.sandbox.misclicks()).toBe(0);
  });

  it("with selectors only Playwright can read, its locator's checks do the same", async () => {
    driven = await drive({ faults: { processingMs: 50, formSlideMs: 600, formShieldMs: 500 } }, playwrightOnly);
    expect(await driven.session.book(NURSE, '2026-05-04')).toBe('booked');
    expect(driven.sandbox.submitsFor('2026-05-04')).toBe(1);
    expect(driven.sandbox.misclicks()).toBe(0);
  });
});
