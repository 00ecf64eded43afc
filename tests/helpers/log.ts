import pino, { type Logger } from 'pino';
import { Writable } from 'node:stream';

/** A logger whose lines a test can read. */
export function captureLogger(): { log: Logger; lines: () => Array<{ level: number; msg: string }> } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines: () => lines.map((l) => JSON.parse(l)) };
}
