import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Interrupted, RuntimeFailure } from '../util/errors.js';

interface Holder {
  pid: number;
  host: string;
  since: string;
}

const LOCK_FILE = 'sync.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): Holder | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Holder;
  } catch {
    return null;
  }
}

function tryCreate(path: string): boolean {
  try {
    const fd = openSync(path, 'wx', 0o600);
    writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() } satisfies Holder));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * One sync per state directory. A second waits up to `waitMs`, then gives up; a lock whose
 * process is gone (killed mid-run) is taken over. Returns the release function.
 */
export async function acquireLock(
  stateDir: string,
  waitMs: number,
  signal?: AbortSignal,
  onWait?: (holder: Holder) => void,
): Promise<() => void> {
  const path = join(stateDir, LOCK_FILE);
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    if (tryCreate(path)) break;
    const holder = readHolder(path);
    const stale = holder === null || (holder.host === hostname() && !alive(holder.pid));
    if (stale) {
      // Only the file we judged stale is removed; a racing process that took it over is not.
      if (JSON.stringify(readHolder(path)) === JSON.stringify(holder)) unlinkSync(path);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new RuntimeFailure(`another sync is running (pid ${holder.pid} on ${holder.host}, since ${holder.since}); try again when it has finished`);
    }
    if (signal?.aborted) throw new Interrupted('interrupted (Ctrl-C) while waiting for another sync; nothing was booked');
    if (!told) onWait?.(holder);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const release = () => {
    if (readHolder(path)?.pid === process.pid) unlinkSync(path);
    process.off('exit', release);
  };
  process.on('exit', release);
  return release;
}
