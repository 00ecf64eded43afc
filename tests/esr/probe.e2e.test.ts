import { afterEach, describe, expect, it } from 'vitest';
import { probeEsr } from '../../src/esr/probe.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import type { Seed } from '../../src/sandbox/store.js';
import { runCli } from '../helpers/cli.js';
import { drive, type Driven } from '../helpers/esr.js';
import { userFor } from '../helpers/sync.js';

const NURSE = '12345678';
const seed: Seed[] = [
  { assignmentId: NURSE, start: '25/05/2026', end: '25/05/2026', reason: 'Bank Holiday', status: 'Approved' },
  { assignmentId: NURSE, start: '01/06/2026', end: '05/06/2026', reason: 'Annual Leave', status: 'Awaiting Approval' },
  { assignmentId: NURSE, start: '04/05/2026', end: '04/05/2026', reason: 'Bank Holiday', status: 'Cancelled' },
];

let driven: Driven | undefined;
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await driven?.close();
  await sandbox?.close();
  driven = undefined;
  sandbox = undefined;
});

const stateOf = (report: Awaited<ReturnType<typeof probeEsr>>) => Object.fromEntries(report.keys.map((k) => [k.key, k.state]));

describe('doctor --esr: every selector on its own page, the list read whole, nothing changed', () => {
  it('reports every key matched against the sandbox, and how many rows it read over every page', async () => {
    driven = await drive({ seed, faults: { pageSize: 2 } }, { esr: { selectors: { absenceNextPage: 'a.next-page' } } }, false);
    const report = await probeEsr(driven.session, driven.config);
    expect(report.ok).toBe(true);
    expect(report.absences).toHaveLength(3);
    expect(report.pages).toBe(2);
    expect(stateOf(report)).toEqual({
      username: 'matched',
      password: 'matched',
      assignment: 'matched',
      createLeave: 'matched',
      absenceTable: 'matched',
      absenceRows: 'matched',
      absenceHeaders: 'matched',
      absenceCells: 'matched',
      absenceNextPage: 'matched',
      leaveReason: 'matched',
      comments: 'matched',
      startDate: 'matched',
      endDate: 'matched',
      submit: 'matched',
      cancel: 'matched',
      processingModal: 'attached',
      errorMessage: 'not checked',
    });
    expect(driven.sandbox.submits()).toBe(0);
    expect(driven.sandbox.store.absences()).toHaveLength(3);
  });

  it('names the tables that hold dates when the list is not found (a renamed list)', async () => {
    driven = await drive({ seed, faults: { absenceList: 'alternate' } }, {}, false);
    const report = await probeEsr(driven.session, driven.config);
    expect(report.ok).toBe(false);
    expect(stateOf(report).absenceTable).toBe('missing');
    expect(report.listError).toMatch(/override esr\.selectors\.absenceTable/);
    expect(report.candidates).toEqual(['table#absence-list-v2 (3 rows with dates)']);
    expect(stateOf(report).leaveReason).toBe('matched');
    expect(driven.sandbox.submits()).toBe(0);
  });

  it('prints it as a user sees it, and as JSON, from the built CLI', async () => {
    sandbox = await startSandbox({ seed, faults: { absenceList: 'alternate' } });
    const user = userFor(sandbox.url);
    const result = await runCli(['doctor', '--esr', '--json'], { env: user.env });
    expect(result.code).toBe(1);
    const esr = JSON.parse(result.stdout).checks.find((c: { name: string }) => c.name === 'ESR');
    expect(esr).toMatchObject({ ok: false, fix: expect.stringMatching(/override esr\.selectors\.absenceTable in your config/) });
    expect(esr.detail).toMatch(/tables on that page with dates: table#absence-list-v2 \(3 rows with dates\)/);
    expect(esr.esr.candidates).toEqual(['table#absence-list-v2 (3 rows with dates)']);

    const fixed = userFor(sandbox.url, { esr: { timeouts: { elementSeconds: 5 }, selectors: { absenceTable: '#absence-list-v2' } } });
    const text = await runCli(['doctor', '--esr'], { env: fixed.env });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/ok +ESR .*list read whole: 3 rows over 1 page; selectors: username matched, .*absenceTable matched, .*logged out, nothing changed/);
    expect(sandbox.submits()).toBe(0);
  });
});
