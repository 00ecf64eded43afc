import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as after } from 'node:timers/promises';
import { startBrowser, type StartedBrowser } from '../../src/esr/browser.js';

// What a page's own script sees as it is parsed: how it would draw 3 April 2026, and where it is.
const DRAWN = `<!doctype html><title></title><script>
document.title = JSON.stringify([new Date(2026, 3, 3).toLocaleDateString(), navigator.language, Intl.DateTimeFormat().resolvedOptions().timeZone, innerWidth, innerHeight]);
</script>`;
const AS_IN_ESR = ['03/04/2026', 'en-GB', 'Europe/London', 1280, 720];

let server: Server | undefined;
let started: StartedBrowser | undefined;
afterEach(async () => {
  await started?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  started = server = undefined;
});

const requested: number[] = [];

/** A page server; `stall` leaves every request unanswered. */
async function serve(options: { stall?: boolean } = {}): Promise<number> {
  requested.length = 0;
  server = createServer((_req, res) => {
    requested.push(performance.now());
    if (options.stall) return;
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(DRAWN);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function drawn(browser: StartedBrowser): Promise<unknown> {
  await browser.page.waitForURL((url) => url.href !== 'about:blank', { waitUntil: 'load' });
  return JSON.parse(await browser.page.title());
}

describe('the browser the tool starts, as its pages see it', () => {
  it('its first page, sent on as the browser starts, is drawn day first, in ESR’s time zone, 1280x720: a list drawn 4/3/2026 would be misread', async () => {
    const port = await serve();
    started = await startBrowser(undefined, true, { firstUrl: `http://127.0.0.1:${port}/first`, pageTimeoutMs: 10_000 });
    expect(started.firstUrl).toBe(`http://127.0.0.1:${port}/first`);
    expect(await drawn(started)).toEqual(AS_IN_ESR);
    // And every page after it, on another site (another renderer process) too.
    await started.page.goto(`http://localhost:${port}/next`);
    expect(await drawn(started)).toEqual(AS_IN_ESR);
  });

  it('with no first page (a manual login): its pages are drawn the same', async () => {
    const port = await serve();
    started = await startBrowser(undefined, true, {});
    expect(started.firstUrl).toBeUndefined();
    expect(started.page.url()).toBe('about:blank');
    await started.page.goto(`http://127.0.0.1:${port}/`);
    expect(await drawn(started)).toEqual(AS_IN_ESR);
  });

  it('a first page ESR leaves unanswered is called off after a page load’s time: the browser is driven all the same, and that page is not taken for ESR’s', async () => {
    const port = await serve({ stall: true });
    started = await startBrowser(undefined, true, { firstUrl: `http://127.0.0.1:${port}/`, pageTimeoutMs: 1500 });
    expect(started.firstUrl).toBeUndefined();
    expect(await started.page.evaluate(() => 1 + 1)).toBe(2);
  }, 20_000);

  it('started before the config is checked, its page goes nowhere until the check has passed', async () => {
    const port = await serve();
    let checkedAt = Number.POSITIVE_INFINITY;
    // The check takes longer than the browser takes to start.
    const checked = after(1500).then(() => {
      checkedAt = performance.now();
      return { firstUrl: `http://127.0.0.1:${port}/first`, pageTimeoutMs: 10_000 };
    });
    started = await startBrowser(undefined, true, checked);
    expect(await drawn(started)).toEqual(AS_IN_ESR);
    expect(requested).toHaveLength(1);
    expect(requested[0]).toBeGreaterThan(checkedAt);
  });

  it('a config that fails its check closes the browser started on it: nothing is loaded, no browser or profile is left', async () => {
    const port = await serve();
    // The browser's profile goes in the temp folder, read as each browser starts.
    const tmp = mkdtempSync(join(tmpdir(), 'ebh-tmp-'));
    const before = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const failed = after(1500).then(() => Promise.reject(new Error('config division "mars": must be one of england-and-wales, scotland, northern-ireland')));
      await expect(startBrowser(undefined, true, failed)).rejects.toThrow(/division "mars"/);
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
    expect(requested).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
    expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes(tmp))).toEqual([]);
  });
});
