import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

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

/** A first page that goes on to `url` by itself: loading it does not hold up Playwright's attach, as the URL itself would until ESR answered. */
export function goingTo(url: string): string {
  return `data:text/html,${encodeURIComponent(`<!doctype html><title>ESR</title><script>location.replace(${JSON.stringify(url)})</script>`)}`;
}

/** The part of Playwright's bundled `ws` the relay uses. */
interface WsServer {
  on(event: 'connection', listener: (socket: WsSocket) => void): void;
  on(event: 'listening' | 'error', listener: (error?: Error) => void): void;
  address(): { port: number } | string | null;
  close(): void;
}
interface WsSocket {
  send(data: string): void;
  close(): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'close' | 'error', listener: () => void): void;
}
export type WsServerClass = new (options: { host: string; port: number; path: string; maxPayload: number }) => WsServer;

export interface ChromiumProcess {
  /** Rejects with why the browser ended, if it ends before close(). */
  readonly exited: Promise<never>;
  /** A one-time DevTools endpoint for Playwright's connectOverCDP: a secret path, one connection, then no more. */
  endpoint(WsServer: WsServerClass): Promise<string>;
  /** Close the browser (asked, then killed after a while) and delete its profile. */
  close(): Promise<void>;
}

/**
 * Start Chromium ourselves, before Playwright has loaded, so the two overlap: talking DevTools over
 * the pipes on fds 3 and 4 as Playwright's own launch does, never over a port another local user
 * could reach. Playwright attaches later through a relay on a loopback port with a secret path,
 * which takes one connection and then stops listening.
 */
export function spawnChromium(executablePath: string, options: { headless: boolean; firstPage: string }): ChromiumProcess {
  const profile = mkdtempSync(join(tmpdir(), 'esr-bank-holidays-browser-'));
  const args = [...SWITCHES, ...(options.headless ? HEADLESS : []), `--user-data-dir=${profile}`, '--remote-debugging-pipe', options.firstPage];
  // Its own process group, as under Playwright: Ctrl-C reaches the tool, which lets ESR finish the
  // request in flight and logs out before the browser is closed.
  const child = spawn(executablePath, args, {
    detached: process.platform !== 'win32',
    env: { ...process.env, TZ: 'Europe/London' },
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
  });
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  toBrowser.on('error', () => undefined);
  fromBrowser.on('error', () => undefined);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));

  let alive = true;
  let endRelay = () => undefined as void;
  const removeProfile = () => rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
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
  const kill = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, signal);
      else child.kill(signal);
    } catch {
      // already gone
    }
  };
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
    async endpoint(WsServer) {
      const secret = randomBytes(24).toString('hex');
      const server = new WsServer({ host: '127.0.0.1', port: 0, path: `/${secret}`, maxPayload: 256 * 1024 * 1024 });
      await new Promise<void>((resolve, reject) => {
        server.on('listening', () => resolve());
        server.on('error', (error) => reject(error ?? new Error('the DevTools relay did not start')));
      });
      server.on('connection', (socket) => {
        server.close();
        endRelay = relay(socket, toBrowser, fromBrowser);
      });
      // Ended before Playwright came: nothing more is to be let in.
      endRelay = () => server.close();
      const address = server.address();
      if (!address || typeof address === 'string') throw new Error('the DevTools relay has no port');
      return `ws://127.0.0.1:${address.port}/${secret}`;
    },
    async close() {
      endRelay();
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

/**
 * DevTools over the pipe is JSON messages ended by a NUL byte; over the WebSocket, one message a
 * frame. Returns the relay's end: nothing more passes either way.
 */
function relay(socket: WsSocket, toBrowser: Writable, fromBrowser: Readable): () => void {
  let pending: Buffer[] = [];
  const onData = (chunk: Buffer) => {
    let start = 0;
    for (let end = chunk.indexOf(0); end !== -1; end = chunk.indexOf(0, start)) {
      pending.push(chunk.subarray(start, end));
      socket.send(Buffer.concat(pending).toString('utf8'));
      pending = [];
      start = end + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  };
  let open = true;
  const end = () => {
    if (!open) return;
    open = false;
    fromBrowser.off('data', onData);
    socket.close();
  };
  fromBrowser.on('data', onData);
  fromBrowser.once('close', end);
  socket.on('message', (data) => {
    if (!open) return;
    toBrowser.write(data);
    toBrowser.write('\0');
  });
  socket.on('close', end);
  socket.on('error', end);
  return end;
}
