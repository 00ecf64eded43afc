/**
 * The config's layers (defaults < file < environment < flags), read and merged but not yet checked:
 * no schema here, so a command can learn the browser it will use before zod has loaded.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../util/errors.js';

export type Layer = Record<string, unknown>;

/** Environment variables that set a config key. Credentials are not config: see credentials.ts. */
export const ENV_KEYS = {
  ESR_URL: 'esrUrl',
  BANK_HOLIDAYS_URL: 'bankHolidaysUrl',
  ESR_BROWSER: 'browser',
  ESR_STATE_DIR: 'stateDir',
  ESR_NOTIFY_URL: 'notify.url',
} as const;

export interface LoadOptions {
  configPath?: string | undefined;
  env: NodeJS.ProcessEnv;
  flags?: Layer;
}

const DEFAULTS_URL = new URL('../../config/default.json', import.meta.url);

export function isObject(value: unknown): value is Layer {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether the check's optional text (trimmed, not empty) passes a layer's value unchanged: absent, or
 * a string with nothing to trim. What a command acts on before the check must be such a value.
 */
export function plainText(value: unknown): value is string | undefined {
  return value === undefined || (typeof value === 'string' && value !== '' && value.trim() === value);
}

/** Objects merge key by key, so a user can override one selector; anything else replaces. */
function merge(base: Layer, over: Layer): Layer {
  const out: Layer = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    out[key] = isObject(value) && isObject(out[key]) ? merge(out[key] as Layer, value) : value;
  }
  return out;
}

function readJson(path: string, what: string): Layer {
  let text: string;
  try {
    // Windows Notepad saves UTF-8 with a byte-order mark, which JSON.parse refuses.
    text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // JSON.parse quotes the text around the fault, which may be a webhook's token: say where, not what.
    const at = /position (\d+)/.exec((error as Error).message)?.[1];
    const where = at === undefined ? '' : ` at line ${text.slice(0, Number(at)).split('\n').length}, column ${Number(at) - text.lastIndexOf('\n', Number(at) - 1)}`;
    throw new UsageError(`${what} ${path} is not valid JSON${where}`);
  }
  if (!isObject(data)) throw new UsageError(`${what} ${path} is not valid: the top level must be an object`);
  return data;
}

export function has(layer: Layer, path: readonly PropertyKey[]): boolean {
  let here: unknown = layer;
  for (const key of path) {
    if (!isObject(here) && !Array.isArray(here)) return false;
    here = (here as Layer)[key as string];
    if (here === undefined) return false;
  }
  return true;
}

export function at(layer: Layer, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((here, key) => (here as Layer | undefined)?.[key as string], layer);
}

/** `{a: {b: value}}` for the path a.b. */
function nested(path: readonly string[], value: unknown): Layer {
  return path.reduceRight<Layer>((inner, key) => ({ [key]: inner }), value as Layer);
}

function defaultConfigLayer(): Layer {
  return readJson(DEFAULTS_URL.pathname, 'default config');
}

export interface Layers {
  fromFile: Layer;
  fromEnv: Layer;
  flags: Layer;
  /** All four merged: what is checked against the schema. */
  merged: Layer;
  /** The user's config file, when there was one. */
  file?: string;
}

export function configLayers(options: LoadOptions): Layers {
  const defaults = defaultConfigLayer();
  const filePath = options.configPath ?? options.env.ESR_CONFIG;
  const file = filePath ? resolve(filePath) : undefined;
  const fromFile = file ? readJson(file, 'config file') : {};
  let fromEnv: Layer = {};
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const value = options.env[name];
    if (value !== undefined && value !== '') fromEnv = merge(fromEnv, nested(key.split('.'), value));
  }
  const flags = options.flags ?? {};
  const merged = merge(merge(merge(defaults, fromFile), fromEnv), flags);
  return { fromFile, fromEnv, flags, merged, ...(file ? { file } : {}) };
}
