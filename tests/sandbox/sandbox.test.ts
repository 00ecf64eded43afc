import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_USER, startSandbox } from '../../src/sandbox/server.js';
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
});
