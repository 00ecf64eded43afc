import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { setTimeout as after } from 'node:timers/promises';
import type { ConnectOverCDPTransport } from 'playwright';
import { DevtoolsPipe, ESR_LOCALE, ESR_TIME_ZONE } from './devtools-pipe.js';

/**
 * Playwright's own switches for Chromium (its chromiumSwitches and headless flags), less those for
 * Android, Edge on Windows and proxies: the browser behaves as under Playwright's launch. One more
 * feature is off: RenderDocument, which builds a new frame for every document the page goes to.
 * Without it the browser reuses the frame, as it did for years (Playwright, Puppeteer and
 * Lighthouse's launcher each turned it off for a time in 2025-26). ESR reloads its dashboard after
 * every booking, and the reload reaches its page script some 8 ms sooner, of the 20-30 ms it took.
 */
const SWITCHES = [
  '--disable-field-trial-config',
  '--disable-background-networking',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-back-forward-cache',
  '--disable-breakpad',
  '--disable-component-extensions-with-background-pages',
  '--disable-component-update',
  '--no-default-browser-check',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
  '--disable-extensions',
  '--disable-features=AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,LensOverlay,MediaRouter,PaintHolding,ThirdPartyStoragePartitioning,AvoidCorsURLLoaderRestartOnRedirect,OptimizationHints,NetworkTimeServiceQuerying,AimEnabled,PreconnectToSearch,RenderDocument',
  '--enable-features=CDPScreenshotNewSurface,SkipListAccountsWithoutGaiaCookies',
  '--allow-pre-commit-input',
  '--disable-hang-monitor',
  '--disable-ipc-flooding-protection',
  '--disable-popup-blocking',
  '--disable-prompt-on-repost',
  '--disable-renderer-backgrounding',
  '--force-color-profile=srgb',
  '--metrics-recording-only',
  '--no-first-run',
  '--password-store=basic',
  '--use-mock-keychain',
  '--no-service-autorun',
  '--disable-search-engine-choice-screen',
  '--disable-sync',
  '--disable-quic',
  '--no-sandbox',
  // What Playwright's context options set before: en-GB (navigator.language and Accept-Language; how
  // dates are drawn is set over DevTools, see DevtoolsPipe.prepare), a 1280x720 page.
  `--lang=${ESR_LOCALE}`,
  `--accept-lang=${ESR_LOCALE}`,
  '--window-size=1280,720',
];
const HEADLESS = ['--headless', '--hide-scrollbars', '--mute-audio', '--blink-settings=primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4'];

/** What the tool's environment holds that the browser has no use for: the login and the notification hook's token. */
const NOT_FOR_THE_BROWSER = ['ESR_USERNAME', 'ESR_PASSWORD', 'ESR_NOTIFY_URL'];

/** The browser's environment: the tool's, less its secrets, in ESR's time zone (Playwright's context used to set it). */
export function browserEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, TZ: ESR_TIME_ZONE };
  for (const name of NOT_FOR_THE_BROWSER) delete out[name];
  return out;
}

export interface ChromiumProcess {
  /** Rejects with why the browser ended, if it ends before close(). */
  readonly exited: Promise<never>;
  /**
   * Settles once the page is in ESR's locale and time zone: with whether it was sent on to the first
   * page asked for. Rejects if it would not take them.
   */
  readonly prepared: Promise<boolean>;
  /** Stop the first page's load, which holds back Playwright's attach until ESR answers. */
  callOffFirstPage(): void;
  /** The DevTools pipes as a transport for Playwright's connectOverCDP: one, taken once. */
  transport(): ConnectOverCDPTransport;
  /** Close the browser (asked, then killed after a while) and delete its profile. */
  close(): Promise<void>;
}

/**
 * The desktop browser's profile would keep the username for autofill and in its password manager's
 * records; a Playwright context kept nothing. Turned off before the browser first reads its settings.
 */
function keepNothingIn(profile: string): void {
  mkdirSync(join(profile, 'Default'), { recursive: true, mode: 0o700 });
  const preferences = {
    credentials_enable_service: false,
    credentials_enable_autosignin: false,
    profile: { password_manager_enabled: false },
    autofill: { enabled: false, profile_enabled: false, credit_card_enabled: false },
  };
  writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify(preferences), { mode: 0o600 });
}

/**
 * Start Chromium ourselves, before Playwright has loaded, so the two overlap. It is driven over
 * DevTools on the pipes at fds 3 and 4, as under Playwright's own launch, and never over a port,
 * which any local user could reach; Playwright attaches to the pipes once it has loaded.
 */
export function spawnChromium(
  executablePath: string,
  options: { headless: boolean; firstPage?: string | undefined | Promise<string | undefined> },
): ChromiumProcess {
  const profile = mkdtempSync(join(tmpdir(), 'esr-bank-holidays-browser-'));
  keepNothingIn(profile);
  const args = [...SWITCHES, ...(options.headless ? HEADLESS : []), `--user-data-dir=${profile}`, '--remote-debugging-pipe', 'about:blank'];
  // Its own process group, as under Playwright: Ctrl-C reaches the tool, which lets ESR finish the
  // request in flight and logs out before the browser is closed.
  const child = spawn(executablePath, args, {
    detached: process.platform !== 'win32',
    env: browserEnvironment(process.env),
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
  });
  const pipe = new DevtoolsPipe(child.stdio[3] as Writable, child.stdio[4] as Readable);
  const prepared = pipe.prepare(options.firstPage);
  prepared.catch(() => undefined);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));

  let alive = true;
  const removeProfile = () => rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
  const kill = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, signal);
      else child.kill(signal);
    } catch {
      // already gone
    }
  };
  // Should the tool itself end abruptly, the browser and its profile (with ESR's session cookie) go with it.
  const onExit = () => {
    if (alive) kill('SIGKILL');
    try {
      removeProfile();
    } catch {
      // the next tmp clean-up takes it
    }
  };
  process.on('exit', onExit);
  // A path that cannot be run (a folder, no execute bit) gives an error and no exit.
  const ended = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const exited = new Promise<never>((_resolve, reject) => {
    child.once('error', (error) => {
      alive = false;
      reject(new Error(error.message));
    });
    child.once('exit', (code, signal) => {
      alive = false;
      const said = stderr.split('\n').find((line) => /error|cannot|not supported|fatal/i.test(line))?.trim();
      reject(new Error(`it exited (${signal ?? `code ${code}`})${said ? `: ${said}` : ''}`));
    });
  });
  exited.catch(() => undefined);

  return {
    exited,
    prepared,
    transport: () => pipe.transport(),
    callOffFirstPage: () => pipe.callOffFirstPage(),
    async close() {
      pipe.detach();
      if (alive) {
        pipe.closeBrowser();
        const waited = await Promise.race([ended.then(() => true), after(3000, false, { ref: false })]);
        if (!waited) {
          kill('SIGKILL');
          await ended;
        }
      }
      process.off('exit', onExit);
      try {
        removeProfile();
      } catch {
        // the next tmp clean-up takes it
      }
    },
  };
}
