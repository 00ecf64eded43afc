import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ensureStateDir, stateDirFor } from '../../src/config/state-dir.js';
import { tempDir } from '../helpers/cli.js';

function configFile(content: unknown): string {
  const path = join(tempDir(), 'config.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe('loadConfig', () => {
  it('gives the defaults with nothing set', () => {
    const { config, file } = loadConfig({ env: {} });
    expect(file).toBeUndefined();
    expect(config.leaveYearStart).toBe('04-01');
    expect(config.esr.selectors.assignment).toBe('select#select-an-assignment');
  });

  it('layers defaults < file < environment < flags', () => {
    const path = configFile({ division: 'scotland', esrUrl: 'https://file.example', workingDays: ['mon'] });
    const env = { ESR_CONFIG: path, ESR_URL: 'https://env.example' };
    const { config, file } = loadConfig({ env, flags: { workingDays: ['tue'] } });
    expect(file).toBe(path);
    expect(config.division).toBe('scotland');
    expect(config.esrUrl).toBe('https://env.example');
    expect(config.workingDays).toEqual(['tue']);
  });

  it('takes --config over ESR_CONFIG', () => {
    const a = configFile({ division: 'scotland' });
    const b = configFile({ division: 'northern-ireland' });
    expect(loadConfig({ configPath: b, env: { ESR_CONFIG: a } }).config.division).toBe('northern-ireland');
  });

  it('lets a file override one selector and keep the rest', () => {
    const path = configFile({ esr: { selectors: { absenceRows: 'table.absences tr' } } });
    const { config } = loadConfig({ configPath: path, env: {} });
    expect(config.esr.selectors.absenceRows).toBe('table.absences tr');
    expect(config.esr.selectors.submit).toBe('a#submitAnnualLeave');
  });

  it('says in one line which key, which value and where it came from', () => {
    const path = configFile({ exclude: ['2026-02-30'] });
    expect(() => loadConfig({ configPath: path, env: {} })).toThrow(
      `config exclude.0 "2026-02-30" (from ${path}): is not a real date (YYYY-MM-DD)`,
    );
    expect(() => loadConfig({ env: { ESR_URL: 'not a url' } })).toThrow(/config esrUrl "not a url" \(from ESR_URL\)/);
    expect(() => loadConfig({ env: {}, flags: { leaveYearStart: '02-29' } })).toThrow(/--leave-year-start/);
    expect(() => loadConfig({ configPath: configFile({ esr: { selectors: { sumbit: 'x' } } }), env: {} })).toThrow(
      /unknown key sumbit/,
    );
    expect(() => loadConfig({ configPath: configFile({ esr: { selectors: { leaveReason: 'select' } } }), env: {} })).toThrow(
      /must contain \{assignmentId\}/,
    );
  });

  it('refuses a missing or broken file with exit code 2', () => {
    expect(() => loadConfig({ configPath: '/nonexistent/config.json', env: {} })).toThrow(/cannot read config file/);
    const path = join(tempDir(), 'broken.json');
    writeFileSync(path, '{ nope');
    try {
      loadConfig({ configPath: path, env: {} });
      expect.unreachable();
    } catch (error) {
      expect((error as { exitCode: number }).exitCode).toBe(2);
    }
  });
});

describe('state directory', () => {
  it('follows each OS convention unless ESR_STATE_DIR is set', () => {
    expect(stateDirFor('/x', {}, 'linux', '/home/a')).toBe('/x');
    expect(stateDirFor(undefined, {}, 'linux', '/home/a')).toBe('/home/a/.local/state/esr-bank-holidays');
    expect(stateDirFor(undefined, { XDG_STATE_HOME: '/xdg' }, 'linux', '/home/a')).toBe('/xdg/esr-bank-holidays');
    expect(stateDirFor(undefined, {}, 'darwin', '/Users/a')).toBe('/Users/a/Library/Application Support/esr-bank-holidays');
    expect(stateDirFor(undefined, { LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, 'win32', 'C:\\Users\\a')).toMatch(
      /AppData.Local.esr-bank-holidays$/,
    );
  });

  it('is created readable by its owner alone', () => {
    const dir = join(tempDir(), 'state', 'nested');
    ensureStateDir(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });
});

describe('config errors never show a notification token', () => {
  const env = { ESR_NOTIFY_URL: 'https://hooks.example/ENVTOKEN' };
  const rawFile = (text: string) => {
    const path = join(tempDir(), 'config.json');
    writeFileSync(path, text);
    return path;
  };
  it.each([
    ['an unknown key under notify', JSON.stringify({ notify: { url: 'https://h.example/FILETOKEN', when: 'always' } }), /config notify \(from .*\): unknown key when/],
    ['notify as a string', JSON.stringify({ notify: 'https://h.example/FILETOKEN' }), /config notify/],
    ['an unknown top-level key, from the file', JSON.stringify({ leaveYearstart: '04-01' }), /config \(top level\) \(from .*config\.json\): unknown key leaveYearstart/],
    ['a JSON syntax error next to the token', `{"notify":{"url":'https://h.example/FILETOKEN'}}`, /is not valid JSON/],
  ])('%s', (_what, text, message) => {
    let error: Error | undefined;
    try {
      loadConfig({ configPath: rawFile(text), env });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toMatch(/TOKEN/);
  });
});
