import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server.js';
import type { Seed } from '../../src/sandbox/store.js';
import { BIN, runCli } from '../helpers/cli.js';
import { bookedIn, TEN_2026, userFor } from '../helpers/sync.js';

/**
 * "Done when" of issue 9, tried as a user would: an ESR that differs from our assumptions in small,
 * likely ways and that does NOT refuse overlapping requests. Every holiday is booked at most once,
 * nothing over other leave or a person's cancellation, and at most one refused login.
 */
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const ASSIGNMENT = '12345678';
const row = (start: string, end: string, reason: string, status: string, comments = ''): Seed => ({ assignmentId: ASSIGNMENT, start, end, reason, status, comments });

/** A year with a bank holiday already booked, a fortnight of annual leave over Christmas, and a cancelled booking. */
const SEED: Seed[] = [
  row('03/04/2026', '03/04/2026', 'Bank Holiday', 'Approved'),
  row('21/12/2026', '01/01/2027', 'Annual Leave', 'Approved'),
  row('31/08/2026', '31/08/2026', 'Bank Holiday', 'Cancelled'),
];
/** What a correct sync books of the ten: not 03/04 (there), not 25/12, 28/12, 01/01 (leave), not 31/08 (cancelled). */
const EXPECTED = TEN_2026.filter((d) => !['2026-04-03', '2026-12-25', '2026-12-28', '2027-01-01', '2026-08-31'].includes(d));

async function start(options: SandboxOptions): Promise<Sandbox> {
  sandbox = await startSandbox({ seed: SEED, ...options, faults: { refuseOverlaps: false, ...options.faults } });
  return sandbox;
}

/** The safety properties every case must keep. */
function expectSafe(s: Sandbox): void {
  for (const date of TEN_2026) expect(s.submitsFor(date), `submits for ${date}`).toBeLessThanOrEqual(1);
  for (const date of ['2026-12-25', '2026-12-28', '2027-01-01', '2026-08-31', '2026-04-03']) expect(s.submitsFor(date), date).toBe(0);
}

