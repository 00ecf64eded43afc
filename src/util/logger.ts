import { createRequire } from 'node:module';
import type { Level, LevelWithSilent, Logger as PinoLogger, LoggerOptions } from 'pino';
import { scrub } from './secrets.js';

/** What the tool logs with; a pino logger is one. */
export type Logger = Pick<PinoLogger, Level>;
export const LOG_LEVELS: readonly LevelWithSilent[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
const METHODS: readonly Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

const REDACT = ['password', '*.password', 'credentials', '*.credentials', 'headers.cookie', 'headers.authorization'];

// pino and pino-pretty are CommonJS: required, they load at the first line logged, synchronously.
const require = createRequire(import.meta.url);

function pinoLogger(level: LevelWithSilent, pretty: boolean): PinoLogger {
  const pino = require('pino') as typeof import('pino').default;
  const options: LoggerOptions = {
    level,
    base: undefined,
    redact: { paths: REDACT, censor: '[redacted]' },
    hooks: {
      // Defence in depth: a secret that reaches a message by accident is masked all the same.
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? scrub(a) : a)) as Parameters<typeof method>);
      },
    },
  };
  if (!pretty) return pino(options, pino.destination({ fd: 2, sync: true }));
  const prettyStream = require('pino-pretty') as typeof import('pino-pretty').PinoPretty;
  return pino(options, prettyStream({ destination: 2, sync: true, colorize: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss' }));
}

/**
 * Logs go to stderr so stdout stays for the plan and `--json`: readable lines on a terminal,
 * JSON lines for a scheduled job's log file. Most runs log nothing at their level, so pino is
 * loaded only when a line is to be written: `plan` does not pay for it.
 */
export async function createLogger(level: LevelWithSilent, pretty = Boolean(process.stderr.isTTY)): Promise<Logger> {
  const threshold = LOG_LEVELS.indexOf(level);
  let real: PinoLogger | undefined;
  const logger = {} as Logger;
  for (const [rank, method] of METHODS.entries()) {
    logger[method] = ((...args: unknown[]) => {
      if (rank < threshold) return;
      real ??= pinoLogger(level, pretty);
      (real[method] as (...a: unknown[]) => void)(...args);
    }) as Logger[typeof method];
  }
  return logger;
}
