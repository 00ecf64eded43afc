import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setTimeout as after } from 'node:timers/promises';
import type { Browser, BrowserContext, LaunchOptions, Page } from 'playwright';
import { RuntimeFailure, UsageError } from '../util/errors.js';
import { spawnChromium, type ChromiumProcess } from './chromium-process.js';
import { ESR_LOCALE, ESR_TIME_ZONE } from './devtools-pipe.js';

export const CHANNELS = ['chrome', 'msedge', 'chromium', 'chrome-beta', 'msedge-beta'] as const;

export interface BrowserChoice {
  executablePath?: string;
  channel?: string;
  /** Where it came from, for doctor and the logs. */
  description: string;
}

/**
 * Chromium's headless shell, where a package installs it (Debian: chromium-headless-shell). It is
 * what Playwright itself runs headless: the same engine without the desktop browser around it, and
 * on a 2-core machine it starts in about a third of the time (80-135 ms against 210-430 ms).
 */
export const HEADLESS_SHELLS = ['/usr/bin/chromium-headless-shell'];

/** Where Chrome, Edge and Chromium install themselves, most preferred first; a headless shell first when headless. */
export function candidatePaths(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string, headless = false): string[] {
  const shells = headless && platform === 'linux' ? HEADLESS_SHELLS : [];
  return [...shells, ...desktopPaths(platform, env, home)];
}

function desktopPaths(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string[] {
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
  /** No window wanted: a headless shell will do, and is preferred. */
  headless?: boolean;
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
        const installed = candidatePaths(platform, options.env ?? process.env, options.home ?? '', options.headless).find(
          (p) => /chromium/i.test(p) && exists(p),
        );
        if (installed) return { executablePath: installed, description: `chromium at ${installed} (ESR_BROWSER)` };
      }
      return { channel: configured, description: `${configured} channel (ESR_BROWSER)` };
    }
    if (!exists(configured)) throw new UsageError(`ESR_BROWSER ${configured} does not exist: give a browser's path or one of ${CHANNELS.join(', ')}`);
    return { executablePath: configured, description: `${configured} (ESR_BROWSER)` };
  }
  const found = candidatePaths(platform, options.env ?? process.env, options.home ?? process.env.HOME ?? '', options.headless).find((p) => exists(p));
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

// require, not import: an ESM import of Playwright's CommonJS first scans its 3.6 MB bundle for
// export names, about 190 ms of start-up before the browser can launch.
const loadPlaywright = () => createRequire(import.meta.url)('playwright') as typeof import('playwright');

const firstLine = (error: unknown) => ((error as Error)?.message ?? String(error)).split('\n')[0];

