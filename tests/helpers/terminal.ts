import { execFileSync, spawn } from 'node:child_process';
import { BIN, tempDir } from './cli.js';

export interface Answer {
  when: RegExp;
  /** Typed on the terminal. */
  send?: string;
  /** Sent to the tool's process instead, as a scheduler or the system would. */
  signal?: NodeJS.Signals;
  /** Close the terminal instead (its window shut, the SSH link dropped): the tool gets SIGHUP and its output has nowhere to go. */
  hangUp?: boolean;
  /** Done just before answering: what happens in ESR while the person thinks. */
  before?: () => void;
}

/** The tool's process: the node process under `script` running the bin. */
function toolPid(root: number): number | undefined {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }));
  const under = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of rows) if (under.has(row.ppid) && !under.has(row.pid)) grew = Boolean(under.add(row.pid));
  }
  return rows.find((row) => under.has(row.pid) && row.args.startsWith(process.execPath) && row.args.includes(BIN))?.pid;
}

/**
 * Run the bin on a real pseudo-terminal (util-linux `script`), answering each prompt when it shows,
 * as a person at the keyboard would. Returns everything the terminal showed.
 */
export function runOnTerminal(
  args: string[],
  env: Record<string, string>,
  answers: Answer[],
): Promise<{ code: number | null; screen: string; toolPid: number | undefined }> {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TERM: 'dumb', TZ: 'Europe/London', ...env },
    cwd: tempDir('ebh-cwd-'),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  let tool: number | undefined;
  const pending = [...answers];
  const onData = (chunk: Buffer) => {
    screen += chunk.toString();
    const next = pending[0];
    if (next && next.when.test(screen)) {
      pending.shift();
      next.before?.();
      tool ??= toolPid(child.pid!);
      if (next.send !== undefined) child.stdin.write(next.send);
      if (next.signal && tool) process.kill(tool, next.signal);
      if (next.hangUp) child.kill('SIGKILL');
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, screen, toolPid: tool });
    }),
  );
}
