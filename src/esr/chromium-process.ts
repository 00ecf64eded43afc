import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { ConnectOverCDPTransport } from 'playwright';

/**
 * Playwright's own switches for Chromium (its chromiumSwitches and headless flags), less those for
 * Android, Edge on Windows and proxies: the browser behaves as under Playwright's launch.
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
  '--disable-features=AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,LensOverlay,MediaRouter,PaintHolding,ThirdPartyStoragePartitioning,AvoidCorsURLLoaderRestartOnRedirect,OptimizationHints,NetworkTimeServiceQuerying,AimEnabled,PreconnectToSearch',
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
  // What Playwright's context options set before (locale en-GB, a 1280x720 page); the time zone is the process's TZ.
  '--lang=en-GB',
  '--accept-lang=en-GB',
  '--window-size=1280,720',
];
const HEADLESS = ['--headless', '--hide-scrollbars', '--mute-audio', '--blink-settings=primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4'];

/** What the tool's environment holds that the browser has no use for: the login and the notification hook's token. */
const NOT_FOR_THE_BROWSER = ['ESR_USERNAME', 'ESR_PASSWORD', 'ESR_NOTIFY_URL'];

/** The browser's environment: the tool's, less its secrets, in ESR's time zone (Playwright's context used to set it). */
export function browserEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, TZ: 'Europe/London' };
  for (const name of NOT_FOR_THE_BROWSER) delete out[name];
  return out;
}

/** A first page that goes on to `url` by itself: loading it does not hold up Playwright's attach, as the URL itself would until ESR answered. */
export function goingTo(url: string): string {
  return `data:text/html,${encodeURIComponent(`<!doctype html><title>ESR</title><script>location.replace(${JSON.stringify(url)})</script>`)}`;
}

export interface ChromiumProcess {
  /** Rejects with why the browser ended, if it ends before close(). */
  readonly exited: Promise<never>;
  /** The DevTools pipes as a transport for Playwright's connectOverCDP: one, taken once. */
  transport(): ConnectOverCDPTransport;
  /** Close the browser (asked, then killed after a while) and delete its profile. */
  close(): Promise<void>;
}

/**
 * Start Chromium ourselves, before Playwright has loaded, so the two overlap. It is driven over
 * DevTools on the pipes at fds 3 and 4, as under Playwright's own launch, and never over a port,
 * which any local user could reach; Playwright attaches to the pipes once it has loaded.
 */
export function spawnChromium(executablePath: string, options: { headless: boolean; firstPage: string }): ChromiumProcess {
  const profile = mkdtempSync(join(tmpdir(), 'esr-bank-holidays-browser-'));
  const args = [...SWITCHES, ...(options.headless ? HEADLESS : []), `--user-data-dir=${profile}`, '--remote-debugging-pipe', options.firstPage];
  // Its own process group, as under Playwright: Ctrl-C reaches the tool, which lets ESR finish the
  // request in flight and logs out before the browser is closed.
  const child = spawn(executablePath, args, {
    detached: process.platform !== 'win32',
    env: browserEnvironment(process.env),
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
  });
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  toBrowser.on('error', () => undefined);
  fromBrowser.on('error', () => undefined);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));

  let alive = true;
  let taken = false;
  /** Stop passing messages to Playwright: before the browser is asked to close, whose answer is not Playwright's. */
  let detach = () => undefined as void;
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
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const exited = new Promise<never>((_resolve, reject) => {
    child.once('error', (error) => reject(new Error(error.message)));
    child.once('exit', (code, signal) => {
      alive = false;
      const said = stderr.split('\n').find((line) => /error|cannot|not supported|fatal/i.test(line))?.trim();
      reject(new Error(`it exited (${signal ?? `code ${code}`})${said ? `: ${said}` : ''}`));
    });
  });
  exited.catch(() => undefined);

  return {
    exited,
    transport() {
      if (taken) throw new Error('the browser is already driven');
      taken = true;
      // DevTools over the pipe: JSON messages, each ended by a NUL byte; handed on as Playwright's own pipe does.
      let pending: Buffer[] = [];
      let open = true;
      let onclose: ((reason?: string) => void) | undefined;
      const transport: ConnectOverCDPTransport = {
        send(message) {
          if (open) toBrowser.write(`${JSON.stringify(message)}\0`);
        },
        close() {
          detach();
        },
        // Set after the pipe closed (a browser that ended at once), it is told at once.
        get onclose() {
          return onclose;
        },
        set onclose(listener) {
          onclose = listener;
          if (listener && !open) setImmediate(() => listener('the browser closed'));
        },
      };
      const onData = (chunk: Buffer) => {
        let start = 0;
        for (let end = chunk.indexOf(0); end !== -1; end = chunk.indexOf(0, start)) {
          pending.push(chunk.subarray(start, end));
          const message = JSON.parse(Buffer.concat(pending).toString('utf8')) as object;
          pending = [];
          start = end + 1;
          setImmediate(() => transport.onmessage?.(message));
        }
        if (start < chunk.length) pending.push(chunk.subarray(start));
      };
      fromBrowser.on('data', onData);
      fromBrowser.once('close', () => detach());
      detach = () => {
        if (!open) return;
        open = false;
        fromBrowser.off('data', onData);
        const listener = onclose;
        if (listener) setImmediate(() => listener('the browser closed'));
      };
      return transport;
    },
    async close() {
      detach();
      if (alive) {
        // Playwright has only detached: ask the browser to close, as Playwright's own close does.
        toBrowser.write(`${JSON.stringify({ id: 2 ** 31 - 1, method: 'Browser.close' })}\0`);
        const waited = await Promise.race([ended.then(() => true), new Promise<false>((resolve) => setTimeout(resolve, 3000, false).unref())]);
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
