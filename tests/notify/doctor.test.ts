import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { runCli } from '../helpers/cli.js';
import { reply, startFeedServer, type FeedServer } from '../helpers/feed-server.js';
import { userFor } from '../helpers/sync.js';

// Spawns the built CLI: run `npm run build` first.
let sandbox: Sandbox;
let receiver: FeedServer | undefined;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

const SECRET_PART = '/hooks/doctor-t0ken?code=s3cret';
const bodies: string[] = [];
const accept = () => reply.record(bodies, 202);

/** For the checks whose outcome does not matter here: no browser to start saves seconds. */
const NO_BROWSER = { ESR_BROWSER: '/nonexistent/chrome' };

function notificationCheck(stdout: string) {
  const doc = JSON.parse(stdout) as { checks: Array<{ name: string; ok: boolean; detail: string; fix?: string }> };
  return doc.checks.find((c) => c.name === 'notification');
}

describe('doctor --notify', () => {
  it('sends the test message to notify.url and reports ok', async () => {
    receiver = await startFeedServer(accept());
    const host = new URL(receiver.url).host;
    const user = userFor(sandbox.url);
    const result = await runCli(['doctor', '--notify'], { env: { ...user.env, ESR_NOTIFY_URL: `http://${host}${SECRET_PART}` } });
    expect(result.code).toBe(0);
    const line = result.stdout.split('\n').find((l) => /^\S+\s+notification\s/.test(l));
    expect(line?.split(/\s{2,}/)).toEqual(['ok', 'notification', `test message delivered to ${host}; a sync notifies on failure`]);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]!.url).toBe(SECRET_PART);
    expect(JSON.parse(bodies.at(-1)!)).toEqual({
      ok: true,
      exitCode: 0,
      text: 'esr-bank-holidays: test notification from doctor',
      report: null,
    });
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/doctor-t0ken|s3cret/);
  });

  it('FAILs with what to do when no url is set', async () => {
    const user = userFor(sandbox.url);
    const result = await runCli(['doctor', '--notify', '--json'], { env: { ...user.env, ...NO_BROWSER } });
    expect(result.code).toBe(1);
    expect(notificationCheck(result.stdout)).toEqual({
      name: 'notification',
      ok: false,
      detail: 'no notify.url is set',
      fix: expect.stringMatching(/ESR_NOTIFY_URL/),
    });
  });

  it('FAILs, naming only the host, when the receiver refuses', async () => {
    receiver = await startFeedServer(reply.status(403));
    const host = new URL(receiver.url).host;
    const user = userFor(sandbox.url);
    const env = { ...user.env, ...NO_BROWSER, ESR_NOTIFY_URL: `http://${host}${SECRET_PART}` };
    const result = await runCli(['doctor', '--notify', '--json'], { env });
    expect(result.code).toBe(1);
    expect(notificationCheck(result.stdout)).toMatchObject({ ok: false, detail: `could not deliver a test message to ${host}: HTTP 403` });
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/doctor-t0ken|s3cret/);
  });

  it('sends nothing without --notify', async () => {
    receiver = await startFeedServer(accept());
    const user = userFor(sandbox.url);
    const env = { ...user.env, ...NO_BROWSER, ESR_NOTIFY_URL: `${new URL(receiver.url).origin}${SECRET_PART}` };
    const result = await runCli(['doctor', '--json'], { env });
    expect(notificationCheck(result.stdout)).toBeUndefined();
    expect(receiver.requests).toHaveLength(0);
  });
});
