import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

export interface DotEnv {
  values: Record<string, string>;
  path?: string;
  /** Set when the file is readable by group or others. */
  warning?: string;
}

/** The `.env` file of the working directory, if there is one. */
export function readDotEnv(cwd: string): DotEnv {
  const path = join(cwd, '.env');
  let text: string;
  try {
    text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch {
    return { values: {} };
  }
  const result: DotEnv = { values: parseEnv(text) as Record<string, string>, path };
  const mode = statSync(path).mode;
  if (process.platform !== 'win32' && mode & 0o077) {
    result.warning = `${path} can be read by other users (mode ${(mode & 0o777).toString(8)}); it may hold your ESR password: chmod 600 ${path}`;
  }
  return result;
}

/** The real environment wins over `.env`, as with every dotenv tool. */
export function withDotEnv(env: NodeJS.ProcessEnv, dotenv: DotEnv): NodeJS.ProcessEnv {
  return { ...dotenv.values, ...env };
}
