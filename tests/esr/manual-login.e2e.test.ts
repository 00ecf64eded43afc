import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { Evidence } from '../../src/esr/evidence.js';
import { EsrSession } from '../../src/esr/session.js';
import { DEMO_USER, startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { sandboxConfig } from '../helpers/esr.js';
import { tempDir } from '../helpers/cli.js';
import { captureLogger } from '../helpers/log.js';

let sandbox: Sandbox | undefined;
let session: EsrSession | undefined;
afterEach(async () => {
  await session?.close();
  await sandbox?.close();
});

describe('--login manual', () => {
  it('implies a visible browser', () => {
    const { config } = loadConfig({ env: {}, flags: { login: 'manual', headless: false } });
    expect(config.headless).toBe(false);
  });

  it('opens the login page, waits for the person to log in, then carries on; the tool never types a password', async () => {
    sandbox = await startSandbox();
    const { log, lines } = captureLogger();
    // Headless here because CI has no screen; the command itself always shows the window.
    session = await EsrSession.open({
      config: sandboxConfig(sandbox.url),
      evidence: new Evidence(tempDir()),
      log,
      login: { kind: 'manual' },
      headless: true,
    });
    const loggingIn = session.login();
    // The person: sees the login form, types their own details, presses Enter.
    const page = session.pages.page;
    await page.locator('input[name=username]').waitFor();
    await expect.poll(() => lines().some((l) => /log in to ESR in the browser window/.test(l.msg))).toBe(true);
    await page.locator('input[name=username]').fill(DEMO_USER.username);
    await page.locator('input[name=password]').fill(DEMO_USER.password);
    await page.locator('input[name=password]').press('Enter');
    await loggingIn;
    expect(await session.assignments()).toHaveLength(2);
    expect(sandbox.loginAttempts()).toBe(1);
  });

  it('gives up with a clear error when nobody logs in in time', async () => {
    sandbox = await startSandbox();
    session = await EsrSession.open({
      config: sandboxConfig(sandbox.url, { esr: { timeouts: { elementSeconds: 3, manualLoginSeconds: 1 } } }),
      evidence: new Evidence(tempDir()),
      log: captureLogger().log,
      login: { kind: 'manual' },
      headless: true,
    });
    await expect(session.login()).rejects.toThrow(/nobody logged in to ESR within 1 s/);
  });
});
