import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright';
import { afterEach, describe, expect, it } from 'vitest';
import { startBrowser } from '../../src/esr/browser.js';
import { clickWhenReady } from '../../src/esr/click.js';
import { EsrRefused, SelectorError } from '../../src/esr/errors.js';
import { fillStep } from '../../src/esr/form-fill.js';
import { drive, type Driven } from '../helpers/esr.js';

const NURSE = '12345678';

let driven: Driven | undefined;
afterEach(async () => {
  await driven?.close();
  driven = undefined;
});

/** The leave form's reason and day, as the in-page fill that follows a press sets them. */
const FILL_DAY = fillStep({
  select: { key: 'leaveReason', selector: '#reason', label: 'Bank Holiday' },
  fields: [{ key: 'startDate', selector: '#day', value: '04/05/2026' }],
  login: '#login',
  timeoutMs: 3000,
});

/**
 * Pages of a test's own, by path (`after`: answered that many ms late; `/hit/...` is answered "ok"),
 * in the tool's browser, which `body` gets on the first of them. Returns every path asked for,
 * 200 ms after `body`, so that presses still on their way are counted.
 */
async function onOwnPages(
  pages: Record<string, string | { after: number; html: string }>,
  body: (page: Page, url: string) => Promise<void>,
): Promise<{ hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url!);
    if (req.url!.startsWith('/hit/')) return void res.end('ok');
    const answer = pages[req.url!] ?? '';
    res.setHeader('content-type', 'text/html');
    if (typeof answer === 'string') res.end(answer);
    else setTimeout(() => res.end(answer.html), answer.after);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { page, close } = await startBrowser(undefined, true);
  try {
    await page.goto(`${url}${Object.keys(pages)[0]}`);
    await body(page, url);
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200))).catch(() => undefined);
    return { hits };
  } finally {
    await close();
    server.close();
  }
}

/** Every selector the booking clicks, written so that only Playwright's selector engines can read it. */
const playwrightOnly = { esr: { selectors: { createLeave: 'a:text-is("Request annual leave")', submit: 'a:text-is("Submit")' } } };

