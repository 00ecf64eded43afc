import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
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

/** A page server; `stall` leaves every request unanswered. */
async function serve(options: { stall?: boolean } = {}): Promise<number> {
  server = createServer((_req, res) => {
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
});
