import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { tempDir } from '../helpers/cli.js';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.js';
import { FEED_2026, fixtureText } from '../helpers/fixtures.js';
import { userFor } from '../helpers/sync.js';

let sandbox: Sandbox | undefined;
let feed: FeedServer | undefined;
afterEach(async () => {
  await sandbox?.close();
  await feed?.close();
  sandbox = feed = undefined;
});

/** One line on stderr that says what happened, no stack, no unhandled rejection. */
function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n').filter((l) => !l.startsWith('{'));
  expect(lines).toEqual([expect.stringMatching(pattern)]);
  expect(stderr).not.toMatch(/\n\s+at |UnhandledPromiseRejection|unhandled/i);
}

describe('a browser that cannot start', () => {
  it('while the feed is still loading: one line, exit 1, nothing sent to ESR', async () => {
    sandbox = await startSandbox();
    const body = fixtureText(FEED_2026);
    feed = await startFeedServer((_req, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      }, 4000);
    });
    const user = userFor(sandbox.url);
    const result = await user.sync(['--yes'], { ESR_BROWSER: '/bin/false', BANK_HOLIDAYS_URL: feed.url });
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, /^esr-bank-holidays: cannot start the browser \/bin\/false/);
    expect(sandbox.requests()).toEqual([]);
  });

  it('a path that cannot be run (a folder): one line, exit 1, nothing sent to ESR', async () => {
    sandbox = await startSandbox();
    const folder = tempDir('ebh-not-a-browser-');
    const result = await userFor(sandbox.url).sync(['--yes'], { ESR_BROWSER: folder });
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, /^esr-bank-holidays: cannot start the browser /);
    expect(sandbox.requests().filter((r) => r.path.startsWith('/dashboard'))).toEqual([]);
  });

  it('one that starts and never answers: one line after a page load’s time, exit 1, the lock released', async () => {
    sandbox = await startSandbox();
    const fake = join(tempDir('ebh-fake-browser-'), 'chromium');
    writeFileSync(fake, '#!/bin/sh\nexec sleep 120\n', { mode: 0o755 });
    // A page load's time: twice elementSeconds, 2 s.
    const user = userFor(sandbox.url, { esr: { timeouts: { elementSeconds: 1, processingSeconds: 20 } } });
    const result = await user.sync(['--yes'], { ESR_BROWSER: fake });
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, /^esr-bank-holidays: cannot start the browser .*: it did not answer over DevTools in 2 s/);
    expect(sandbox.requests().filter((r) => r.path.startsWith('/dashboard'))).toEqual([]);
    expect(existsSync(join(user.stateDir, 'sync.lock'))).toBe(false);
  }, 30_000);

  it('one that ends as it starts gives its own reason, not its closed pipe’s', async () => {
    sandbox = await startSandbox();
    // As a browser that cannot run here: its DevTools pipes close first, then it says why and exits.
    const fake = join(tempDir('ebh-fake-browser-'), 'chromium');
    writeFileSync(fake, '#!/bin/sh\nexec 3>&- 4>&-\nsleep 0.2\necho "[0101/000000.000:FATAL:main.cc] Missing X server or \\$DISPLAY" >&2\nexit 13\n', { mode: 0o755 });
    const result = await userFor(sandbox.url).sync(['--yes'], { ESR_BROWSER: fake });
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, /^esr-bank-holidays: cannot start the browser .*: it exited \(code 13\): .*Missing X server/);
  });

  it('while waiting for another sync’s lock: one line, exit 1', async () => {
    sandbox = await startSandbox();
    const user = userFor(sandbox.url);
    // A live process holds the lock: this test's own.
    writeFileSync(join(user.stateDir, 'sync.lock'), JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), since: new Date().toISOString() }));
    const result = await user.sync(['--yes'], { ESR_BROWSER: '/bin/false' });
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, /^esr-bank-holidays: (another sync is running|cannot start the browser)/);
    expect(sandbox.submits()).toBe(0);
  });
});

describe('a config that fails its check, once the browser has started on it', () => {
  it('one line naming the key and where it came from, exit 2, nothing sent to ESR, no browser or profile left', async () => {
    sandbox = await startSandbox();
    const tmp = tempDir('ebh-tmp-');
    // Every layer names the browser rightly, so it starts while the rest is checked.
    const result = await userFor(sandbox.url, { division: 'mars' }).sync(['--yes'], { TMPDIR: tmp });
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, /^esr-bank-holidays: config division "mars" \(from .*config\.json\): /);
    expect(sandbox.requests()).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('and a browser path that does not exist: still the one line about the config, exit 2', async () => {
    sandbox = await startSandbox();
    const result = await userFor(sandbox.url, { division: 'mars' }).sync(['--yes'], { ESR_BROWSER: '/nonexistent/chrome' });
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, /^esr-bank-holidays: config division "mars" \(from .*config\.json\): /);
    expect(sandbox.requests()).toEqual([]);
  });
});
