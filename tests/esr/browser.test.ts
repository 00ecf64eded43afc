import { describe, expect, it } from 'vitest';
import { findBrowser, startOptionsFor } from '../../src/esr/browser.js';

const only = (...paths: string[]) => (p: string) => paths.includes(p);

describe('browser discovery', () => {
  it('prefers Chrome, then Edge, then Chromium on Linux', () => {
    expect(findBrowser({ platform: 'linux', exists: only('/usr/bin/chromium', '/usr/bin/google-chrome') }).executablePath).toBe(
      '/usr/bin/google-chrome',
    );
    expect(findBrowser({ platform: 'linux', exists: only('/usr/bin/chromium') }).executablePath).toBe('/usr/bin/chromium');
  });

  it('takes a headless shell first when no window is wanted, and never for a window', () => {
    const all = only('/usr/bin/chromium-headless-shell', '/usr/bin/google-chrome', '/usr/bin/chromium');
    expect(findBrowser({ platform: 'linux', headless: true, exists: all }).executablePath).toBe('/usr/bin/chromium-headless-shell');
    expect(findBrowser({ platform: 'linux', headless: false, exists: all }).executablePath).toBe('/usr/bin/google-chrome');
    expect(findBrowser({ platform: 'linux', exists: all }).executablePath).toBe('/usr/bin/google-chrome');
    expect(findBrowser({ platform: 'linux', headless: true, exists: only('/usr/bin/chromium') }).executablePath).toBe('/usr/bin/chromium');
    // ESR_BROWSER=chromium means an installed Chromium, and the headless shell is one.
    expect(findBrowser({ configured: 'chromium', platform: 'linux', headless: true, exists: all }).executablePath).toBe('/usr/bin/chromium-headless-shell');
    expect(findBrowser({ configured: 'chromium', platform: 'linux', headless: false, exists: all }).executablePath).toBe('/usr/bin/chromium');
    // A path given is used as given.
    expect(findBrowser({ configured: '/usr/bin/chromium', headless: true, exists: all }).executablePath).toBe('/usr/bin/chromium');
  });

  it('knows the usual places on macOS and Windows', () => {
    expect(
      findBrowser({ platform: 'darwin', home: '/Users/a', exists: only('/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge') })
        .executablePath,
    ).toMatch(/Microsoft Edge$/);
    const edge = 'C:\\Program Files (x86)/Microsoft/Edge/Application/msedge.exe';
    const found = findBrowser({ platform: 'win32', env: { 'PROGRAMFILES(X86)': 'C:\\Program Files (x86)' }, exists: (p) => p.replaceAll('\\', '/') === edge.replaceAll('\\', '/') });
    expect(found.executablePath).toMatch(/msedge\.exe$/);
  });

  it("falls back to Playwright's own Chromium", () => {
    expect(findBrowser({ platform: 'linux', exists: only('/pw/chrome'), playwrightChromium: () => '/pw/chrome' }).executablePath).toBe('/pw/chrome');
  });

  it('takes ESR_BROWSER as a path or a channel', () => {
    expect(findBrowser({ configured: '/opt/x/chrome', exists: only('/opt/x/chrome') }).executablePath).toBe('/opt/x/chrome');
    expect(findBrowser({ configured: 'msedge', exists: only() }).channel).toBe('msedge');
    expect(findBrowser({ configured: 'chromium', platform: 'linux', exists: only('/usr/bin/chromium') }).executablePath).toBe('/usr/bin/chromium');
    expect(() => findBrowser({ configured: '/nope/chrome', exists: only() })).toThrow(/ESR_BROWSER \/nope\/chrome does not exist/);
  });

  it('says how to install one when there is none, exit 1', () => {
    try {
      findBrowser({ platform: 'linux', exists: only() });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/no browser found: install Google Chrome, Microsoft Edge or Chromium/);
      expect((error as { exitCode: number }).exitCode).toBe(1);
    }
  });
});

describe('how the browser starts for a config', () => {
  const config = (login: 'password' | 'manual') => ({
    login,
    esrUrl: 'https://my.esr.example/',
    esr: { paths: { dashboard: '/dashboard/web/' }, timeouts: { elementSeconds: 7 } },
  });

  it('with a password login: its page on the way to the dashboard, given a page load’s time', () => {
    expect(startOptionsFor(config('password'))).toEqual({ firstUrl: 'https://my.esr.example/dashboard/web/', pageTimeoutMs: 14_000 });
  });

  it('with a manual login: no page sent anywhere before the plan and the lock', () => {
    expect(startOptionsFor(config('manual'))).toEqual({ pageTimeoutMs: 14_000 });
  });
});
