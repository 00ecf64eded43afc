import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { readableContents, unzip, walk } from '../helpers/files.js';
import { userFor } from '../helpers/sync.js';
import { readFileSync } from 'node:fs';

const PASSWORD = 'Corr3ct-Horse-Battery-Staple';
const USER = { username: 'nurse.jones', password: PASSWORD };

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe('credentials', () => {
  it('with no login anywhere and no terminal, exits 2 naming the variables', async () => {
    sandbox = await startSandbox();
    const user = userFor(sandbox.url);
    const result = await user.sync(['--yes'], { ESR_USERNAME: undefined, ESR_PASSWORD: undefined });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no ESR login: set ESR_USERNAME and ESR_PASSWORD in the environment or in .env/);
    expect(sandbox.loginAttempts()).toBe(0);
  });

  it('reads them from .env in the working directory, and warns when others can read it', async () => {
    sandbox = await startSandbox({ users: [USER] });
    const user = userFor(sandbox.url);
    const cwd = tempDir('ebh-cwd-');
    writeFileSync(join(cwd, '.env'), `ESR_USERNAME=${USER.username}\nESR_PASSWORD="${PASSWORD}"\n`);
    chmodSync(join(cwd, '.env'), 0o644);
    const env = { ...user.env, ESR_USERNAME: undefined, ESR_PASSWORD: undefined };
    const loose = await runCli(['sync', '--today', '2026-04-01', '--dry-run'], { env, cwd });
    expect(loose.code).toBe(0);
    expect(loose.stderr).toMatch(/\.env can be read by other users \(mode 644\).*chmod 600/);
    chmodSync(join(cwd, '.env'), 0o600);
    const tight = await runCli(['sync', '--today', '2026-04-01', '--dry-run'], { env, cwd });
    expect(tight.code).toBe(0);
    expect(tight.stderr).not.toMatch(/can be read by other users/);
  });
});

describe('the password never appears', () => {
  it('in anything printed or stored by a debug-level sync that re-logs in and then fails', async () => {
    // The session ends after two bookings (a second login, while tracing), then ESR goes away.
    sandbox = await startSandbox({ users: [USER], faults: { expireSessionAfterSubmits: 2, exitAfterSubmits: 4 } });
    // The richest trace there is: DOM snapshots and screenshots as well as actions and network.
    const user = userFor(sandbox.url, { sync: { lockWaitSeconds: 2, traceSnapshots: true } });
    const result = await user.sync(['--yes', '--json', '--log-level', 'debug'], { ESR_USERNAME: USER.username, ESR_PASSWORD: PASSWORD });
    expect(result.code).toBe(1);
    expect(sandbox.loginAttempts()).toBe(2);
    expect(result.stderr).toMatch(/"level":20/); // debug lines were written
    const everything: Array<[string, string]> = [['stdout', result.stdout], ['stderr', result.stderr], ...readableContents(user.stateDir)];
    expect(everything.some(([path]) => path.endsWith('.zip!trace.trace'))).toBe(true);
    expect(everything.some(([path]) => path.endsWith('.png'))).toBe(true);
    for (const [path, text] of everything) expect(text.includes(PASSWORD), `password found in ${path}`).toBe(false);
  });
});

describe('failure evidence', () => {
  it('saves a screenshot and a trace, owner-only, and prints where', async () => {
    sandbox = await startSandbox({ users: [USER], faults: { absenceList: 'hidden' } });
    const user = userFor(sandbox.url);
    const result = await user.sync(['--yes'], { ESR_USERNAME: USER.username, ESR_PASSWORD: PASSWORD });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ESR page element "absenceTable" \(selector #absence-history\) did not appear/);
    const where = /Screenshot and trace of the failure: (\S+)/.exec(result.stdout)![1]!;
    expect(where.startsWith(join(user.stateDir, 'artifacts'))).toBe(true);
    expect(statSync(where).mode & 0o777).toBe(0o700);
    const files = walk(where);
    expect(files.some((f) => f.endsWith('.png'))).toBe(true);
    const trace = files.find((f) => f.endsWith('.zip'))!;
    expect([...unzip(readFileSync(trace)).keys()]).toContain('trace.trace');
    for (const file of files) expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(sandbox.submits()).toBe(0);
  });

  it('keeps the last 10 runs’ artifacts only; a run that ends well keeps none', async () => {
    sandbox = await startSandbox({ faults: { absenceList: 'hidden' } });
    const user = userFor(sandbox.url);
    const artifacts = join(user.stateDir, 'artifacts');
    for (let i = 0; i < 11; i += 1) mkdirSync(join(artifacts, `2000-01-01T00-00-${String(i).padStart(2, '0')}-000Z-1`), { recursive: true });
    expect((await user.sync(['--yes'])).code).toBe(1);
    const runs = readdirSync(artifacts).sort();
    expect(runs).toHaveLength(10);
    expect(runs[0]).toBe('2000-01-01T00-00-02-000Z-1');
    expect(runs.at(-1)!.startsWith('20') && !runs.at(-1)!.startsWith('2000')).toBe(true);

    sandbox.faults.absenceList = 'default';
    expect((await user.sync(['--yes'])).code).toBe(0);
    expect(readdirSync(artifacts)).toHaveLength(10);
  });
});
