import { createRequire } from 'node:module';
import { readdirSync } from 'node:fs';
import { chromium } from 'playwright';
import { describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/esr/browser.js';
import { spawnChromium, type WsServerClass } from '../../src/esr/chromium-process.js';
import { tempDir } from '../helpers/cli.js';

const bundle = createRequire(import.meta.url)('playwright-core/lib/utilsBundle') as {
  wsServer: WsServerClass;
  ws: new (url: string) => { on(event: 'open' | 'error' | 'unexpected-response', listener: (...args: unknown[]) => void): void; close(): void };
};

/** Does a WebSocket connection to this URL open? */
function opens(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new bundle.ws(url);
    socket.on('open', () => {
      socket.close();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('unexpected-response', () => resolve(false));
  });
}

const executable = findBrowser({ headless: true }).executablePath!;

describe('the browser the tool starts itself', () => {
  it('is reached only through a secret path on loopback, and only once: no other local user can drive the session', async () => {
    const browser = spawnChromium(executable, { headless: true, firstPage: 'about:blank' });
    try {
      const endpoint = await browser.endpoint(bundle.wsServer);
      const url = new URL(endpoint);
      expect(url.hostname).toBe('127.0.0.1');
      expect(url.pathname.length).toBeGreaterThan(40);
      expect(await opens(`ws://127.0.0.1:${url.port}/`)).toBe(false);
      expect(await opens(`ws://127.0.0.1:${url.port}/${'0'.repeat(48)}`)).toBe(false);
      const connected = await chromium.connectOverCDP(endpoint);
      expect(connected.contexts()[0]?.pages()).toHaveLength(1);
      expect(await opens(endpoint)).toBe(false);
      await connected.close();
    } finally {
      await browser.close();
    }
  });

  it('closes, and its profile (which holds the session cookie) is deleted', async () => {
    const tmp = tempDir('ebh-tmp-');
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    let browser;
    try {
      browser = spawnChromium(executable, { headless: true, firstPage: 'about:blank' });
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }
    const connected = await chromium.connectOverCDP(await browser.endpoint(bundle.wsServer));
    expect(readdirSync(tmp)).toHaveLength(1);
    const gone = new Promise((resolve) => connected.on('disconnected', resolve));
    await browser.close();
    await gone;
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('one that ends at once says so, with its exit code', async () => {
    const browser = spawnChromium('/bin/false', { headless: true, firstPage: 'about:blank' });
    await expect(browser.exited).rejects.toThrow(/exited \(code 1\)/);
    await browser.close();
  });
});
