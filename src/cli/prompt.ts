import { createInterface } from 'node:readline';
import { Interrupted } from '../util/errors.js';

/** Is there a person to ask? */
export function interactive(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

/**
 * Ask one line on the terminal; with `hidden`, what is typed is not echoed. Ctrl-D answers
 * nothing (so "no"); Ctrl-C, or `signal` (SIGTERM, SIGHUP: see stopOnInterrupt), stops the run.
 */
export function ask(question: string, hidden = false, signal?: AbortSignal): Promise<string> {
  const output = process.stderr;
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  if (hidden) {
    // readline echoes through _writeToOutput; past the question, echo nothing.
    const echo = rl as unknown as { _writeToOutput: (text: string) => void };
    echo._writeToOutput = (text: string) => {
      if (text.startsWith(question)) output.write(question);
    };
  }
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (settle: () => void) => {
      if (done) return;
      done = true;
      output.write('\n');
      settle();
      rl.close();
    };
    const stop = (how: string) => () => finish(() => reject(new Interrupted(`interrupted${how} at the prompt; nothing was booked`)));
    rl.on('SIGINT', stop(' (Ctrl-C)'));
    const stopped = stop('');
    if (signal?.aborted) stopped();
    signal?.addEventListener('abort', stopped, { once: true });
    rl.on('close', () => {
      signal?.removeEventListener('abort', stopped);
      finish(() => resolve(''));
    });
    rl.question(question, (answer) => {
      if (done) return;
      done = true;
      if (hidden) output.write('\n');
      resolve(answer);
      rl.close();
    });
  });
}

export async function confirm(question: string, signal?: AbortSignal): Promise<boolean> {
  return /^y(es)?$/i.test((await ask(`${question} [y/N] `, false, signal)).trim());
}
