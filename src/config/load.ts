import { UsageError } from '../util/errors.js';
import { at, configLayers, ENV_KEYS, has, type Layers, type LoadOptions } from './layers.js';
import { configSchema, type Config } from './schema.js';

export type { LoadOptions } from './layers.js';

/** Keys whose value may carry a token (a webhook URL): an error names the key, never the value. */
const SECRET_KEYS = new Set(['notify.url']);

/** The command-line flag that sets each config key, to name it in an error. */
const FLAG_NAMES: Record<string, string> = {
  leaveYearStart: '--leave-year-start',
  division: '--division',
  workingDays: '--working-days',
  includePast: '--include-past',
  headless: '--headed',
  login: '--login',
  browser: '--browser',
};

export interface LoadedConfig {
  config: Config;
  /** The user's config file, when there was one. */
  file?: string;
}

/** defaults < file < environment < flags, validated as one Config. */
export function loadConfig(options: LoadOptions): LoadedConfig {
  return validated(configLayers(options));
}

/** The merged layers checked against the schema; an error names the key, the value unless secret, and where it came from. */
export function validated({ fromFile, fromEnv, flags, merged, file }: Layers): LoadedConfig {
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path;
    const key = path.join('.') || '(top level)';
    // An unknown key came from wherever that key was written, not from where its parent object was.
    const where = issue.code === 'unrecognized_keys' ? [...path, issue.keys[0]!] : path;
    const envName = Object.entries(ENV_KEYS).find(([, k]) => k === where.slice(0, k.split('.').length).join('.'))?.[0];
    const origin =
      where.length > 0 && has(flags, where) ? FLAG_NAMES[String(where[0])] ?? 'the command line'
      : envName && has(fromEnv, where) ? envName
      : file && has(fromFile, where) ? file
      : 'the defaults';
    const value = at(merged, path);
    // Only a plain value is shown: an object could hold a token (notify.url), and nothing under a secret key is.
    const secret = [...SECRET_KEYS].some((k) => key === k || key.startsWith(`${k}.`) || k.startsWith(`${key}.`) || key === k.split('.')[0]);
    const plain = value !== undefined && (value === null || typeof value !== 'object');
    const shown = plain && !secret ? ` ${JSON.stringify(value)}` : '';
    const message =
      issue.code === 'unrecognized_keys' ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}` : issue.message;
    throw new UsageError(`config ${key}${shown} (from ${origin}): ${message}`);
  }
  return file ? { config: result.data, file } : { config: result.data };
}
