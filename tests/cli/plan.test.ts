import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, startFeedServer, type FeedServer } from '../helpers/feed-server.js';
import { FEED_2022, FEED_2026, fixtureText } from '../helpers/fixtures.js';
import { BIN, runCli, tempDir } from '../helpers/cli.js';

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
    [['--today', '9999-06-01'], /leave year 9999 is out of range/],
    [['--leave-year', '0999'], /leave year 999 is out of range/],
    [['--leave-year', '2031'], /the GOV.UK feed \(.*\) covers 2012 to 2028, not 2031 and 2032, so it cannot plan the leave year 2031-04-01 to 2032-03-31/],
    [['--rebook', '2026-02-30'], /"2026-02-30" is not a real date/],
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

  it('offline, a leave year past the bundled snapshot is exit 1 naming the years it covers, not "0 to book"', async () => {
    const result = await runCli(['plan', '--offline', '--leave-year', '2028'], { env: env() });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/esr-bank-holidays: the bundled GOV.UK snapshot \(2026-02-25\) covers 2012 to 2028, not 2029/);
  });

  it('offline, the newer of the cache and the bundled snapshot wins', async () => {
    const stateDir = tempDir();
    const old = JSON.parse(fixtureText(FEED_2022));
    writeFileSync(join(stateDir, 'bank-holidays.cache.json'), JSON.stringify({ url: server.url, fetchedAt: '2022-12-29T00:00:00.000Z', feed: old }));
    const stale = await runCli(['plan', '--offline', '--json', '--today', '2026-04-01'], { env: { ...env(), ESR_STATE_DIR: stateDir } });
    expect(stale.code).toBe(0);
    expect(JSON.parse(stale.stdout).source.kind).toBe('bundled');
    const fresh = { url: server.url, fetchedAt: '2026-06-01T00:00:00.000Z', feed: JSON.parse(fixtureText(FEED_2026)) };
    writeFileSync(join(stateDir, 'bank-holidays.cache.json'), JSON.stringify(fresh));
    const cached = await runCli(['plan', '--offline', '--json', '--today', '2026-04-01'], { env: { ...env(), ESR_STATE_DIR: stateDir } });
    expect(JSON.parse(cached.stdout).source).toEqual({ kind: 'cache', fetchedAt: '2026-06-01T00:00:00.000Z' });
  });

  it('reads a config file saved with a byte-order mark (Windows Notepad)', async () => {
    const file = join(tempDir(), 'config.json');
    writeFileSync(file, '\uFEFF{ "division": "scotland" }', 'utf8');
    const result = await runCli(['plan', '--config', file, '--json', '--today', '2026-04-01'], { env: env() });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).division).toBe('scotland');
  });

  it('ends quietly when the reader of its output goes away (plan | true: the reader is gone before it writes)', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn('sh', ['-c', `"${process.execPath}" "${BIN}" plan --today 2026-04-01 | true`], {
        env: { ...process.env, ...env() },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/EPIPE|Error/);
  });
});

describe('a damaged state directory', () => {
  it('a cache with no date it was fetched is no cache: the bundled snapshot serves, no crash', async () => {
    const stateDir = tempDir();
    writeFileSync(join(stateDir, 'bank-holidays.cache.json'), JSON.stringify({ url: server.url, feed: JSON.parse(fixtureText(FEED_2026)) }));
    const result = await runCli(['plan', '--offline', '--json', '--today', '2026-04-01'], { env: { ...env(), ESR_STATE_DIR: stateDir } });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).source.kind).toBe('bundled');
  });

  it('a state directory that cannot be made is one line naming ESR_STATE_DIR, exit 2', async () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, '');
    const result = await runCli(['plan', '--offline'], { env: { ...env(), ESR_STATE_DIR: join(file, 'state') } });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^esr-bank-holidays: cannot use the state directory .* set ESR_STATE_DIR/)]);
  });
});

describe('esr-bank-holidays with no command', () => {
  it('prints the help and exits 2', async () => {
    const result = await runCli([], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Usage: esr-bank-holidays/);
    expect(result.stderr).toMatch(/plan/);
  });
});
