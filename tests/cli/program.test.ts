import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, commandsNamed } from '../../src/cli/program.js';
import { reply, startFeedServer, type FeedServer } from '../helpers/feed-server.js';
import { FEED_2026, fixtureText } from '../helpers/fixtures.js';
import { runCli, tempDir } from '../helpers/cli.js';

describe('the command table', () => {
  it("names each command with its own module's description", async () => {
    for (const [name, entry] of Object.entries(COMMANDS)) {
      const command = await entry.load();
      expect(command.name()).toBe(name);
      expect(entry.description).toBe(command.description());
    }
  });

  it('loads the command the arguments run, or the one help is asked about', () => {
    expect(commandsNamed(['plan', '--today', '2026-04-01'])).toEqual(['plan']);
    expect(commandsNamed(['--config', 'plan', '--log-level', 'warn', 'sync', '--yes'])).toEqual(['sync']);
    expect(commandsNamed(['--log-level=debug', 'doctor'])).toEqual(['doctor']);
    expect(commandsNamed(['help', 'schedule'])).toEqual(['schedule']);
    expect(commandsNamed(['--help'])).toEqual([]);
    expect(commandsNamed(['book-everything'])).toEqual([]);
    expect(commandsNamed(['--log-level', 'loud', 'plan'])).toEqual([]);
  });
});

describe('help', () => {
  it("lists a command's options, asked either way", async () => {
    for (const args of [['sync', '--help'], ['help', 'sync']]) {
      const result = await runCli(args);
      expect(result.code).toBe(0);
      for (const option of ['--dry-run', '--rehearse', '--yes', '--assignment', '--leave-year-start', '--headed', '--config', '--log-level']) {
        expect(result.stdout).toContain(option);
      }
    }
  });

  it('lists every command with [options], and the global options', async () => {
    const result = await runCli(['--help']);
    for (const name of Object.keys(COMMANDS)) expect(result.stdout).toMatch(new RegExp(`^  ${name} \\[options\\]`, 'm'));
    for (const option of ['--config', '--log-level', '--json', '--version']) expect(result.stdout).toContain(option);
  });

  it('a bad global option is reported once', async () => {
    const result = await runCli(['--log-level', 'loud', 'plan']);
    expect(result.code).toBe(2);
    expect(result.stderr.match(/argument 'loud' is invalid/g)).toHaveLength(1);
  });
});

describe('plan from a warm cache', () => {
  let server: FeedServer;
  beforeAll(async () => {
    server = await startFeedServer(reply.etag(fixtureText(FEED_2026), '"feed-2026"'));
  });
  afterAll(() => server.close());

  it('loads only what it uses: no other command, no browser, no sandbox, no HTTP library, no logger', async () => {
    const env = { BANK_HOLIDAYS_URL: server.url, ESR_STATE_DIR: tempDir() };
    expect((await runCli(['plan', '--today', '2026-04-01'], { env })).code).toBe(0);
    const record = join(tempDir(), 'imports');
    const hook = fileURLToPath(new URL('../helpers/record-imports.mjs', import.meta.url));
    const result = await runCli(['plan', '--today', '2026-04-01'], { env: { ...env, RECORD_IMPORTS_FILE: record }, nodeArgs: ['--import', hook] });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('10 to book');
    const loaded = readFileSync(record, 'utf8');
    expect(loaded).toContain('/dist/cli/plan.js');
    for (const unwanted of [
      /\/dist\/cli\/(sync|demo|doctor|schedule|sandbox)\.js$/m,
      /\/dist\/(esr|sandbox|views\/(terminal|notification))\//,
      // plan resolves the same inputs as sync and its views know the report's shape; nothing else of the sync
      /\/dist\/sync\/(?!inputs\.js$|report\.js$)/m,
      /node_modules\/date-fns\/(parse|format)\.js$/m,
      /node_modules\/(playwright|playwright-core|undici|pino|pino-pretty)\//,
    ]) {
      expect(loaded).not.toMatch(unwanted);
    }
  });
});