/** Playwright's own launch: for a channel (which Playwright finds) and for its own download. */
async function launchWithPlaywright(configured: string | undefined, headless: boolean): Promise<{ browser: Browser; choice: BrowserChoice }> {
  const { chromium } = loadPlaywright();
  const choice = findBrowser({
    configured,
    headless,
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
    throw new RuntimeFailure(`cannot start the browser ${choice.description}: ${firstLine(error)}; ${INSTALL_HINT}`);
  }
}

/** A browser with its context and page, ready for ESR. */
export interface StartedBrowser {
  browser: Browser;
  choice: BrowserChoice;
  context: BrowserContext;
  page: Page;
  /** The URL the page was sent to as the browser started, if it was (see startBrowser). */
  firstUrl?: string;
  /** Close the browser: the only way to, as Playwright's own close only detaches from one it did not launch. */
  close(): Promise<void>;
}

/** ESR's dashboard, where every session starts: the browser's first page goes there as it starts. */
export function dashboardUrl(config: { esrUrl: string; esr: { paths: { dashboard: string } } }): string {
  return `${config.esrUrl.replace(/\/+$/, '')}${config.esr.paths.dashboard}`;
}

/** How the browser starts: its first page sent on to `firstUrl`, or to none; `pageTimeoutMs` is a page load's time. */
export interface StartOptions {
  firstUrl?: string | undefined;
  /** As long as a page load may take: the browser has as long to answer, the first page as long to load. */
  pageTimeoutMs?: number;
}

/**
 * How the browser starts for this config: its page on the way to the dashboard, unless the person
 * logs in themselves, who must not be shown ESR's login form before the feed, the plan and the lock.
 */
export function startOptionsFor(config: {
  login: 'password' | 'manual';
  esrUrl: string;
  esr: { paths: { dashboard: string }; timeouts: { elementSeconds: number } };
}): StartOptions {
  // A page load is given twice an element's wait, as in EsrPages.
  const pageTimeoutMs = config.esr.timeouts.elementSeconds * 2000;
  return config.login === 'manual' ? { pageTimeoutMs } : { firstUrl: dashboardUrl(config), pageTimeoutMs };
}

/**
 * The browser, its context and the page ESR is driven in. An installed browser is started straight
 * away, while Playwright loads, with its page already on the way to `firstUrl`: ESR's first answer
 * then overlaps Playwright's start instead of following it. A channel, or Playwright's own download,
 * is launched by Playwright. Either way the browser is closed again if the rest fails.
 *
 * `options` may be a promise of them, settled once the config is checked: the browser starts at
 * once, and its page goes nowhere until then; if it rejects, the browser is closed and nothing loaded.
 */
export async function startBrowser(
  configured: string | undefined,
  headless: boolean,
  options: StartOptions | Promise<StartOptions> = {},
): Promise<StartedBrowser> {
  // The caller reports a failed check itself; should no browser be found, nothing else would await it.
  Promise.resolve(options).catch(() => undefined);
  let choice: BrowserChoice | undefined;
  try {
    choice = findBrowser({ configured, headless });
  } catch (error) {
    // None installed: Playwright's own download may be there.
    if (error instanceof UsageError) throw error;
  }
  if (choice?.executablePath) return startInstalled(choice as BrowserChoice & { executablePath: string }, headless, options);
  await options;
  const launched = await launchWithPlaywright(configured, headless);
  const close = () => launched.browser.close().catch(() => undefined);
  try {
    const context = await launched.browser.newContext({ locale: ESR_LOCALE, timezoneId: ESR_TIME_ZONE });
    return { ...launched, context, page: await context.newPage(), close };
  } catch (error) {
    await close();
    throw new RuntimeFailure(`cannot open a page in the browser ${launched.choice.description}: ${firstLine(error)}`);
  }
}

/** Rejects after `ms` with `message`; cleared by the returned function. */
function deadline(ms: number, message: string): { expired: Promise<never>; clear: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  expired.catch(() => undefined);
  return { expired, clear: () => clearTimeout(timer) };
}

async function startInstalled(
  choice: BrowserChoice & { executablePath: string },
  headless: boolean,
  later: StartOptions | Promise<StartOptions>,
): Promise<StartedBrowser> {
  let chromiumProcess: ChromiumProcess;
  const settled = Promise.resolve(later);
  try {
    chromiumProcess = spawnChromium(choice.executablePath, { headless, firstPage: settled.then((o) => o.firstUrl, () => undefined) });
  } catch (error) {
    throw new RuntimeFailure(`cannot start the browser ${choice.description}: ${firstLine(error)}; ${INSTALL_HINT}`);
  }
  let options: StartOptions;
  try {
    options = await settled;
  } catch (error) {
    await chromiumProcess.close();
    throw error;
  }
  const { firstUrl, pageTimeoutMs = 60_000 } = options;
  // Loading Playwright holds Node for a third of a second: the page is set up and on its way first.
  let sentOn: boolean;
  // It takes well under a second.
  const answer = deadline(pageTimeoutMs, `it did not answer over DevTools in ${pageTimeoutMs / 1000} s`);
  try {
    sentOn = await Promise.race([chromiumProcess.prepared, chromiumProcess.exited, answer.expired]);
  } catch (error) {
    // A browser that closed its pipes is usually exiting: its own reason says more.
    const why = await Promise.race([chromiumProcess.exited.catch((exit: unknown) => exit), after(500, error)]);
    await chromiumProcess.close();
    throw new RuntimeFailure(`cannot start the browser ${choice.description}: ${firstLine(why)}; ${INSTALL_HINT}`);
  } finally {
    answer.clear();
  }
  try {
    const { chromium } = loadPlaywright();
    // The browser holds back Playwright's attach while the first page waits on ESR: past a page
    // load's time that load is called off, and the dashboard loaded afresh like any failed load.
    const connecting = chromium.connectOverCDP(chromiumProcess.transport(), { timeout: (firstUrl ? pageTimeoutMs : 0) + pageTimeoutMs });
    connecting.catch(() => undefined);
    let calledOff = false;
    const stalled = firstUrl
      ? setTimeout(() => {
          calledOff = true;
          chromiumProcess.callOffFirstPage();
        }, pageTimeoutMs)
      : undefined;
    const browser = await Promise.race([connecting, chromiumProcess.exited]).finally(() => clearTimeout(stalled));
    const context = browser.contexts()[0];
    const pages = context?.pages() ?? [];
    // One page, the one set up in ESR's locale before Playwright came (DevtoolsPipe.prepare).
    if (!context || pages.length !== 1) throw new Error(`it has ${pages.length} pages open, not one`);
    const page = pages[0]!;
    // The window size Playwright's context gave a launched browser's page.
    await page.setViewportSize({ width: 1280, height: 720 });
    const close = async () => {
      await browser.close().catch(() => undefined);
      await chromiumProcess.close();
    };
    return { browser, choice, context, page, ...(sentOn && !calledOff && firstUrl ? { firstUrl } : {}), close };
  } catch (error) {
    await chromiumProcess.close();
    // It started and answered: no install would help.
    throw new RuntimeFailure(`cannot drive the browser ${choice.description}: ${firstLine(error)}`);
  }
}

/** Close a browser started ahead of need, once it has started (or failed to). */
export async function closeStarted(started: Promise<StartedBrowser>): Promise<void> {
  const ready = await started.catch(() => undefined);
  await ready?.close();
}
