import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/esr/browser.js';
import { spawnChromium } from '../../src/esr/chromium-process.js';
import { tempDir } from '../helpers/cli.js';

const executable = findBrowser({ headless: true }).executablePath!;

/** Run with the temp folder (where the browser's profile goes) set to this one. */
function withTmp<T>(tmp: string, run: () => T): T {
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  try {
    return run();
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
}

describe('the browser the tool starts itself', () => {
  it('is driven over its DevTools pipes only, never a port another local user could reach, and by one driver', async () => {
    const tmp = tempDir('ebh-tmp-');
    const browser = withTmp(tmp, () => spawnChromium(executable, { headless: true }));
    try {
      const connected = await chromium.connectOverCDP(browser.transport());
      expect(connected.contexts()[0]?.pages()).toHaveLength(1);
      const started = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
        .split('\n')
        .filter((line) => line.includes(tmp) && !line.includes('--type='));
      expect(started.length).toBeGreaterThan(0);
      for (const line of started) {
        expect(line).toContain('--remote-debugging-pipe');
        expect(line).not.toMatch(/--remote-debugging-port|--remote-debugging-address/);
      }
      expect(() => browser.transport()).toThrow(/already driven/);
      await connected.close();
    } finally {
      await browser.close();
    }
  });

  it('gets no secret in its environment: the login and the notification hook stay with the tool', async () => {
    const tmp = tempDir('ebh-tmp-');
    const saved = { ...process.env };
    Object.assign(process.env, { ESR_USERNAME: 'someone', ESR_PASSWORD: 'Sekr3t-in-env', ESR_NOTIFY_URL: 'https://hooks.example/T0KEN' });
    let browser;
    try {
      browser = withTmp(tmp, () => spawnChromium(executable, { headless: true }));
    } finally {
      for (const name of ['ESR_USERNAME', 'ESR_PASSWORD', 'ESR_NOTIFY_URL']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
    try {
      const connected = await chromium.connectOverCDP(browser.transport());
      const pids = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
        .split('\n')
        .filter((line) => line.includes(tmp))
        .map((line) => line.trim().split(/\s+/)[0]!);
      expect(pids.length).toBeGreaterThan(0);
      for (const pid of pids) {
        const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
        expect(environ).not.toMatch(/Sekr3t-in-env|T0KEN|ESR_USERNAME/);
        expect(environ).toContain('TZ=Europe/London');
      }
      await connected.close();
    } finally {
      await browser.close();
    }
  });

  it('closes, and its profile (which holds the session cookie) is deleted', async () => {
    const tmp = tempDir('ebh-tmp-');
    const browser = withTmp(tmp, () => spawnChromium(executable, { headless: true }));
    const connected = await chromium.connectOverCDP(browser.transport());
    expect(readdirSync(tmp)).toHaveLength(1);
    const gone = new Promise((resolve) => connected.on('disconnected', resolve));
    await browser.close();
    await gone;
    expect(readdirSync(tmp)).toEqual([]);
  });

  it.each(['not json', 'null', '[]'])('one that says something that is not DevTools on the pipe (%s): not driven, and nothing crashes', async (said) => {
    const fake = join(tempDir('ebh-fake-browser-'), 'chromium');
    writeFileSync(fake, `#!/bin/sh\nprintf '${said}\\000' >&4\nexec sleep 30\n`, { mode: 0o755 });
    const browser = spawnChromium(fake, { headless: true });
    await expect(browser.prepared).rejects.toThrow(/closed/);
    await expect(chromium.connectOverCDP(browser.transport(), { timeout: 5000 })).rejects.toThrow();
    await browser.close();
  });

  it('one that ends at once says so, with its exit code', async () => {
    const browser = spawnChromium('/bin/false', { headless: true });
    await expect(browser.exited).rejects.toThrow(/exited \(code 1\)/);
    await browser.close();
  });
});
