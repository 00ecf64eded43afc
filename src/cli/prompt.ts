import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';

/** Is there a person to ask? */
export function interactive(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

/** Ask one line on the terminal; with `hidden`, what is typed is not echoed. */
export function ask(question: string, hidden = false): Promise<string> {
  const output = process.stderr;
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  if (hidden) {
    // readline echoes through _writeToOutput; past the question, echo nothing.
    const echo = rl as unknown as { _writeToOutput: (text: string) => void };
    echo._writeToOutput = (text: string) => {
      if (text.startsWith(question)) (output as Writable).write(question);
    };
  }
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      if (hidden) output.write('\n');
      rl.close();
      resolve(answer);
    });
  });
}

export async function confirm(question: string): Promise<boolean> {
  return /^y(es)?$/i.test((await ask(`${question} [y/N] `)).trim());
}
