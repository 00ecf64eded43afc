import pino, { type Logger, type LevelWithSilent } from 'pino';
import { scrub } from './secrets.js';

export type { Logger };
export const LOG_LEVELS: readonly LevelWithSilent[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

const REDACT = ['password', '*.password', 'credentials', '*.credentials', 'headers.cookie', 'headers.authorization'];

/**
 * Logs go to stderr so stdout stays for the plan and `--json`: readable lines on a terminal,
 * JSON lines for a scheduled job's log file.
 */
export async function createLogger(level: LevelWithSilent, pretty = Boolean(process.stderr.isTTY)): Promise<Logger> {
  const options: pino.LoggerOptions = {
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
  const { default: prettyStream } = await import('pino-pretty');
  return pino(options, prettyStream({ destination: 2, sync: true, colorize: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss' }));
}
