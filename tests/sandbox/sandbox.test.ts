import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_USER, startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server.js';
import type { Seed } from '../../src/sandbox/store.js';
import { tempDir } from '../helpers/cli.js';
import { startSandboxProcess } from '../helpers/sandbox-process.js';

async function loginCookie(url: string): Promise<string> {
  const response = await fetch(`${url}/dashboard/web/`, {
    method: 'POST',
    body: new URLSearchParams(DEMO_USER),
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
  return response.headers.get('set-cookie')!.split(';')[0]!;
}

async function get(url: string, cookie: string | null, path: string): Promise<string> {
  const response = await fetch(`${url}${path}`, { headers: cookie ? { cookie } : {} });
  expect(response.status).toBe(200);
  return response.text();
}

/** Each `tbody tr` of the table with this id, as its cells' trimmed texts; null when there is no such table. */
function tableRows(html: string, id = 'absence-history'): string[][] | null {
  const table = new RegExp(`<table id="${id}"[\\s\\S]*?</table>`).exec(html)?.[0];
  if (!table) return null;
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)![1]!;
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((cell) => cell[1]!.trim()));
}

const headings = (html: string) => [.../<thead>([\s\S]*?)<\/thead>/.exec(html)![1]!.matchAll(/<th>(.*?)<\/th>/g)].map((m) => m[1]);
const nextLink = (html: string) => /<a class="next-page" href="([^"]*)">Next<\/a>/.exec(html)?.[1] ?? null;
const absence = (start: string, status = 'Approved', extra: Partial<Seed> = {}): Seed => ({
  assignmentId: '12345678',
  start,
  end: start,
  reason: 'Bank Holiday',
  status,
  ...extra,
});

async function submit(url: string, cookie: string, date: string) {
  return fetch(`${url}/dashboard/api/absences`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ assignmentId: '12345678', reason: 'Bank Holiday', comments: '', start: date, end: date }),
  });
}

