import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from './cli.js';

/** The sandbox as its own process, so a test can make ESR go away and come back. */
export interface SandboxProcess {
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  stop: () => Promise<void>;
}

export function startSandboxProcess(args: string[]): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [BIN, 'sandbox', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /ESR sandbox at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) {
        resolve({
          url: match[1]!,
          child,
          exited,
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    child.on('exit', (code) => reject(new Error(`sandbox exited (${code}) before it was ready: ${out}`)));
  });
}
