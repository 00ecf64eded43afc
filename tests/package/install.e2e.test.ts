import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir, type CliResult } from '../helpers/cli.js';

// Packs the dist/ that `npm run build` made (as `npm test` does first) and installs it globally
// into a fresh prefix, as a user would, then runs it from an empty folder: no repo, no node_modules.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

function run(command: string, args: string[], options: RunOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The environment of a user's shell: without the npm_* variables of the npm that may be running these tests. */
const SHELL_ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));

let files: string[];
let install: CliResult;
let prefix: string;

beforeAll(async () => {
  const packs = tempDir('ebh-pack-');
  // --ignore-scripts: pack the dist/ already built rather than rebuild it under other tests' feet.
  const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packs], {
    cwd: ROOT,
    env: SHELL_ENV,
    timeoutMs: 60_000,
  });
  expect(pack.code, pack.stderr).toBe(0);
  const [packed] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  files = packed!.files.map((f) => f.path);

  prefix = tempDir('ebh-prefix-');
  install = await run(
    'npm',
    ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(packs, packed!.filename)],
    { cwd: tempDir('ebh-install-'), env: SHELL_ENV, timeoutMs: 240_000 },
  );
}, 300_000);

/** The installed command, run from an empty folder with a clean environment. */
function installed(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return run(join(prefix, 'bin', 'esr-bank-holidays'), args, {
    cwd: tempDir('ebh-empty-'),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: tempDir('ebh-home-'),
      TZ: 'Europe/London',
      ESR_STATE_DIR: tempDir('ebh-state-'),
      ...env,
    },
    timeoutMs: 120_000,
  });
}

describe('the installable package', () => {
  it('holds what it runs with, and no tests or sources', () => {
    const needed = ['package.json', 'README.md', '.env.example', 'config/default.json', 'dist/cli/main.js', 'dist/sandbox/server.js'];
    for (const file of [...needed, 'dist/holidays/snapshot-2026-02-25.json']) expect(files).toContain(file);
    const unwanted = files.filter(
      (f) => /^(src|tests|\.ci)\//.test(f) || f.endsWith('.ts') || f.startsWith('dist/bench/') || f === 'package-lock.json',
    );
    expect(unwanted).toEqual([]);
  });

  it('installs globally with no warning about install scripts', () => {
    expect(install.code, install.stderr).toBe(0);
    const warnings = install.stderr.split('\n').filter((line) => /^npm (warn|WARN|error|ERR)/.test(line));
    // This machine's own npmrc may hold a setting npm 11 no longer knows; that is not the package's doing.
    expect(warnings.filter((line) => !/Unknown user config/.test(line))).toEqual([]);
    expect(install.stderr).not.toMatch(/install.?scripts|allowScripts|allow-scripts/i);
  });

  it('--version from any folder', async () => {
    const result = await installed(['--version']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  it('plan --offline from an empty folder, with the bundled holidays', async () => {
    const result = await installed(['plan', '--offline', '--today', '2026-11-21']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Date\s+Day\s+Holiday\s+Action\s+Reason/);
    expect(result.stdout).toMatch(/^2027-03-29\s+Mon\s+Easter Monday\s+book/m);
    expect(result.stderr).toMatch(/snapshot of GOV\.UK from 2026-02-25/);
  });

  it('demo from an empty folder', async () => {
    const result = await installed(['demo'], process.env.ESR_BROWSER ? { ESR_BROWSER: process.env.ESR_BROWSER } : {});
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim().split('\n').at(-1)).toBe('demo: booked 10 bank holidays in the sandbox ESR; a second run booked 0');
  });
});
