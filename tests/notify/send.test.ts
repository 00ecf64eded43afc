import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { sendNotification, type NotificationMessage } from '../../src/notify/index.js';
import { registerSecret } from '../../src/util/secrets.js';
import { reply, startFeedServer, type FeedServer, type Reply } from '../helpers/feed-server.js';
import { captureLogger } from '../helpers/log.js';

let server: FeedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A webhook address whose path and query are its secret, as Slack's, Teams' and ntfy's are. */
const SECRET_PART = '/services/T0001/B0002/tok3n-s3cret?sig=k3y-s3cret';
const message: NotificationMessage = {
  ok: false,
  exitCode: 1,
  text: 'esr-bank-holidays: sync failed: ESR page element "absenceTable" did not appear; nothing was booked',
  report: { summary: { booked: 0, failed: 0 }, items: [{ date: '2026-04-03', action: 'book' }] },
};

function settings(url: string, more: Partial<Config['notify']> = {}): Config['notify'] {
  return { url, on: 'always', timeoutSeconds: 5, tries: 3, ...more };
}

function receiver(server: FeedServer): string {
  return `${new URL(server.url).origin}${SECRET_PART}`;
}

const bodies: string[] = [];
const accept = (status = 200) => reply.record(bodies, status);

function warnings(lines: () => Array<{ level: number; msg: string }>): string[] {
  return lines().filter((l) => l.level >= 40).map((l) => l.msg);
}

describe('sendNotification', () => {
  it('POSTs exactly the message as JSON', async () => {
    bodies.length = 0;
    server = await startFeedServer(accept());
    const { log, lines } = captureLogger();
    expect(await sendNotification(settings(receiver(server)), message, log)).toBe(true);
    expect(server.requests).toHaveLength(1);
    const request = server.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(SECRET_PART);
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(bodies[0]!)).toEqual(message);
    expect(warnings(lines)).toEqual([]);
  });

  it('masks a registered secret (the username) anywhere in the message', async () => {
    bodies.length = 0;
    registerSecret('nurse.jones"01');
    server = await startFeedServer(accept());
    const { log } = captureLogger();
    const leaky = { ...message, text: 'failed for nurse.jones"01', report: { user: { name: 'nurse.jones"01' } } };
    expect(await sendNotification(settings(receiver(server)), leaky, log)).toBe(true);
    expect(bodies[0]).not.toContain('nurse.jones');
    expect(JSON.parse(bodies[0]!)).toEqual({ ...message, text: 'failed for [redacted]', report: { user: { name: '[redacted]' } } });
  });

  it('does not retry a refusal (4xx): one warning naming the host only, and false', async () => {
    server = await startFeedServer(reply.status(404));
    const { log, lines } = captureLogger();
    expect(await sendNotification(settings(receiver(server)), message, log)).toBe(false);
    expect(server.requests).toHaveLength(1);
    const host = new URL(server.url).host;
    expect(warnings(lines)).toEqual([`could not deliver the notification to ${host}: HTTP 404`]);
  });

  it('retries a 5xx and a 429, then delivers', async () => {
    bodies.length = 0;
    server = await startFeedServer(reply.status(503), reply.status(429), accept());
    const { log, lines } = captureLogger();
    expect(await sendNotification(settings(receiver(server)), message, log)).toBe(true);
    expect(server.requests).toHaveLength(3);
    expect(JSON.parse(bodies[0]!)).toEqual(message);
    expect(warnings(lines)).toEqual([]);
  });

  it('gives up after its tries of 5xx: one warning, false', async () => {
    server = await startFeedServer(reply.status(500));
    const { log, lines } = captureLogger();
    expect(await sendNotification(settings(receiver(server), { tries: 2 }), message, log)).toBe(false);
    expect(server.requests).toHaveLength(2);
    const host = new URL(server.url).host;
    expect(warnings(lines)).toEqual([`could not deliver the notification to ${host}: HTTP 500 after 2 tries`]);
  });

  it('an unreachable receiver (closed port): one warning, false', async () => {
    const { log, lines } = captureLogger();
    const url = `http://127.0.0.1:9${SECRET_PART}`;
    expect(await sendNotification(settings(url, { tries: 2 }), message, log)).toBe(false);
    const [warning, ...more] = warnings(lines);
    expect(more).toEqual([]);
    expect(warning).toMatch(/^could not deliver the notification to 127\.0\.0\.1:9: ECONNREFUSED/);
  });

  it('a slow receiver: gives up at timeoutSeconds, retries included, with one warning', async () => {
    server = await startFeedServer(reply.hang());
    const { log, lines } = captureLogger();
    const started = Date.now();
    expect(await sendNotification(settings(receiver(server), { timeoutSeconds: 0.5 }), message, log)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_500);
    const host = new URL(server.url).host;
    expect(warnings(lines)).toEqual([`could not deliver the notification to ${host}: no answer within 0.5 s`]);
  });

  it('never shows the path or query of the address, whatever went wrong', async () => {
    const secretBits = ['services', 'T0001', 'B0002', 'tok3n', 's3cret', 'sig=', 'k3y'];
    const outcomes: Reply[] = [reply.status(401), reply.status(502), reply.hang()];
    const { log, lines } = captureLogger();
    for (const outcome of outcomes) {
      await server?.close();
      server = await startFeedServer(outcome);
      await sendNotification(settings(receiver(server), { tries: 1, timeoutSeconds: 0.3 }), message, log);
    }
    await sendNotification(settings(`http://127.0.0.1:9${SECRET_PART}`, { tries: 1 }), message, log);
    await sendNotification(settings(`http://no-such-host.invalid${SECRET_PART}`, { tries: 1 }), message, log);
    const printed = lines().map((l) => JSON.stringify(l));
    expect(printed).toHaveLength(5);
    for (const bit of secretBits) expect(printed.join('\n')).not.toContain(bit);
  });

  it('without a notify.url sends nothing and says nothing', async () => {
    const { log, lines } = captureLogger();
    expect(await sendNotification({ on: 'always', timeoutSeconds: 1, tries: 1 }, message, log)).toBe(false);
    expect(warnings(lines)).toEqual([]);
  });
});
