import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { BIN } from '../helpers/cli.js';
import { FEED_2026, fixtureJson } from '../helpers/fixtures.js';
import { startSandboxProcess } from '../helpers/sandbox-process.js';
import { bookedIn, TEN_2026, userFor } from '../helpers/sync.js';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const sorted = (dates: string[]) => [...dates].sort();

describe('sync against the sandbox, in headless Chromium', () => {
  it('books the leave year once, prints progress and a summary, journals each booking; a re-run books nothing', async () => {
    sandbox = await startSandbox();
    const user = userFor(sandbox.url);
    const first = await user.sync(['--yes']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^\[4\/10\] Mon 25 May 2026 {2}Spring bank holiday {2}booked$/m);
    expect(first.stdout).toContain('Summary for 12345678 Staff Nurse: 10 booked, 0 already there, 0 failed.');
    expect(bookedIn(sandbox.store)).toEqual(TEN_2026);
    const journal = user.journal();
    // intent, accepted, outcome for each day, in that order
    expect(journal.map((l) => l.event)).toEqual(TEN_2026.flatMap(() => ['intent', 'accepted', 'outcome']));
    expect(journal.filter((l) => l.event === 'outcome').every((l) => l.outcome === 'booked')).toBe(true);
    expect(first.stdout).toContain('In ESR for this leave year: 10 Awaiting Approval.');

    const submits = sandbox.submits();
    const again = await user.sync(['--yes', '--json']);
    expect(again.code).toBe(0);
    expect(sandbox.submits()).toBe(submits);
    const doc = JSON.parse(again.stdout);
    expect(doc.assignment).toEqual({ id: '12345678', label: '12345678 Staff Nurse' });
    expect(doc.summary).toMatchObject({ book: 0, 'already-booked': 10 });
    expect(bookedIn(sandbox.store)).toEqual(TEN_2026);
  });

  it('dry run and rehearsal show the plan and book nothing', async () => {
    sandbox = await startSandbox();
    const user = userFor(sandbox.url);
    const dry = await user.sync(['--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('10 to book');
    expect(dry.stdout).toContain('Dry run: nothing was booked.');
    const rehearse = await user.sync(['--rehearse', '--json']);
    expect(rehearse.code).toBe(0);
    const doc = JSON.parse(rehearse.stdout);
    expect(doc.items.filter((i: { outcome?: string }) => i.outcome === 'rehearsed')).toHaveLength(10);
    expect(sandbox.submits()).toBe(0);
    expect(sandbox.store.absences()).toEqual([]);
  });

  it('leaves an existing booking, never books over annual leave or over a cancelled booking, reports an orphan; --rebook books the cancelled day', async () => {
    sandbox = await startSandbox({
      seed: [
        { assignmentId: '12345678', start: '25/12/2026', end: '25/12/2026', reason: 'Bank Holiday', status: 'Approved' },
        { assignmentId: '12345678', start: '28/12/2026', end: '01/01/2027', reason: 'Annual Leave', status: 'Approved' },
        { assignmentId: '12345678', start: '04/05/2026', end: '04/05/2026', reason: 'Bank Holiday', status: 'Cancelled' },
        { assignmentId: '12345678', start: '01/06/2026', end: '01/06/2026', reason: 'Bank Holiday', status: 'Awaiting Approval' },
      ],
      faults: { refuseOverlaps: false },
    });
    const user = userFor(sandbox.url);
    const result = await user.sync(['--yes', '--json']);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    const byDate = Object.fromEntries(doc.items.map((i: { date: string }) => [i.date, i]));
    expect(byDate['2026-12-25']).toMatchObject({ action: 'already-booked', existing: { status: 'Approved' } });
    expect(byDate['2026-12-28']).toMatchObject({ action: 'conflict', reason: expect.stringContaining('Annual Leave (Approved)') });
    expect(byDate['2027-01-01']).toMatchObject({ action: 'conflict' });
    expect(byDate['2026-05-04']).toMatchObject({ action: 'skip', reason: expect.stringContaining('cancelled in ESR') });
    expect(byDate['2026-05-04'].outcome).toBeUndefined();
    expect(byDate['2026-05-25']).toMatchObject({ outcome: 'booked', existing: { status: 'Awaiting Approval' } });
    expect(doc.orphans).toEqual([expect.objectContaining({ start: '2026-06-01', hint: expect.stringContaining('never deletes') })]);
    expect(doc.summary).toMatchObject({ book: 6, 'already-booked': 1, conflict: 2, skip: 1, booked: 6, failed: 0 });
    expect(sandbox.submitsFor('2026-05-04')).toBe(0);
    expect(sandbox.submitsFor('2026-12-28')).toBe(0);

    // A monthly scheduled run does not fight the person's decision...
    const again = await user.sync(['--yes']);
    expect(again.code).toBe(0);
    expect(sandbox.submitsFor('2026-05-04')).toBe(0);
    // ...until they ask for that day.
    const rebook = await user.sync(['--yes', '--rebook', '2026-05-04']);
    expect(rebook.code).toBe(0);
    expect(rebook.stdout).toMatch(/Mon 4 May 2026 {2}Early May bank holiday {2}booked/);
    expect(sandbox.submitsFor('2026-05-04')).toBe(1);
  });

  it('books only working days on the chosen assignment', async () => {
    sandbox = await startSandbox();
    const user = userFor(sandbox.url);
    const result = await user.sync(['--yes', '--assignment', '87654321', '--working-days', 'mon,tue,wed']);
    expect(result.code).toBe(0);
    expect(bookedIn(sandbox.store, '87654321')).toEqual(['2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-28', '2027-03-29']);
    expect(sandbox.store.absences('12345678')).toEqual([]);
    const unknown = await user.sync(['--yes', '--assignment', '999']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no assignment 999; yours are: 12345678 \(12345678 Staff Nurse\), 87654321/);
  });

  it('books nothing without a terminal and without --yes: shows the plan, says why, exits 2', async () => {
    sandbox = await startSandbox();
    const result = await userFor(sandbox.url).sync();
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('10 to book');
    expect(result.stderr).toMatch(/run again with --yes/);
    expect(sandbox.submits()).toBe(0);
  });

  it('exits 3 on a refused login, trying once', async () => {
    sandbox = await startSandbox({ faults: { refuseLogin: true } });
    const result = await userFor(sandbox.url).sync(['--yes']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/ESR refused the login/);
    expect(sandbox.loginAttempts()).toBe(1);
  });

  it('killed with SIGKILL mid-run, then run again: every day booked exactly once', async () => {
    sandbox = await startSandbox({ faults: { processingMs: 300 } });
    const user = userFor(sandbox.url);
    const child = spawn(process.execPath, [BIN, 'sync', '--today', '2026-04-01', '--yes'], { env: { ...process.env, ...user.env }, stdio: 'ignore' });
    const journal = join(user.stateDir, 'journal.jsonl');
    await expect
      .poll(() => (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').filter((l) => l.includes('"intent"')).length : 0), {
        timeout: 30_000,
        interval: 50,
      })
      .toBeGreaterThanOrEqual(4);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    const partial = bookedIn(sandbox.store);
    expect(partial.length).toBeGreaterThanOrEqual(3);
    expect(partial.length).toBeLessThan(10);
    expect(existsSync(join(user.stateDir, 'sync.lock'))).toBe(true);

    const again = await user.sync(['--yes']);
    expect(again.code).toBe(0);
    expect(bookedIn(sandbox.store)).toHaveLength(10);
    expect(sorted(bookedIn(sandbox.store))).toEqual(TEN_2026);
  });

  it('two runs at once: one books, the other waits, then says another sync is running', async () => {
    sandbox = await startSandbox({ faults: { processingMs: 400 } });
    const user = userFor(sandbox.url);
    const [a, b] = await Promise.all([user.sync(['--yes']), user.sync(['--yes'])]);
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 1]);
    expect([a, b].find((r) => r.code === 1)!.stderr).toMatch(/another sync is running/);
    expect(sorted(bookedIn(sandbox.store))).toEqual(TEN_2026);
  });

  it('ESR gone mid-run: exit 1 naming the days not booked; back again: books only what is missing', async () => {
    const user = userFor('http://127.0.0.1:1');
    const stateFile = join(user.stateDir, 'sandbox.json');
    const first = await startSandboxProcess(['--state', stateFile, '--exit-after', '3']);
    const env = { ESR_URL: first.url, BANK_HOLIDAYS_URL: `${first.url}/bank-holidays.json` };
    const broken = await user.sync(['--yes', '--json'], env);
    expect(broken.code).toBe(1);
    const doc = JSON.parse(broken.stdout);
    expect(doc.summary.booked).toBe(2);
    expect(doc.items.filter((i: { outcome?: string }) => i.outcome === 'failed')).toHaveLength(8);
    expect(broken.stderr).toMatch(/failed 2026-05-25: .*cannot be reached|failed 2026-05-04/);
    expect(doc.artifacts).toContain(join(user.stateDir, 'artifacts'));
    await first.exited;

    const port = new URL(first.url).port;
    const back = await startSandboxProcess(['--state', stateFile, '--port', port]);
    try {
      const again = await user.sync(['--yes', '--json'], env);
      expect(again.code).toBe(0);
      const after = JSON.parse(again.stdout);
      // The third booking reached ESR before it went away: it is found, not booked again.
      expect(after.summary).toMatchObject({ 'already-booked': 3, booked: 7 });
      const saved = JSON.parse(readFileSync(stateFile, 'utf8')).absences as Array<{ start: string }>;
      expect(saved).toHaveLength(10);
      expect(new Set(saved.map((a) => a.start)).size).toBe(10);
    } finally {
      await back.stop();
    }
  });

  it('after GOV.UK announces a new one-off holiday, only that day is added', async () => {
    sandbox = await startSandbox();
    const user = userFor(sandbox.url);
    expect((await user.sync(['--yes'])).code).toBe(0);
    const feed = fixtureJson(FEED_2026);
    feed['england-and-wales'].events.push({ title: 'Royal celebration', date: '2026-06-08', notes: '', bunting: true });
    sandbox.setFeed(feed);
    const before = sandbox.submits();
    const result = await user.sync(['--yes', '--json']);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.items.filter((i: { outcome?: string }) => i.outcome === 'booked')).toEqual([
      expect.objectContaining({ date: '2026-06-08', title: 'Royal celebration' }),
    ]);
    expect(sandbox.submits()).toBe(before + 1);
    expect(bookedIn(sandbox.store)).toHaveLength(11);
  });
});
