import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { runCli } from '../helpers/cli.js';
import { userFor } from '../helpers/sync.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

describe('doctor', () => {
  it('passes every check against the sandbox, logs in with --esr and changes nothing', async () => {
    const user = userFor(sandbox.url);
    const result = await runCli(['doctor', '--esr'], { env: user.env });
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'ok node', 'ok config', 'ok state', 'ok GOV.UK', 'ok browser', 'ok ESR',
    ]);
    expect(result.stdout).toContain(`+ ${user.env.ESR_CONFIG}`);
    expect(result.stdout).toMatch(/assignments: 12345678 Staff Nurse, 87654321 Bank Staff Nurse; .* has 0 absences in leave year/);
    expect(sandbox.submits()).toBe(0);
  });

  it('fails, exit 1, with what to do, for a missing browser, an unreachable feed and a bad config', async () => {
    const user = userFor(sandbox.url);
    const result = await runCli(['doctor', '--json'], {
      env: { ...user.env, ESR_BROWSER: '/nonexistent/chrome', BANK_HOLIDAYS_URL: 'http://127.0.0.1:9/feed.json' },
    });
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout);
    const byName = Object.fromEntries(doc.checks.map((c: { name: string }) => [c.name, c]));
    expect(byName.browser).toMatchObject({ ok: false, fix: expect.stringMatching(/install Chrome/) });
    expect(byName['GOV.UK feed']).toMatchObject({ ok: false, detail: expect.stringMatching(/ECONNREFUSED/) });
    expect(byName.node.ok).toBe(true);

    const bad = await runCli(['doctor'], { env: { ...user.env, ESR_URL: 'nope' } });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAIL {2}config {2}config esrUrl "nope" \(from ESR_URL\)/);
  });
});
