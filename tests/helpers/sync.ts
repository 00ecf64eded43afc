import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_USER } from '../../src/sandbox/server.js';
import type { SandboxStore } from '../../src/sandbox/store.js';
import { runCli, tempDir, type CliResult } from './cli.js';

export const TEN_2026 = [
  '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31',
  '2026-12-25', '2026-12-28', '2027-01-01', '2027-03-26', '2027-03-29',
];

/** A user's setup against a sandbox: a state directory, a config with short waits, a login in the environment. */
export function userFor(esrUrl: string, config: Record<string, unknown> = {}) {
  const stateDir = tempDir('ebh-state-');
  const configFile = join(tempDir('ebh-conf-'), 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({ esr: { timeouts: { elementSeconds: 5, processingSeconds: 20 } }, sync: { lockWaitSeconds: 2 }, ...config }),
  );
  const env = {
    ESR_URL: esrUrl,
    BANK_HOLIDAYS_URL: `${esrUrl}/bank-holidays.json`,
    ESR_STATE_DIR: stateDir,
    ESR_CONFIG: configFile,
    ESR_USERNAME: DEMO_USER.username,
    ESR_PASSWORD: DEMO_USER.password,
  };
  return {
    stateDir,
    env,
    sync: (args: string[] = [], extraEnv: Record<string, string | undefined> = {}): Promise<CliResult> =>
      runCli(['sync', '--today', '2026-04-01', ...args], { env: { ...env, ...extraEnv } }),
    journal: () =>
      readFileSync(join(stateDir, 'journal.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { event: string; date: string; outcome?: string }),
  };
}

/** Active Bank Holiday bookings in the sandbox, as ISO dates, in booking order. */
export function bookedIn(store: SandboxStore, assignmentId = '12345678'): string[] {
  return store
    .absences(assignmentId)
    .filter((a) => a.reason === 'Bank Holiday' && a.status !== 'Cancelled' && a.status !== 'Rejected')
    .map((a) => a.start.split('/').reverse().join('-'));
}
