import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { tempDir } from '../helpers/cli.js';
import { runOnTerminal } from '../helpers/terminal.js';
import { bookedIn, userFor } from '../helpers/sync.js';

const PASSWORD = 'Tr1cky-Typed-Secret';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe('sync on a terminal', () => {
  it('asks for the login, hiding the password as it is typed', async () => {
    sandbox = await startSandbox({ users: [{ username: 'nurse', password: PASSWORD }] });
    const { ESR_USERNAME: _u, ESR_PASSWORD: _p, ...env } = userFor(sandbox.url).env;
    const result = await runOnTerminal(['sync', '--dry-run', '--today', '2026-04-01'], env, [
      { when: /ESR username: $/, send: 'nurse\r' },
      { when: /ESR password \(not shown\): $/, send: `${PASSWORD}\r` },
    ]);
    expect(result.code).toBe(0);
    expect(result.screen).toContain('ESR username: nurse');
    expect(result.screen).toContain('10 to book');
    expect(result.screen).not.toContain(PASSWORD);
    expect(sandbox.loginAttempts()).toBe(1);
  });

  it('asks before booking: "n" books nothing, "y" books the year', async () => {
    sandbox = await startSandbox();
    const user = userFor(sandbox.url);
    const question = /Book 10 bank holidays in ESR for 12345678 Staff Nurse\? \[y\/N\] $/;
    const no = await runOnTerminal(['sync', '--today', '2026-04-01'], user.env, [{ when: question, send: 'n\r' }]);
    expect(no.code).toBe(0);
    expect(no.screen).toContain('Nothing booked.');
    expect(sandbox.submits()).toBe(0);
    const yes = await runOnTerminal(['sync', '--today', '2026-04-01'], user.env, [{ when: question, send: 'y\r' }]);
    expect(yes.code).toBe(0);
    expect(yes.screen).toMatch(/\[10\/10\] Mon 29 Mar 2027 {2}Easter Monday {2}booked/);
    expect(bookedIn(sandbox.store)).toHaveLength(10);
  });

  it('Ctrl-D at the booking question is "no": nothing booked, exit 0', async () => {
    sandbox = await startSandbox();
    const user = userFor(sandbox.url);
    const question = /\[y\/N\] $/;
    const result = await runOnTerminal(['sync', '--today', '2026-04-01'], user.env, [{ when: question, send: '\x04' }]);
    expect(result.code).toBe(0);
    expect(result.screen).toContain('Nothing booked.');
    expect(sandbox.submits()).toBe(0);
  });

  it('Ctrl-C at the booking question stops: nothing booked, exit 130, no stack trace', async () => {
    sandbox = await startSandbox();
    const user = userFor(sandbox.url);
    const result = await runOnTerminal(['sync', '--today', '2026-04-01'], user.env, [{ when: /\[y\/N\] $/, send: '\x03' }]);
    expect(result.code).toBe(130);
    expect(result.screen).toMatch(/interrupted \(Ctrl-C\) at the prompt; nothing was booked/);
    expect(result.screen).not.toMatch(/\n\s+at /);
    expect(sandbox.submits()).toBe(0);
    expect(sandbox.requests().some((r) => r.path.includes('/logout'))).toBe(true);
  });

  it('reads ESR again after the person says yes: a day booked or taken as leave meanwhile is not booked', async () => {
    sandbox = await startSandbox({ faults: { refuseOverlaps: false } });
    const user = userFor(sandbox.url);
    const store = sandbox.store;
    const result = await runOnTerminal(['sync', '--today', '2026-04-01'], user.env, [
      {
        when: /Book 10 bank holidays .*\[y\/N\] $/,
        send: 'y\r',
        before: () => {
          store.add({ assignmentId: '12345678', start: '03/04/2026', end: '03/04/2026', reason: 'Bank Holiday', status: 'Approved' });
          store.add({ assignmentId: '12345678', start: '06/04/2026', end: '10/04/2026', reason: 'Annual Leave', status: 'Approved' });
        },
      },
    ]);
    expect(result.code).toBe(0);
    expect(sandbox.submitsFor('2026-04-03')).toBe(0);
    expect(sandbox.submitsFor('2026-04-06')).toBe(0);
    expect(bookedIn(sandbox.store)).toHaveLength(9);
    expect(result.screen).toMatch(/\[8\/8\] Mon 29 Mar 2027 {2}Easter Monday {2}booked/);
  });

  it('SIGTERM at the password prompt: exit 130, one line, nothing sent but the first page load, and the browser and its profile gone', async () => {
    sandbox = await startSandbox();
    const tmp = tempDir('ebh-tmp-');
    const { ESR_PASSWORD: _p, ...env } = userFor(sandbox.url).env;
    const result = await runOnTerminal(['sync', '--today', '2026-04-01', '--yes'], { ...env, TMPDIR: tmp }, [
      { when: /ESR password \(not shown\): $/, signal: 'SIGTERM' },
    ]);
    expect(result.code).toBe(130);
    expect(result.screen).toMatch(/interrupted at the prompt; nothing was booked/);
    expect(result.screen).not.toMatch(/\n\s+at /);
    expect(sandbox.loginAttempts()).toBe(0);
    expect(readdirSync(tmp).filter((f) => f.startsWith('esr-bank-holidays-browser-'))).toEqual([]);
  });

  it('the terminal closed mid-sync (SIGHUP, and nowhere left to print): stops after the request in flight, logs out, releases the lock', async () => {
    sandbox = await startSandbox({ faults: { processingMs: 400 } });
    const user = userFor(sandbox.url);
    const result = await runOnTerminal(['sync', '--today', '2026-04-01', '--yes'], user.env, [{ when: /\[2\/10\]/, hangUp: true }]);
    expect(result.toolPid).toBeDefined();
    await expect.poll(() => alive(result.toolPid!), { timeout: 30_000, interval: 100 }).toBe(false);
    const events = user.journal();
    const intents = events.filter((e) => e.event === 'intent').map((e) => e.date);
    expect(events.filter((e) => e.event === 'outcome').map((e) => e.date)).toEqual(intents);
    expect(events.some((e) => e.outcome === 'interrupted')).toBe(false);
    expect(bookedIn(sandbox.store)).toEqual(events.filter((e) => e.event === 'accepted').map((e) => e.date));
    expect(bookedIn(sandbox.store).length).toBeLessThan(10);
    expect(existsSync(join(user.stateDir, 'sync.lock'))).toBe(false);
    expect(sandbox.requests().some((r) => r.path.includes('/logout'))).toBe(true);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
