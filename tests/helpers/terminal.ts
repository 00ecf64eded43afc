import { spawn } from 'node:child_process';
import { BIN, tempDir } from './cli.js';

export interface Answer {
  when: RegExp;
  send: string;
  /** Done just before answering: what happens in ESR while the person thinks. */
  before?: () => void;
}

/**
 * Run the bin on a real pseudo-terminal (util-linux `script`), answering each prompt when it shows,
 * as a person at the keyboard would. Returns everything the terminal showed.
 */
export function runOnTerminal(args: string[], env: Record<string, string>, answers: Answer[]): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TERM: 'dumb', TZ: 'Europe/London', ...env },
    cwd: tempDir('ebh-cwd-'),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  const pending = [...answers];
  const onData = (chunk: Buffer) => {
    screen += chunk.toString();
    const next = pending[0];
    if (next && next.when.test(screen)) {
      pending.shift();
      next.before?.();
      child.stdin.write(next.send);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, screen });
    }),
  );
}
