import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scheduleEntries } from '../../src/cli/schedule.js';
import { runCli, tempDir } from '../helpers/cli.js';

describe('demo', () => {
  it('books a leave year into the sandbox, then books nothing the second time, with no network and no real ESR', async () => {
    // A person's real settings must not leak into the demo.
    const result = await runCli(['demo'], {
      env: { ESR_URL: 'http://127.0.0.1:9/real-esr', ESR_USERNAME: 'real.person', ESR_PASSWORD: 'real-password', ESR_STATE_DIR: tempDir() },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Date\s+Day\s+Holiday\s+Action\s+Reason/);
    expect(result.stdout).toMatch(/^\[10\/10\] .* booked$/m);
    expect(result.stdout).toContain('10 already booked');
    expect(result.stdout.trim().split('\n').at(-1)).toBe('demo: booked 10 bank holidays in the sandbox ESR; a second run booked 0');
  });
});

describe('program', () => {
  it('--help lists every command', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['plan', 'sync', 'demo', 'doctor', 'schedule', 'sandbox']) {
      expect(result.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
  });

  it("--version prints package.json's version", async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  it('an unknown command is a usage error, exit 2', async () => {
    const result = await runCli(['book-everything']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'book-everything'/);
  });
});

describe('schedule', () => {
  it('runs at the NHS leave-year reset by default: 07:00 on 1 April', async () => {
    const result = await runCli(['schedule', '--dir', '/home/nurse/ebh'], { env: { ESR_STATE_DIR: '/home/nurse/.state/ebh' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '0 7 1 4 * cd "/home/nurse/ebh" && npx esr-bank-holidays sync --yes >> "/home/nurse/.state/ebh/sync.log" 2>&1',
    );
    expect(result.stdout).toContain('OnCalendar=*-04-01 07:00:00');
    expect(result.stdout).toContain('schtasks /Create /TN "esr-bank-holidays" /SC MONTHLY /M APR /D 1 /ST 07:00');
    expect(result.stdout).toMatch(/never on the command line/);
    expect(result.stdout).toMatch(/3 ESR refused the login/);
  });

  it('says how to be notified of a run, and how to test it', async () => {
    const result = await runCli(['schedule', '--dir', '/home/nurse/ebh', '--json'], { env: { ESR_STATE_DIR: tempDir() } });
    expect(result.code).toBe(0);
    const notes = (JSON.parse(result.stdout) as { notes: string[] }).notes.join('\n');
    expect(notes).toContain('put ESR_NOTIFY_URL=<address> in /home/nurse/ebh/.env (or notify.url in your config file)');
    expect(notes).toMatch(/as notify\.on says: failure \(the default: exit code not 0\), change \(booked something, or failed\) or always/);
    expect(notes).toMatch(/Slack-style incoming webhook, or a Teams workflow .* shows "text"/);
    expect(notes).toContain('?tpl=1&m={{.text}}');
    expect(notes).toContain('npx esr-bank-holidays doctor --notify');
  });

  it('follows another leave-year start and time', () => {
    const entries = scheduleEntries('09-15', '06:30', '/srv/ebh', '/state');
    expect(entries.cron.startsWith('30 6 15 9 * ')).toBe(true);
    expect(entries.systemd.timer).toContain('OnCalendar=*-09-15 06:30:00');
    expect(entries.schtasks).toContain('/M SEP /D 15 /ST 06:30');
    // Every entry logs to the same file in the state directory, wherever that is configured.
    expect(entries.cron).toContain('>> "/state/sync.log"');
    expect(entries.schtasks).toContain('>> \\"/state/sync.log\\"');
  });

  it('refuses a time that is not HH:MM, exit 2', async () => {
    const result = await runCli(['schedule', '--at', '7am']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/must be HH:MM/);
  });
});
