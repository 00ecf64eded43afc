import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { reply, startFeedServer } from '../helpers/feed-server.js';
import { userFor } from '../helpers/sync.js';

/** A receiver like a Teams or Slack webhook, at an address whose path and query are its secret. */
async function receiver(status = 200): Promise<{ url: string; bodies: string[]; close: () => Promise<void> }> {
  const bodies: string[] = [];
  const server = await startFeedServer(reply.record(bodies, status));
  return { url: `${new URL(server.url).origin}/workflows/secret-token-123?sig=abc`, bodies, close: server.close };
}

let sandbox: Sandbox | undefined;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
  for (const close of closers.splice(0)) await close();
});

describe('a scheduled sync tells the person how it went', () => {
  it('a failure (ESR hides its absence list) POSTs ok:false with the reason, without the login', async () => {
    sandbox = await startSandbox({ faults: { absenceList: 'hidden' } });
    const hook = await receiver();
    closers.push(hook.close);
    const user = userFor(sandbox.url);
    const result = await user.sync(['--yes'], { ESR_NOTIFY_URL: hook.url });
    expect(result.code).toBe(1);
    expect(hook.bodies).toHaveLength(1);
    const message = JSON.parse(hook.bodies[0]!);
    expect(message).toMatchObject({ ok: false, exitCode: 1, report: null });
    expect(message.text).toMatch(/^esr-bank-holidays FAILED \(exit 1\): .*absenceTable/);
    expect(hook.bodies[0]).not.toContain(user.env.ESR_PASSWORD);
    expect(hook.bodies[0]).not.toMatch(new RegExp(`\\b${user.env.ESR_USERNAME}\\b`));
  });

  it('with notify.on always, a sync that books the year POSTs ok:true and the --json report', async () => {
    sandbox = await startSandbox();
    const hook = await receiver();
    closers.push(hook.close);
    const user = userFor(sandbox.url, { notify: { on: 'always' } });
    const result = await user.sync(['--yes', '--json'], { ESR_NOTIFY_URL: hook.url });
    expect(result.code).toBe(0);
    expect(hook.bodies).toHaveLength(1);
    const message = JSON.parse(hook.bodies[0]!);
    expect(message).toMatchObject({ ok: true, exitCode: 0 });
    expect(message.report.summary.booked).toBe(10);
    expect(message.report).toEqual(JSON.parse(result.stdout));
    expect(message.text).toMatch(/booked 10 \(in ESR: 10 Awaiting Approval\)$/);
    expect(hook.bodies[0]).not.toContain(user.env.ESR_PASSWORD);
    expect(hook.bodies[0]).not.toMatch(new RegExp(`\\b${user.env.ESR_USERNAME}\\b`));

    // The default, failure: a clean re-run sends nothing.
    const quiet = userFor(sandbox.url);
    expect((await quiet.sync(['--yes'], { ESR_NOTIFY_URL: hook.url })).code).toBe(0);
    expect(hook.bodies).toHaveLength(1);
  });

  it('with the receiver down, the sync still exits 0 with one warning that never shows the address', async () => {
    sandbox = await startSandbox();
    const hook = await receiver();
    await hook.close();
    const user = userFor(sandbox.url, { notify: { on: 'always', timeoutSeconds: 2, tries: 2 } });
    const result = await user.sync(['--yes'], { ESR_NOTIFY_URL: hook.url });
    expect(result.code).toBe(0);
    const warnings = result.stderr.split('\n').filter((l) => /notification/.test(l));
    expect(warnings).toHaveLength(1);
    expect(result.stderr).not.toContain('secret-token-123');
    expect(result.stdout).not.toContain('secret-token-123');
  });

  it('a dry run and a rehearsal never notify', async () => {
    sandbox = await startSandbox();
    const hook = await receiver();
    closers.push(hook.close);
    const user = userFor(sandbox.url, { notify: { on: 'always' } });
    expect((await user.sync(['--dry-run'], { ESR_NOTIFY_URL: hook.url })).code).toBe(0);
    expect(hook.bodies).toEqual([]);
  });
});
