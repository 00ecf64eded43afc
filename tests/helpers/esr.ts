import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { Evidence } from '../../src/esr/evidence.js';
import { EsrSession } from '../../src/esr/session.js';
import { DEMO_USER, startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server.js';
import { captureLogger } from './log.js';
import { tempDir } from './cli.js';

/** Config pointed at a sandbox, with waits short enough for tests. */
export function sandboxConfig(url: string, overrides: Record<string, unknown> = {}): Config {
  return loadConfig({
    env: { ESR_URL: url, BANK_HOLIDAYS_URL: `${url}/bank-holidays.json` },
    // Short waits for tests, unless a test sets its own; an esr override keeps them (objects merge key by key).
    flags: { ...overrides, esr: { timeouts: { elementSeconds: 3, processingSeconds: 10 }, ...(overrides.esr as object | undefined) } },
  }).config;
}

export interface Driven {
  sandbox: Sandbox;
  session: EsrSession;
  config: Config;
  stateDir: string;
  logLines: () => Array<{ level: number; msg: string }>;
  close: () => Promise<void>;
}

/** Another session, as a later run would open against the same ESR. */
export function openSession(config: Config, stateDir = tempDir('ebh-state-'), log = captureLogger().log): Promise<EsrSession> {
  return EsrSession.open({
    config,
    evidence: new Evidence(stateDir),
    log,
    login: { kind: 'password', credentials: { ...DEMO_USER } },
    headless: true,
    backoffMs: 20,
  });
}

/** A sandbox and a logged-in session against it, in real headless Chromium. */
export async function drive(
  sandboxOptions: SandboxOptions = {},
  configOverrides: Record<string, unknown> = {},
  login = true,
): Promise<Driven> {
  const sandbox = await startSandbox(sandboxOptions);
  const config = sandboxConfig(sandbox.url, configOverrides);
  const stateDir = tempDir('ebh-state-');
  const { log, lines } = captureLogger();
  const session = await openSession(config, stateDir, log);
  if (login) await session.login();
  return {
    sandbox,
    session,
    config,
    stateDir,
    logLines: lines,
    close: async () => {
      await session.close();
      await sandbox.close();
    },
  };
}
