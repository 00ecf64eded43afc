import { chmodSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../util/errors.js';

const APP = 'esr-bank-holidays';

/** Where the cache, journal, lock and artifacts live: configured, else the OS's convention. */
export function stateDirFor(
  configured: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (configured) return configured;
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), APP);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP);
  return join(env.XDG_STATE_HOME || join(home, '.local', 'state'), APP);
}

/** Create the state directory readable by its owner alone, and return it. */
export function ensureStateDir(dir: string): string {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (process.platform !== 'win32') chmodSync(dir, 0o700);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`cannot use the state directory ${dir} (${code}): set ESR_STATE_DIR to a folder you can write`);
  }
  return dir;
}
