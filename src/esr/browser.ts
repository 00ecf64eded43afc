import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, LaunchOptions, Page } from 'playwright';
import { RuntimeFailure, UsageError } from '../util/errors.js';

export const CHANNELS = ['chrome', 'msedge', 'chromium', 'chrome-beta', 'msedge-beta'] as const;

export interface BrowserChoice {
  executablePath?: string;
  channel?: string;
  /** Where it came from, for doctor and the logs. */
  description: string;
}

/** Where Chrome, Edge and Chromium install themselves, most preferred first. */
export function candidatePaths(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string[] {
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => Boolean(r));
    return [
      ...roots.map((r) => join(r, 'Google', 'Chrome', 'Application', 'chrome.exe')),
      ...roots.map((r) => join(r, 'Microsoft', 'Edge', 'Application', 'msedge.exe')),
      ...roots.map((r) => join(r, 'Chromium', 'Application', 'chrome.exe')),
    ];
  }
  if (platform === 'darwin') {
    const apps = ['/Applications', join(home, 'Applications')];
    return [
      ...apps.map((a) => join(a, 'Google Chrome.app', 'Contents', 'MacOS', 'Google Chrome')),
      ...apps.map((a) => join(a, 'Microsoft Edge.app', 'Contents', 'MacOS', 'Microsoft Edge')),
      ...apps.map((a) => join(a, 'Chromium.app', 'Contents', 'MacOS', 'Chromium')),
    ];
  }
  return [
    '/usr/bin/google-chrome-stable',
    '/usr/bin/google-chrome',
    '/opt/google/chrome/chrome',
    '/usr/bin/microsoft-edge-stable',
    '/usr/bin/microsoft-edge',
    '/opt/microsoft/msedge/msedge',
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/snap/bin/chromium',
  ];
}

export const INSTALL_HINT =
  'install Google Chrome, Microsoft Edge or Chromium (Debian/Ubuntu: sudo apt-get install chromium; or npx playwright install chromium where downloads are allowed), or set ESR_BROWSER to its path';

export interface FindOptions {
  configured?: string | undefined;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  home?: string;
  exists?: (path: string) => boolean;
  /** Playwright's own downloaded Chromium, if any. */
  playwrightChromium?: () => string | undefined;
}

/** The browser to drive ESR with: ESR_BROWSER (a path or a channel), else the first one installed. */
export function findBrowser(options: FindOptions = {}): BrowserChoice {
  const exists = options.exists ?? existsSync;
  const platform = options.platform ?? process.platform;
  const configured = options.configured;
  if (configured) {
    if ((CHANNELS as readonly string[]).includes(configured)) {
      if (configured === 'chromium') {
        // Prefer an installed Chromium; Playwright's channel would want its own download.
        const installed = candidatePaths(platform, options.env ?? process.env, options.home ?? '').find(
          (p) => /chromium/i.test(p) && exists(p),
        );
        if (installed) return { executablePath: installed, description: `chromium at ${installed} (ESR_BROWSER)` };
      }
      return { channel: configured, description: `${configured} channel (ESR_BROWSER)` };
    }
    if (!exists(configured)) throw new UsageError(`ESR_BROWSER ${configured} does not exist: give a browser's path or one of ${CHANNELS.join(', ')}`);
    return { executablePath: configured, description: `${configured} (ESR_BROWSER)` };
  }
  const found = candidatePaths(platform, options.env ?? process.env, options.home ?? process.env.HOME ?? '').find((p) => exists(p));
  if (found) return { executablePath: found, description: found };
  const own = options.playwrightChromium?.();
  if (own && exists(own)) return { executablePath: own, description: `Playwright's Chromium at ${own}` };
  throw new RuntimeFailure(`no browser found: ${INSTALL_HINT}`);
}

/** Flags that keep Chromium quiet on a closed network and fast to start. */
export const LAUNCH_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-quic',
];

export async function launchBrowser(configured: string | undefined, headless: boolean): Promise<{ browser: Browser; choice: BrowserChoice }> {
  // require, not import: an ESM import of Playwright's CommonJS first scans its 3.6 MB bundle for
  // export names, about 190 ms of start-up before the browser can launch.
  const { chromium } = createRequire(import.meta.url)('playwright') as typeof import('playwright');
  const choice = findBrowser({
    configured,
    playwrightChromium: () => {
      try {
        return chromium.executablePath();
      } catch {
        return undefined;
      }
    },
  });
  // The sync handles Ctrl-C and SIGTERM itself: it lets ESR finish the request in flight and logs out,
  // which it cannot do once Playwright has closed the browser under it.
  const options: LaunchOptions = { headless, args: LAUNCH_ARGS, handleSIGINT: false, handleSIGTERM: false };
  if (choice.executablePath) options.executablePath = choice.executablePath;
  if (choice.channel) options.channel = choice.channel;
  try {
    return { browser: await chromium.launch(options), choice };
  } catch (error) {
    const first = ((error as Error).message ?? String(error)).split('\n')[0];
    throw new RuntimeFailure(`cannot start the browser ${choice.description}: ${first}; ${INSTALL_HINT}`);
  }
}

/** A browser with its context and page, ready for ESR. */
export interface StartedBrowser {
  browser: Browser;
  choice: BrowserChoice;
  context: BrowserContext;
  page: Page;
}

/** Launch, then the context and page ESR is driven in; the browser is closed again if they fail. */
export async function startBrowser(configured: string | undefined, headless: boolean): Promise<StartedBrowser> {
  const { browser, choice } = await launchBrowser(configured, headless);
  try {
    const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/London' });
    return { browser, choice, context, page: await context.newPage() };
  } catch (error) {
    await browser.close().catch(() => undefined);
    throw new RuntimeFailure(`cannot open a page in the browser ${choice.description}: ${((error as Error).message ?? String(error)).split('\n')[0]}`);
  }
}

/** Close a browser started ahead of need, once it has started (or failed to). */
export async function closeStarted(started: Promise<StartedBrowser>): Promise<void> {
  const ready = await started.catch(() => undefined);
  await ready?.browser.close().catch(() => undefined);
}