describe('sync against an ESR that is not the one we assumed (no overlap refusal)', () => {
  it('a renamed list stops the run before any submission, naming the key; one override line fixes it', async () => {
    const s = await start({ faults: { absenceList: 'alternate' } });
    const user = userFor(s.url);
    const blind = await user.sync(['--yes']);
    expect(blind.code).toBe(1);
    expect(blind.stderr).toMatch(/esr\.selectors\.absenceTable/);
    expect(blind.stderr.trim().split('\n').filter((l) => l.startsWith('esr-bank-holidays:'))).toHaveLength(1);
    expect(s.submits()).toBe(0);

    const fixed = userFor(s.url, { esr: { selectors: { absenceTable: '#absence-list-v2' } } });
    const result = await fixed.sync(['--yes']);
    expect(result.code).toBe(0);
    expect(bookedIn(s.store).sort()).toEqual([...EXPECTED, '2026-04-03'].sort());
    expect((await fixed.sync(['--yes'])).code).toBe(0);
    expectSafe(s);
  });

  for (const dateFormat of ['d/m/yyyy', 'dd-Mon-yyyy'] as const) {
    it(`reads dates written ${dateFormat}: books the rest once, nothing on top of annual leave`, async () => {
      const s = await start({ faults: { dateFormat } });
      const user = userFor(s.url);
      const result = await user.sync(['--yes', '--json']);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).summary).toMatchObject({ booked: EXPECTED.length, conflict: 3 });
      expect((await user.sync(['--yes'])).code).toBe(0);
      expectSafe(s);
    });
  }

  it('reads unknown statuses and a comments column as whole cells', async () => {
    const s = await start({
      seed: [
        ...SEED,
        row('06/04/2026', '06/04/2026', 'Bank Holiday', 'Declined'),
        row('04/05/2026', '04/05/2026', 'Bank Holiday', 'Not Approved'),
        row('25/05/2026', '29/05/2026', 'Annual Leave', 'Approved', 'incl. bank holidays'),
      ],
      faults: { extraColumns: true },
    });
    const user = userFor(s.url);
    const result = await user.sync(['--yes', '--json']);
    expect(result.code).toBe(0);
    const byDate = Object.fromEntries(JSON.parse(result.stdout).items.map((i: { date: string }) => [i.date, i]));
    expect(byDate['2026-04-06']).toMatchObject({ action: 'already-booked', reason: expect.stringContaining('"Declined"') });
    expect(byDate['2026-05-04']).toMatchObject({ action: 'already-booked', existing: { status: 'Not Approved' } });
    expect(byDate['2026-05-25']).toMatchObject({ action: 'conflict', reason: expect.stringContaining('Annual Leave (Approved)') });
    for (const date of ['2026-04-06', '2026-05-04', '2026-05-25']) expect(s.submitsFor(date)).toBe(0);
    expectSafe(s);
  });

  it('reads a list split over pages when absenceNextPage says how to follow it', async () => {
    // Two rows a page: the annual leave over Christmas is on page 2, so reading page 1 alone would book over it.
    const s = await start({ faults: { pageSize: 2 } });
    const user = userFor(s.url, { esr: { selectors: { absenceNextPage: 'a.next-page' } } });
    const result = await user.sync(['--yes']);
    expect(result.code).toBe(0);
    expect(bookedIn(s.store).sort()).toEqual([...EXPECTED, '2026-04-03'].sort());
    expect((await user.sync(['--yes'])).code).toBe(0);
    expectSafe(s);
  }, 120_000);

  it('reads the list on a page of its own when paths.absences says where', async () => {
    const s = await start({ faults: { absencesPage: true } });
    const blind = await userFor(s.url).sync(['--yes']);
    expect(blind.code).toBe(1);
    expect(s.submits()).toBe(0);
    const user = userFor(s.url, { esr: { paths: { absences: '/dashboard/web/absences' } } });
    const result = await user.sync(['--yes']);
    expect(result.code).toBe(0);
    expect(bookedIn(s.store).sort()).toEqual([...EXPECTED, '2026-04-03'].sort());
    expectSafe(s);
  });

  it('a refused re-login after the session expired ends all ESR access: exit 3, no verification read, no logout', async () => {
    const s = await start({ faults: { expireSessionAfterSubmits: 1, refuseLoginAfter: 1 } });
    const user = userFor(s.url);
    const result = await user.sync(['--yes']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/ESR refused the login/);
    expect(s.loginAttempts()).toBe(2);
    const refusedAt = s.requests().filter((r) => r.method === 'POST' && r.path.startsWith('/dashboard/web')).at(-1)!.at;
    expect(s.requests().filter((r) => r.at > refusedAt)).toEqual([]);
    expectSafe(s);
  });

  it('a refusal in words the tool was not told is still a refusal: exit 3, one login, doctor --esr too', async () => {
    const s = await start({ faults: { refuseLogin: true } });
    const user = userFor(s.url, { esr: { texts: { loginFailed: 'Invalid username or password' } } });
    const result = await user.sync(['--yes']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/login form again .* refused login/);
    expect(s.loginAttempts()).toBe(1);
    expect(s.requests().filter((r) => r.path.includes('logout'))).toEqual([]);
    const doctor = await runCli(['doctor', '--esr'], { env: user.env });
    expect(doctor.code).toBe(1);
    expect(s.loginAttempts()).toBe(2);
  });

  it('a request ESR accepted but does not list is never sent again: the run stops; later runs hold it back until --resend', async () => {
    const s = await start({ seed: [], faults: { hideNewAbsences: true } });
    const user = userFor(s.url);
    const first = await user.sync(['--yes']);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/esr\.selectors\.absenceTable/);
    expect(s.submits()).toBe(1);
    expect(s.submitsFor('2026-04-03')).toBe(1);
    expect(user.journal().filter((l) => l.event === 'accepted').map((l) => l.date)).toEqual(['2026-04-03']);

    const dry = await user.sync(['--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/2026-04-03 .*UNCONFIRMED.*--resend 2026-04-03/);
    expect(s.submits()).toBe(1);

    // A list proven to miss what ESR accepted is not trusted for any other day either.
    const held = await user.sync(['--yes', '--json']);
    expect(held.code).toBe(1);
    expect(s.submits()).toBe(1);
    expect(JSON.parse(held.stdout).items[0]).toMatchObject({ date: '2026-04-03', action: 'unconfirmed' });
    expect(held.stderr).toMatch(/nothing was booked.*esr\.selectors\.absenceTable/);

    await user.sync(['--yes', '--resend', '2026-04-03']);
    expect(s.submitsFor('2026-04-03')).toBe(2);
  });
});

describe('Ctrl-C during a sync', () => {
  // SIGHUP: the terminal the sync ran in was closed.
  it.each(['SIGINT', 'SIGHUP'] as const)('%s: stops after the request in flight, logs out, releases the lock, gives every intent an outcome, exits 130', async (signal) => {
    sandbox = await startSandbox({ faults: { processingMs: 400 } });
    const user = userFor(sandbox.url);
    const child = spawn(process.execPath, [BIN, 'sync', '--today', '2026-04-01', '--yes'], { env: { ...process.env, ...user.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const journal = join(user.stateDir, 'journal.jsonl');
    await expect
      .poll(() => (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').filter((l) => l.includes('"intent"')).length : 0), { timeout: 30_000, interval: 50 })
      .toBeGreaterThanOrEqual(2);
    child.kill(signal);
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    expect(stderr).toMatch(/stopping after the current step/);
    const events = user.journal();
    const intents = events.filter((e) => e.event === 'intent').map((e) => e.date);
    const outcomes = events.filter((e) => e.event === 'outcome').map((e) => e.date);
    expect(outcomes).toEqual(intents);
    expect(intents.length).toBeLessThan(10);
    // Every day ESR took is booked once; nothing was cut off half-way.
    expect(bookedIn(sandbox.store)).toEqual(events.filter((e) => e.event === 'accepted').map((e) => e.date));
    expect(existsSync(join(user.stateDir, 'sync.lock'))).toBe(false);
    expect(sandbox.requests().some((r) => r.path.includes('/logout'))).toBe(true);
  });
});