describe('a click waits until what it clicks is still, uncovered and really under the pointer', () => {
  it.each([
    ['slides into place for 600 ms', { formSlideMs: 600 }],
    ['lies under a clear layer for 1.5 s', { formShieldMs: 1500 }],
    ['is covered the moment the pointer comes over Submit', { coverSubmitOnHover: true }],
    // The press that opens the form is stopped: the form is filled only once a press has opened it.
    ['is opened by a link covered the moment the pointer comes over it', { coverCreateOnHover: true }],
    // Moved by script, which no animation check sees: the box, checked again as the press starts, does. The
    // press is stopped then, and the browser's click after it must be too, or a retry sends the request twice.
    ['moves Submit by script the moment the pointer comes over it', { driftSubmitOnHover: true }],
    // An animation that moves nothing (a colour pulse, for ever) is no reason to wait.
    ['pulses in colour without end', { formPulses: true }],
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

  it('a leave form named in Playwright-only syntax keeps Cancel inside the form: a row\'s Cancel is never clicked', async () => {
    const seed = [{ assignmentId: NURSE, start: '25/05/2026', end: '25/05/2026', reason: 'Bank Holiday', status: 'Approved' }];
    driven = await drive(
      { seed, faults: { rowCancelLinks: true } },
      // a:last-child is plain CSS, and on this page it is the form's Cancel only inside the form.
      { esr: { selectors: { leaveForm: 'form:has-text("Annual leave request")', cancel: 'a:last-child' } } },
    );
    await driven.session.rehearse(NURSE, '2026-08-31');
    expect(driven.sandbox.store.absences(NURSE).map((a) => a.status)).toEqual(['Approved']);
  });

  it.each([['"Submit"'], ['(//a[@id="submitAnnualLeave"])[1]'], ['a:TEXT-IS("Submit")']])(
    'a Submit selector only Playwright reads (%s) falls back to its locator, never to nothing',
    async (submit) => {
      driven = await drive({ faults: { processingMs: 50 } }, { esr: { selectors: { submit } } });
      expect(await driven.session.book(NURSE, '2026-05-04')).toBe('booked');
      expect(driven.sandbox.submitsFor('2026-05-04')).toBe(1);
    },
  );

  it('a reload while the click waits is looked at again, and says nothing was sent when nothing was', async () => {
    driven = await drive({ faults: { processingMs: 50, formSlideMs: 1500 } });
    const { pages } = driven.session;
    await pages.openLeaveForm();
    await pages.fillLeaveForm(NURSE, '2026-05-04', 'x');
    // ESR goes to another document (a timeout's redirect, a reload) while Submit is still moving.
    await pages.page.evaluate(() => setTimeout(() => location.reload(), 300));
    await expect(pages.submitLeaveForm(NURSE, '2026-05-04')).rejects.toBeInstanceOf(SelectorError);
    expect(driven.sandbox.submits()).toBe(0);
    expect(await driven.session.book(NURSE, '2026-05-04')).toBe('booked');
    expect(driven.sandbox.submitsFor('2026-05-04')).toBe(1);
  });

  it('Submit seen as the form was filled is looked at again after a reload: no press is aimed by the old page', async () => {
    driven = await drive({ faults: { processingMs: 50 } });
    const { pages } = driven.session;
    await pages.openAndFillLeaveForm(NURSE, '2026-05-04', 'x', true);
    // ESR goes to another document between the fill and the submit: the form is closed there.
    await pages.page.reload();
    let presses = 0;
    const press = pages.page.mouse.click.bind(pages.page.mouse);
    pages.page.mouse.click = (x, y, options) => {
      presses += 1;
      return press(x, y, options);
    };
    await expect(pages.submitLeaveForm(NURSE, '2026-05-04')).rejects.toBeInstanceOf(SelectorError);
    expect(presses).toBe(0);
    expect(driven.sandbox.submits()).toBe(0);
  });

  it('an error box named relative to the form (:scope) is read through Playwright, so a refusal is seen', async () => {
    const seed = [{ assignmentId: NURSE, start: '01/06/2026', end: '05/06/2026', reason: 'Annual Leave', status: 'Approved' }];
    driven = await drive({ seed, faults: { processingMs: 50, refuseOverlaps: true } }, { esr: { selectors: { errorMessage: ':scope > div > .alert-danger' } } });
    await expect(driven.session.book(NURSE, '2026-06-03')).rejects.toBeInstanceOf(EsrRefused);
  });

  it('a press that takes the page to another document is pressed once, and what was to follow it is left to the caller', async () => {
    // The form on a page of its own, which comes a moment after the press: the steps meant for it start in the page before.
    const { hits } = await onOwnPages(
      {
        '/first': '<a id="open" href="/form" style="display:block;width:200px;height:40px">Request annual leave</a>',
        '/form': { after: 300, html: '<form><select id="reason"><option>Bank Holiday</option></select><input id="day"></form>' },
      },
      async (page, url) => {
        const result = await clickWhenReady(page, { target: '#open', login: '#login', timeoutMs: 3000 }, { then: [FILL_DAY] });
        expect(result).toEqual({ clicked: true });
        expect(page.url()).toBe(`${url}/form`);
      },
    );
    expect(hits.filter((u) => u === '/form')).toHaveLength(1);
  });

  it('a press that landed is never pressed again, though what was to follow it threw in the page', async () => {
    // The form opens in place; its "date field" is no input, so filling it throws in the page.
    const { hits } = await onOwnPages(
      {
        '/first': `<a id="open" href="#" style="display:block;width:200px;height:40px" onclick="fetch('/hit/open'); document.querySelector('form').hidden = false; return false">Request annual leave</a>
<form hidden><select id="reason"><option>Bank Holiday</option></select><div id="day" style="width:100px;height:20px"></div></form>`,
      },
      async (page) => {
        // This document once stopped a stray press: that says nothing about where this press went.
        await page.evaluate(() => ((window as unknown as { __ebhStoppedStray: boolean }).__ebhStoppedStray = true));
        const result = await clickWhenReady(page, { target: '#open', login: '#login', timeoutMs: 3000 }, { then: [FILL_DAY] });
        expect(result).toMatchObject({ clicked: true, then: { answers: [{ threw: expect.stringMatching(/Illegal invocation/) }] } });
      },
    );
    expect(hits.filter((u) => u.startsWith('/hit/'))).toEqual(['/hit/open']);
  });

  it('a press never lands in a document that came after the one it was aimed in', async () => {
    const spot = 'position:absolute;left:100px;top:100px;width:120px;height:40px;display:block';
    const { hits } = await onOwnPages(
      {
        '/first': `<a id="submit" href="#" style="${spot}" onclick="fetch('/hit/submit');return false">Submit</a>`,
        // The next document has a row's Cancel exactly where Submit was.
        '/next': `<a id="rowCancel" href="#" style="${spot}" onclick="fetch('/hit/row-cancel');return false">Cancel</a>`,
      },
      async (page, url) => {
        // The page goes to the next document after the click's checks and before its press reaches it.
        const press = page.mouse.click.bind(page.mouse);
        page.mouse.click = async (x, y, options) => {
          page.mouse.click = press;
          await page.goto(`${url}/next`);
          return press(x, y, options);
        };
        const result = await clickWhenReady(page, { target: '#submit', login: '#login', timeoutMs: 1500 });
        expect(result).toMatchObject({ clicked: false });
      },
    );
    expect(hits.filter((u) => u.startsWith('/hit/'))).toEqual([]);
  });
});
