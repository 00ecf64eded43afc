import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, startFeedServer, type FeedServer } from '../helpers/feed-server.js';
import { FEED_2026, fixtureText } from '../helpers/fixtures.js';
import { runCli, tempDir } from '../helpers/cli.js';

let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer(reply.etag(fixtureText(FEED_2026), '"feed-2026"'));
});
afterAll(() => server.close());

const env = () => ({ BANK_HOLIDAYS_URL: server.url, ESR_STATE_DIR: tempDir() });
const TEN = [
  '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31',
  '2026-12-25', '2026-12-28', '2027-01-01', '2027-03-26', '2027-03-29',
];

describe('esr-bank-holidays plan', () => {
  it('--json gives the 2026/27 leave year and books exactly its ten holidays', async () => {
    const result = await runCli(['plan', '--json', '--today', '2026-04-01'], { env: env() });
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.leaveYear).toEqual({ start: '2026-04-01', end: '2027-03-31' });
    expect(doc.division).toBe('england-and-wales');
    expect(doc.source.kind).toBe('live');
    expect(doc.items.filter((i: { action: string }) => i.action === 'book').map((i: { date: string }) => i.date)).toEqual(TEN);
  });

  it('books six with --working-days mon,tue,wed, and global options work after the command', async () => {
    const result = await runCli(['plan', '--today', '2026-04-01', '--working-days', 'mon,tue,wed', '--json', '--log-level', 'error'], {
      env: env(),
    });
    const items = JSON.parse(result.stdout).items as Array<{ action: string; reason?: string }>;
    expect(items.filter((i) => i.action === 'book')).toHaveLength(6);
    expect(items.filter((i) => i.reason === 'not a working day')).toHaveLength(4);
  });

  it('prints a table and a summary line', async () => {
    const result = await runCli(['plan', '--today', '2026-04-01', '--leave-year', '2026'], { env: env() });
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Date\s+Day\s+Holiday\s+Action\s+Reason$/);
    expect(lines[1]).toMatch(/^2026-04-03\s+Fri\s+Good Friday\s+book$/);
    expect(lines.at(-1)).toMatch(/^Leave year 2026-04-01 to 2027-03-31, england-and-wales \(GOV.UK .*\): 10 to book, 0 skipped\.$/);
  });

  it.each([
    [['--today', '2026-02-30'], /--today "2026-02-30" is not a real date/],
    [['--working-days', 'funday'], /config workingDays.0 "funday" \(from --working-days\): is not a weekday/],
    [['--division', 'atlantis'], /config division "atlantis" \(from --division\): must be one of/],
    [['--leave-year-start', '13-01'], /config leaveYearStart "13-01" \(from --leave-year-start\)/],
    [['--frobnicate'], /unknown option '--frobnicate'/],
  ])('%j exits 2 with one clear line', async (args, message) => {
    const result = await runCli(['plan', ...args], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a bad config file is one line and exit 2', async () => {
    const result = await runCli(['plan', '--config', '/nonexistent.json'], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual(['esr-bank-holidays: cannot read config file /nonexistent.json: ENOENT']);
  });

  it('works offline from the bundled snapshot, and warns', async () => {
    const result = await runCli(['plan', '--offline', '--json', '--today', '2026-04-01'], { env: env() });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).source).toEqual({ kind: 'bundled', fetchedAt: '2026-02-25' });
    expect(result.stderr).toMatch(/snapshot of GOV.UK from 2026-02-25/);
  });

  it('never loads Playwright', async () => {
    const hook = fileURLToPath(new URL('../helpers/no-playwright.mjs', import.meta.url));
    const result = await runCli(['plan', '--json', '--today', '2026-04-01'], { env: env(), nodeArgs: ['--import', hook] });
    expect(result.stderr).not.toMatch(/playwright was imported/);
    expect(result.code).toBe(0);
  });
});
