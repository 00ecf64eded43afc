import type { Logger } from '../util/logger.js';
import type { Config } from './schema.js';

/** What every step below the command line needs: settings, where state lives, where logs go. */
export interface RunContext {
  config: Config;
  stateDir: string;
  log: Logger;
}
