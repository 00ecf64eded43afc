import type { Command } from 'commander';
import { configLayers, type Layer, type Layers } from '../config/layers.js';
import type { LoadedConfig } from '../config/load.js';
import type { RunContext } from '../config/run-context.js';
import { readDotEnv, withDotEnv } from '../config/dotenv.js';
import { ensureStateDir, stateDirFor } from '../config/state-dir.js';
import { createLogger, type Logger } from '../util/logger.js';
import type { LevelWithSilent } from 'pino';

/** Options every command has. */
export interface GlobalOptions {
  config?: string;
  logLevel: LevelWithSilent;
  json?: boolean;
}

export interface Context extends RunContext {
  configFile: string | undefined;
  json: boolean;
  env: NodeJS.ProcessEnv;
  /** Human output: stdout, or stderr when stdout carries `--json`. */
  out: (line: string) => void;
}

/** The environment with the working directory's `.env` folded in, warning when others can read it. */
export function environmentWithDotEnv(processEnv: NodeJS.ProcessEnv, log: Logger): NodeJS.ProcessEnv {
  const dotenv = readDotEnv(process.cwd());
  if (dotenv.warning) log.warn(dotenv.warning);
  return withDotEnv(processEnv, dotenv);
}

/**
 * The environment with `.env` folded in, and the config's layers read for it and these flags, not
 * yet checked: what a command may act on early (a browser, a GET), and what createContext then checks.
 */
export async function readLayers(global: GlobalOptions, flags: Layer): Promise<{ env: NodeJS.ProcessEnv; layers: Layers }> {
  const env = environmentWithDotEnv(process.env, await createLogger(global.logLevel));
  return { env, layers: configLayers({ configPath: global.config, env, flags }) };
}

export async function createContext(
  global: GlobalOptions,
  flags: Record<string, unknown> = {},
  processEnv: NodeJS.ProcessEnv = process.env,
  /** `layers`: the config's layers as already read for this environment and these flags, to be checked as they are. */
  options: { dotenv?: boolean; layers?: Layers } = {},
): Promise<Context> {
  const log = await createLogger(global.logLevel);
  const env = options.dotenv === false ? processEnv : environmentWithDotEnv(processEnv, log);
  // Loaded here, not above: the schema loads zod, which a sync's browser need not wait for (see sync.ts).
  const { loadConfig, validated } = await import('../config/load.js');
  const loaded: LoadedConfig = options.layers ? validated(options.layers) : loadConfig({ configPath: global.config, env, flags });
  const json = Boolean(global.json);
  return {
    config: loaded.config,
    configFile: loaded.file,
    stateDir: ensureStateDir(stateDirFor(loaded.config.stateDir, env)),
    log,
    json,
    env,
    out: (line) => (json ? process.stderr : process.stdout).write(`${line}\n`),
  };
}

/** The options of the command and of the program above it. */
export function allOptions<T>(command: Command): T {
  return command.optsWithGlobals() as T;
}