describe('ESR sandbox', () => {
  it('shows the login form without a session and "Login Failed." for a wrong password', async () => {
    const sandbox = await startSandbox();
    const page = await (await fetch(`${sandbox.url}/dashboard/web/`)).text();
    expect(page).toContain('name="username"');
    const failed = await fetch(`${sandbox.url}/dashboard/web/`, { method: 'POST', body: new URLSearchParams({ username: 'demo', password: 'wrong' }) });
    expect(await failed.text()).toContain('Login Failed.');
    await sandbox.close();
  });

  it('keeps every absence across a restart, and seeds only a new state', async () => {
    const stateFile = join(tempDir(), 'state.json');
    const seed = [{ assignmentId: '12345678', start: '25/12/2026', end: '25/12/2026', reason: 'Bank Holiday', status: 'Approved' }];
    const first = await startSandbox({ stateFile, seed });
    const cookie = await loginCookie(first.url);
    expect((await submit(first.url, cookie, '28/12/2026')).status).toBe(200);
    expect((await submit(first.url, cookie, '28/12/2026')).status).toBe(409);
    await first.close();
    const second = await startSandbox({ stateFile, seed });
    expect(second.store.absences().map((a) => a.start)).toEqual(['25/12/2026', '28/12/2026']);
    await second.close();
  });

  it('serves the feed with an ETag and answers 304 to it', async () => {
    const sandbox = await startSandbox();
    const first = await fetch(`${sandbox.url}/bank-holidays.json`);
    const etag = first.headers.get('etag')!;
    expect((await first.json())['england-and-wales'].events.length).toBeGreaterThan(100);
    expect((await fetch(`${sandbox.url}/bank-holidays.json`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    await sandbox.close();
  });

  it('runs by hand from the command line and exits after N submits with the last one saved', async () => {
    const stateFile = join(tempDir(), 'state.json');
    const sandbox = await startSandboxProcess(['--state', stateFile, '--exit-after', '1']);
    const cookie = await loginCookie(sandbox.url);
    await expect(submit(sandbox.url, cookie, '25/05/2026')).rejects.toThrow();
    expect(await sandbox.exited).toBe(0);
    const again = await startSandbox({ stateFile });
    expect(again.store.absences().map((a) => a.start)).toEqual(['25/05/2026']);
    await again.close();
  });

  describe('switches for an ESR unlike the contract', () => {
    let sandbox: Sandbox | undefined;
    afterEach(async () => {
      await sandbox?.close();
      sandbox = undefined;
    });
    async function open(options: SandboxOptions): Promise<{ url: string; cookie: string }> {
      sandbox = await startSandbox(options);
      return { url: sandbox.url, cookie: await loginCookie(sandbox.url) };
    }

    it.each([
      ['dd/mm/yyyy', '05/01/2027', '28/12/2026'],
      ['d/m/yyyy', '5/1/2027', '28/12/2026'],
      ['dd-Mon-yyyy', '05-Jan-2027', '28-Dec-2026'],
    ] as const)('writes the list dates as %s while the form still takes dd/mm/yyyy', async (dateFormat, seeded, submitted) => {
      const { url, cookie } = await open({ seed: [absence('05/01/2027')], faults: { dateFormat } });
      expect((await submit(url, cookie, '28/12/2026')).status).toBe(200);
      const rows = tableRows(await get(url, cookie, '/dashboard/web/'))!;
      expect(rows.map((r) => [r[0], r[1]])).toEqual([
        [seeded, seeded],
        [submitted, submitted],
      ]);
    });

    it('shows a seeded date that is not a date as it is, and refuses no request because of it', async () => {
      const { url, cookie } = await open({ seed: [absence('TBC')], faults: { dateFormat: 'dd-Mon-yyyy', pageSize: 5 } });
      expect((await submit(url, cookie, '28/12/2026')).status).toBe(200);
      expect(tableRows(await get(url, cookie, '/dashboard/web/'))!.map((r) => r[0])).toEqual(['28-Dec-2026', 'TBC']);
    });

    it('adds absence type, hours and comments with extraColumns, and only then', async () => {
      const seed = [absence('25/12/2026', 'Approved', { comments: 'incl. bank holidays' }), absence('01/01/2027', 'Approved', { assignmentId: '87654321', end: '02/01/2027' })];
      const { url, cookie } = await open({ seed, faults: { extraColumns: true } });
      const first = await get(url, cookie, '/dashboard/web/');
      expect(headings(first)).toEqual(['Start', 'End', 'Absence Type', 'Reason', 'Hours', 'Comments', 'Status']);
      expect(tableRows(first)).toEqual([['25/12/2026', '25/12/2026', 'Annual Leave Hours 1', 'Bank Holiday', '7.5', 'incl. bank holidays', 'Approved']]);
      const second = tableRows(await get(url, cookie, '/dashboard/web/?assignment=87654321'));
      expect(second).toEqual([['01/01/2027', '02/01/2027', 'Annual Leave Hours 2', 'Bank Holiday', '15', '', 'Approved']]);
      sandbox!.faults.extraColumns = false;
      const plain = await get(url, cookie, '/dashboard/web/?assignment=12345678');
      expect(headings(plain)).toEqual(['Start', 'End', 'Reason', 'Status']);
      expect(tableRows(plain)).toEqual([['25/12/2026', '25/12/2026', 'Bank Holiday', 'Approved']]);
    });

    it('splits the list into pages sorted by start date, with a Next link while more follow', async () => {
      const seed = [absence('28/12/2026'), absence('25/05/2026'), absence('25/12/2026', 'Declined')];
      const { url, cookie } = await open({ seed, faults: { pageSize: 2 } });
      const first = await get(url, cookie, '/dashboard/web/');
      expect(tableRows(first)!.map((r) => r[0])).toEqual(['25/05/2026', '25/12/2026']);
      expect(nextLink(first)).toBe('/dashboard/web/?page=2');
      const second = await get(url, cookie, nextLink(first)!);
      expect(tableRows(second)!.map((r) => [r[0], r[3]])).toEqual([['28/12/2026', 'Approved']]);
      expect(nextLink(second)).toBeNull();
      expect(second).toContain('id="leave-form"');

      sandbox!.faults.pageSize = 3;
      expect(nextLink(await get(url, cookie, '/dashboard/web/'))).toBeNull();
      sandbox!.faults.pageSize = null;
      const whole = await get(url, cookie, '/dashboard/web/?page=2');
      expect(tableRows(whole)!.map((r) => r[0])).toEqual(['28/12/2026', '25/05/2026', '25/12/2026']);
      expect(whole).not.toContain('next-page');
    });

    it('puts the list on a page of its own, behind the login, for the assignment chosen on the dashboard', async () => {
      const seed = [absence('25/12/2026'), absence('28/12/2026'), absence('01/01/2027', 'Approved', { assignmentId: '87654321' })];
      const { url, cookie } = await open({ seed, faults: { absencesPage: true, pageSize: 1 } });
      const dashboard = await get(url, cookie, '/dashboard/web/');
      expect(dashboard).not.toContain('<table');
      expect(dashboard).toMatch(/<a [^>]*href="\/dashboard\/web\/absences">Absence history<\/a>/);
      const list = await get(url, cookie, '/dashboard/web/absences');
      expect(tableRows(list)).toEqual([['25/12/2026', '25/12/2026', 'Bank Holiday', 'Approved']]);
      expect(nextLink(list)).toBe('/dashboard/web/absences?page=2');
      expect(tableRows(await get(url, cookie, nextLink(list)!))!.map((r) => r[0])).toEqual(['28/12/2026']);
      await get(url, cookie, '/dashboard/web/?assignment=87654321');
      expect(tableRows(await get(url, cookie, '/dashboard/web/absences'))!.map((r) => r[0])).toEqual(['01/01/2027']);

      const stranger = await get(url, null, '/dashboard/web/absences');
      expect(stranger).toContain('name="username"');
      expect(stranger).not.toContain('01/01/2027');
      sandbox!.faults.absencesPage = false;
      expect((await fetch(`${url}/dashboard/web/absences`, { headers: { cookie } })).status).toBe(404);
    });

    it('shows "No results found." instead of an empty table with emptyListText, and an empty table without', async () => {
      const { url, cookie } = await open({ faults: { emptyListText: true } });
      const empty = await get(url, cookie, '/dashboard/web/');
      expect(empty).toContain('No results found.');
      expect(tableRows(empty)).toBeNull();
      expect((await submit(url, cookie, '28/12/2026')).status).toBe(200);
      const one = await get(url, cookie, '/dashboard/web/');
      expect(one).not.toContain('No results found.');
      expect(tableRows(one)).toHaveLength(1);

      await sandbox!.close();
      const plain = await open({});
      const table = await get(plain.url, plain.cookie, '/dashboard/web/');
      expect(table).not.toContain('No results found.');
      expect(tableRows(table)).toEqual([]);
    });

    it('refuses an overlap with any status but Rejected, Cancelled and Withdrawn, unless refuseOverlaps is off', async () => {
      const statuses = ['Approved', 'Awaiting Approval', 'Declined', 'Not Approved', 'Rejected', 'Cancelled', 'Withdrawn'];
      const seed = statuses.map((status, i) => absence(`0${i + 1}/06/2026`, status));
      const { url, cookie } = await open({ seed });
      const answers: Record<string, number> = {};
      for (const [i, status] of statuses.entries()) answers[status] = (await submit(url, cookie, `0${i + 1}/06/2026`)).status;
      expect(answers).toEqual({ Approved: 409, 'Awaiting Approval': 409, Declined: 409, 'Not Approved': 409, Rejected: 200, Cancelled: 200, Withdrawn: 200 });
      const refused = await submit(url, cookie, '01/06/2026');
      expect(await refused.json()).toEqual({ error: expect.stringContaining('overlaps with an existing absence') });

      sandbox!.faults.refuseOverlaps = false;
      expect((await submit(url, cookie, '01/06/2026')).status).toBe(200);
      expect(sandbox!.store.absences().filter((a) => a.start === '01/06/2026')).toHaveLength(2);
    });

    it('refuses the second login with refuseLoginAfter 1, and no login without it', async () => {
      const { url } = await open({ faults: { refuseLoginAfter: 1 } });
      const again = await fetch(`${url}/dashboard/web/`, { method: 'POST', body: new URLSearchParams(DEMO_USER), redirect: 'manual' });
      expect(again.status).toBe(200);
      expect(await again.text()).toContain('Login Failed.');
      expect(sandbox!.loginAttempts()).toBe(2);

      await sandbox!.close();
      const open2 = await open({});
      await loginCookie(open2.url);
      await loginCookie(open2.url);
    });

    it('saves requests but lists none made during its life with hideNewAbsences', async () => {
      const stateFile = join(tempDir(), 'state.json');
      const { url, cookie } = await open({ stateFile, seed: [absence('25/12/2026')], faults: { hideNewAbsences: true, absencesPage: true } });
      expect((await submit(url, cookie, '28/12/2026')).status).toBe(200);
      expect((await submit(url, cookie, '28/12/2026')).status).toBe(409);
      expect(sandbox!.store.absences().map((a) => a.start)).toEqual(['25/12/2026', '28/12/2026']);
      expect(tableRows(await get(url, cookie, '/dashboard/web/absences'))!.map((r) => r[0])).toEqual(['25/12/2026']);
      // A restarted ESR has caught up: what an earlier life saved is listed.
      await sandbox!.close();
      const later = await open({ stateFile, faults: { hideNewAbsences: true, absencesPage: true } });
      expect(tableRows(await get(later.url, later.cookie, '/dashboard/web/absences'))!.map((r) => r[0])).toEqual(['25/12/2026', '28/12/2026']);
    });

    it('keeps the renamed list as tbody rows under #absence-list-v2', async () => {
      const { url, cookie } = await open({ seed: [absence('25/12/2026')], faults: { absenceList: 'alternate' } });
      const page = await get(url, cookie, '/dashboard/web/');
      expect(tableRows(page)).toBeNull();
      expect(tableRows(page, 'absence-list-v2')).toEqual([['25/12/2026', '25/12/2026', 'Bank Holiday', 'Approved']]);
    });

    it('tells the page script to reload after a saved request whenever a list switch is on', async () => {
      const reloads = async (faults: SandboxOptions['faults']) => {
        const { url, cookie } = await open({ faults });
        const page = await get(url, cookie, '/dashboard/web/');
        await sandbox!.close();
        return /window\.sandboxReload = (true|false);/.exec(page)![1];
      };
      expect(await reloads({})).toBe('false');
      expect(await reloads({ reloadAfterSubmit: true })).toBe('true');
      for (const faults of [
        { dateFormat: 'd/m/yyyy' },
        { extraColumns: true },
        { pageSize: 10 },
        { absencesPage: true },
        { emptyListText: true },
        { hideNewAbsences: true },
        { absenceList: 'alternate' },
        { absenceList: 'hidden' },
      ] as const) {
        expect(await reloads(faults), JSON.stringify(faults)).toBe('true');
      }
    });

    it('records every request with its time, and the submits that named each day, refused ones included', async () => {
      const before = performance.now();
      const { url, cookie } = await open({ seed: [absence('25/12/2026')] });
      expect((await submit(url, cookie, '28/12/2026')).status).toBe(200);
      expect((await submit(url, cookie, '28/12/2026')).status).toBe(409);
      expect((await submit(url, cookie, '25/12/2026')).status).toBe(409);
      await fetch(`${url}/dashboard/api/absences`, { method: 'POST', body: JSON.stringify({ start: '01/01/2027', end: '01/01/2027' }) });
      await get(url, cookie, '/dashboard/web/?page=2');
      const seen = sandbox!.requests();
      expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
        'POST /dashboard/web/',
        'POST /dashboard/api/absences',
        'POST /dashboard/api/absences',
        'POST /dashboard/api/absences',
        'POST /dashboard/api/absences',
        'GET /dashboard/web/?page=2',
      ]);
      const times = seen.map((r) => r.at);
      expect(times[0]).toBeGreaterThanOrEqual(before);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times.at(-1)).toBeLessThanOrEqual(performance.now());
      expect([sandbox!.submitsFor('2026-12-28'), sandbox!.submitsFor('2026-12-25'), sandbox!.submitsFor('2027-01-01'), sandbox!.submitsFor('2026-12-29')]).toEqual([2, 1, 1, 0]);
    });
  });

  it('takes a flag for each list switch from the command line', async () => {
    const dir = tempDir();
    const seedFile = join(dir, 'seed.json');
    writeFileSync(seedFile, JSON.stringify([absence('05/01/2027', 'Approved', { comments: 'incl. bank holidays' }), absence('25/12/2026')]));
    const args = ['--seed', seedFile, '--date-format', 'dd-Mon-yyyy', '--extra-columns', '--page-size', '1', '--absences-page', '--no-overlap-refusal', '--refuse-login-after', '1'];
    const first = await startSandboxProcess(args);
    try {
      const cookie = await loginCookie(first.url);
      expect((await submit(first.url, cookie, '25/12/2026')).status).toBe(200);
      const list = await get(first.url, cookie, '/dashboard/web/absences');
      expect(tableRows(list)).toEqual([['25-Dec-2026', '25-Dec-2026', 'Annual Leave Hours 1', 'Bank Holiday', '7.5', '', 'Approved']]);
      expect(nextLink(list)).toBe('/dashboard/web/absences?page=2');
      const again = await fetch(`${first.url}/dashboard/web/`, { method: 'POST', body: new URLSearchParams(DEMO_USER) });
      expect(await again.text()).toContain('Login Failed.');
    } finally {
      await first.stop();
    }
    const second = await startSandboxProcess(['--empty-list-text', '--hide-new-absences']);
    try {
      const cookie = await loginCookie(second.url);
      expect((await submit(second.url, cookie, '25/12/2026')).status).toBe(200);
      expect(await get(second.url, cookie, '/dashboard/web/')).toContain('No results found.');
    } finally {
      await second.stop();
    }
  });
});
