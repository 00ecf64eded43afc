import { linkSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname, uptime } from 'node:os';
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

/** The lock's holder, or null when the file is gone or does not name one. */
function readHolder(path: string): Holder | null {
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8')) as Partial<Holder>;
    const valid =
      Number.isInteger(holder.pid) && (holder.pid as number) > 0 && typeof holder.host === 'string' && !Number.isNaN(Date.parse(holder.since ?? ''));
    return valid ? (holder as Holder) : null;
  } catch {
    return null;
  }
}

/** Taken over: its process is gone (or the machine restarted since, and the pid may be another's), or it names no holder. */
function isStale(path: string, holder: Holder | null): boolean {
  if (holder === null) {
    // Written whole in one step, a lock never names no holder while it is being taken: an old one is junk.
    try {
      return Date.now() - statSync(path).mtimeMs > 5_000;
    } catch {
      return true;
    }
  }
  if (holder.host !== hostname()) return false;
  const bootedAt = Date.now() - uptime() * 1000;
  return !alive(holder.pid) || Date.parse(holder.since) < bootedAt;
}

/** Create the lock with its holder in it, in one step: a reader never sees it half written. */
function tryCreate(path: string): boolean {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() } satisfies Holder), { mode: 0o600 });
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
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
    if (isStale(path, holder)) {
      // Only the file we judged stale is removed; a racing process that took it over is not.
      if (JSON.stringify(readHolder(path)) === JSON.stringify(holder)) {
        try {
          unlinkSync(path);
        } catch {
          // another process removed it first
        }
      }
      continue;
    }
    if (holder === null) {
      await new Promise((resolve) => setTimeout(resolve, 200));
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
