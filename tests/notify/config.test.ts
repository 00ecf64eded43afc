import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { tempDir } from '../helpers/cli.js';

function configFile(content: unknown): string {
  const path = join(tempDir(), 'config.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe('notify config', () => {
  it('defaults: no url, on failure, 10 s, 3 tries', () => {
    expect(loadConfig({ env: {} }).config.notify).toEqual({ on: 'failure', timeoutSeconds: 10, tries: 3 });
  });

  it('ESR_NOTIFY_URL wins over the file, and the rest of the file stays', () => {
    const path = configFile({ notify: { url: 'https://file.example/hook', on: 'always' } });
    const fromFile = loadConfig({ configPath: path, env: {} }).config.notify;
    expect(fromFile).toMatchObject({ url: 'https://file.example/hook', on: 'always' });
    const fromEnv = loadConfig({ configPath: path, env: { ESR_NOTIFY_URL: 'https://env.example/hook' } }).config.notify;
    expect(fromEnv).toEqual({ url: 'https://env.example/hook', on: 'always', timeoutSeconds: 10, tries: 3 });
  });

  it('refuses a bad url naming where it came from, but never printing it: it may hold a token', () => {
    const secret = 'hooks.example.org/services/T0/B0/s3cr3t-token';
    let message = '';
    try {
      loadConfig({ env: { ESR_NOTIFY_URL: secret } });
    } catch (error) {
      message = (error as Error).message;
      expect((error as { exitCode: number }).exitCode).toBe(2);
    }
    expect(message).toBe('config notify.url (from ESR_NOTIFY_URL): must be an http(s) URL');
    const path = configFile({ notify: { url: `ftp://${secret}` } });
    expect(() => loadConfig({ configPath: path, env: {} })).toThrow(`config notify.url (from ${path}): must be an http(s) URL`);
  });

  it('refuses an unknown notify.on', () => {
    const path = configFile({ notify: { on: 'sometimes' } });
    expect(() => loadConfig({ configPath: path, env: {} })).toThrow(/config notify.on "sometimes" .*must be one of failure, change, always/);
  });
});
