import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/sync/lock.js';
import { Interrupted, RuntimeFailure } from '../../src/util/errors.js';
import { tempDir } from '../helpers/cli.js';

const lockIn = (dir: string) => join(dir, 'sync.lock');
const holder = (pid: number, since: string) => JSON.stringify({ pid, host: hostname(), since });

describe('the sync lock', () => {
  it('is taken with this process as its holder, and released', async () => {
    const dir = tempDir();
    const release = await acquireLock(dir, 0);
    expect(JSON.parse(readFileSync(lockIn(dir), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    release();
    expect(existsSync(lockIn(dir))).toBe(false);
  });

  it('waits for a live holder, then gives up in one line', async () => {
    const dir = tempDir();
    writeFileSync(lockIn(dir), holder(process.pid, new Date().toISOString()));
    await expect(acquireLock(dir, 300)).rejects.toThrow(RuntimeFailure);
    await expect(acquireLock(dir, 300)).rejects.toThrow(/another sync is running \(pid \d+ on /);
  });

  it('takes over a lock that names no holder once it is old, instead of blocking every run for good', async () => {
    const dir = tempDir();
    writeFileSync(lockIn(dir), '{}');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockIn(dir), old, old);
    const release = await acquireLock(dir, 0);
    release();
  });

  it('takes over a lock from before the machine last started: its pid may now be another process', async () => {
    const dir = tempDir();
    // pid 1 is alive on every machine; a holder since 1990 cannot be it.
    writeFileSync(lockIn(dir), holder(1, '1990-01-01T00:00:00.000Z'));
    const release = await acquireLock(dir, 0);
    expect(JSON.parse(readFileSync(lockIn(dir), 'utf8')).pid).toBe(process.pid);
    release();
  });

  it('stops waiting at Ctrl-C', async () => {
    const dir = tempDir();
    writeFileSync(lockIn(dir), holder(process.pid, new Date().toISOString()));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(acquireLock(dir, 10_000, controller.signal)).rejects.toThrow(Interrupted);
  });
});
