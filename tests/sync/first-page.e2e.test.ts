import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { tempDir } from '../helpers/cli.js';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.js';
import { FEED_2026, fixtureText } from '../helpers/fixtures.js';
import { bookedIn, TEN_2026, userFor } from '../helpers/sync.js';

let sandbox: Sandbox | undefined;
let feed: FeedServer | undefined;
afterEach(async () => {
  await sandbox?.close();
  await feed?.close();
  sandbox = feed = undefined;
});

const isPageLoad = (r: { method: string; path: string }) => r.method === 'GET' && /^\/dashboard\/web\/?(\?|$)/.test(r.path);

/** Page loads of the dashboard before the first thing sent to ESR (the login). */
function loadsBeforeLogin(seen: Array<{ method: string; path: string }>): number {
  const firstPost = seen.findIndex((r) => r.method === 'POST');
  return seen.slice(0, firstPost === -1 ? undefined : firstPost).filter(isPageLoad).length;
}

/** Browser processes still running with a profile under this temp folder. */
function browsersUsing(tmp: string): string[] {
  const out = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(tmp));
}

describe("the browser's first page, sent towards ESR's dashboard as the browser starts", () => {
  it('is the dashboard load of the run: loaded once before the login; the sync books all ten; no browser or profile is left', async () => {
    sandbox = await startSandbox();
    const tmp = tempDir('ebh-tmp-');
    const result = await userFor(sandbox.url).sync(['--yes'], { TMPDIR: tmp });
    expect(result.code, result.stderr).toBe(0);
    expect(bookedIn(sandbox.store)).toEqual(TEN_2026);
    expect(loadsBeforeLogin(sandbox.requests())).toBe(1);
    // The profile held ESR's session cookie: it goes with the browser.
    expect(readdirSync(tmp).filter((f) => f.startsWith('esr-bank-holidays-browser-'))).toEqual([]);
    expect(browsersUsing(tmp)).toEqual([]);
  });

  it('is on its way while the feed is still loading: ESR has its first request before the plan is made', async () => {
    sandbox = await startSandbox();
    const body = fixtureText(FEED_2026);
    let feedAnsweredAt = Number.POSITIVE_INFINITY;
    feed = await startFeedServer((_req, res) => {
      setTimeout(() => {
        feedAnsweredAt = performance.now();
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      }, 2500);
    });
    const result = await userFor(sandbox.url).sync(['--yes'], { BANK_HOLIDAYS_URL: feed.url });
    expect(result.code, result.stderr).toBe(0);
    expect(bookedIn(sandbox.store)).toEqual(TEN_2026);
    const firstLoad = sandbox.requests().find(isPageLoad)!;
    expect(firstLoad.at).toBeLessThan(feedAnsweredAt);
    expect(loadsBeforeLogin(sandbox.requests())).toBe(1);
  });

  it('a list the page writes by the browser’s locale is read day first: with all ten there, nothing is booked again (and ESR would not refuse it)', async () => {
    const seed = TEN_2026.map((iso) => {
      const esr = iso.split('-').reverse().join('/');
      return { assignmentId: '12345678', start: esr, end: esr, reason: 'Bank Holiday', status: 'Approved' };
    });
    sandbox = await startSandbox({ seed, faults: { dateFormat: 'locale', refuseOverlaps: false } });
    const result = await userFor(sandbox.url).sync(['--yes']);
    expect(result.code, result.stderr).toBe(0);
    expect(sandbox.submits()).toBe(0);
  });

  it('answered 503: not taken for the dashboard; loaded afresh and the sync goes on', async () => {
    sandbox = await startSandbox({ faults: { unavailablePages: 1 } });
    const result = await userFor(sandbox.url).sync(['--yes']);
    expect(result.code, result.stderr).toBe(0);
    expect(bookedIn(sandbox.store)).toEqual(TEN_2026);
    expect(loadsBeforeLogin(sandbox.requests())).toBe(2);
  });

  it('unanswered past the page timeout: a failed load like any other, loaded afresh, and the sync goes on', async () => {
    // The user's config waits 5 s for a page (elementSeconds 5, a page load twice that): ESR answers the first after 12 s.
    sandbox = await startSandbox({ faults: { firstPageStallMs: 12_000 } });
    const result = await userFor(sandbox.url).sync(['--yes']);
    expect(result.code, result.stderr).toBe(0);
    expect(bookedIn(sandbox.store)).toEqual(TEN_2026);
    expect(loadsBeforeLogin(sandbox.requests())).toBe(2);
  }, 90_000);

  // Headless runs take the headless shell where it is installed; the desktop browser (for --headed and
  // manual logins, and where there is no shell) is started the same way.
  it.skipIf(!existsSync('/usr/bin/chromium'))('with the desktop Chromium instead of the headless shell: the same', async () => {
    sandbox = await startSandbox();
    const result = await userFor(sandbox.url).sync(['--yes'], { ESR_BROWSER: '/usr/bin/chromium' });
    expect(result.code, result.stderr).toBe(0);
    expect(bookedIn(sandbox.store)).toEqual(TEN_2026);
    expect(loadsBeforeLogin(sandbox.requests())).toBe(1);
  });

  it('a refused login: exit 3, and still no browser or profile left behind', async () => {
    sandbox = await startSandbox({ faults: { refuseLogin: true } });
    const tmp = tempDir('ebh-tmp-');
    const result = await userFor(sandbox.url).sync(['--yes'], { TMPDIR: tmp });
    expect(result.code, result.stderr).toBe(3);
    expect(sandbox.loginAttempts()).toBe(1);
    expect(readdirSync(tmp).filter((f) => f.startsWith('esr-bank-holidays-browser-'))).toEqual([]);
    expect(browsersUsing(tmp)).toEqual([]);
  });
});
