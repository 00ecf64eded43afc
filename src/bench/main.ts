/**
 * `npm run bench`: figures, not a test. Plan's cold start with a warm feed cache, and a full
 * sync of the ten 2026/27 holidays against the sandbox with 150 ms processing per request.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_USER, startSandbox } from '../sandbox/server.js';

const BIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const RSS = fileURLToPath(new URL('./report-rss.js', import.meta.url));
const PROCESSING_MS = 150;

interface Timed {
  ms: number;
  code: number | null;
  rssMiB: number;
  /** When each stdout line arrived, ms from the start. */
  lines: Array<{ at: number; text: string }>;
}

function run(args: string[], env: Record<string, string>): Promise<Timed> {
  const rssFile = join(mkdtempSync(join(tmpdir(), 'ebh-bench-')), 'rss');
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', RSS, BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', BENCH_RSS_FILE: rssFile, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Timed['lines'] = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const text of parts) lines.push({ at: performance.now() - started, text });
  });
  return new Promise((resolve) =>
    child.on('close', (code) => {
      let rssMiB = 0;
      try {
        rssMiB = Number(readFileSync(rssFile, 'utf8')) / 1024;
      } catch {
        // the child died before it could say
      }
      resolve({ ms: performance.now() - started, code, rssMiB, lines });
    }),
  );
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const f = (ms: number) => `${Math.round(ms)} ms`;

async function benchPlan(): Promise<void> {
  const sandbox = await startSandbox();
  const env = { BANK_HOLIDAYS_URL: `${sandbox.url}/bank-holidays.json`, ESR_STATE_DIR: mkdtempSync(join(tmpdir(), 'ebh-bench-')) };
  const args = ['plan', '--today', '2026-04-01', '--log-level', 'warn'];
  await run(args, env); // warms the cache; later runs get 304
  const times: number[] = [];
  let rss = 0;
  for (let i = 0; i < 7; i += 1) {
    const result = await run(args, env);
    times.push(result.ms);
    rss = Math.max(rss, result.rssMiB);
  }
  await sandbox.close();
  console.log(`plan, cold start with a warm cache (7 runs): median ${f(median(times))}, best ${f(Math.min(...times))} (goal <= 600 ms); peak RSS ${rss.toFixed(0)} MiB`);
}

async function benchSync(): Promise<void> {
  const sandbox = await startSandbox({ faults: { processingMs: PROCESSING_MS } });
  const env = {
    ESR_URL: sandbox.url,
    BANK_HOLIDAYS_URL: `${sandbox.url}/bank-holidays.json`,
    ESR_STATE_DIR: mkdtempSync(join(tmpdir(), 'ebh-bench-')),
    ESR_USERNAME: DEMO_USER.username,
    ESR_PASSWORD: DEMO_USER.password,
  };
  const args = ['sync', '--yes', '--today', '2026-04-01', '--log-level', 'warn'];
  const full = await run(args, env);
  const progress = full.lines.filter((l) => /^\[\d+\/\d+\]/.test(l.text));
  const planShown = full.lines.find((l) => l.text.startsWith('Leave year '));
  const bookings = progress.length;
  const perBooking = bookings && planShown ? (progress.at(-1)!.at - planShown.at) / bookings : NaN;
  const rerun = await run(args, env);
  await sandbox.close();
  console.log(`sync, full (${bookings} bookings, ${PROCESSING_MS} ms processing each): ${f(full.ms)} wall (goal <= 4000 ms), exit ${full.code}`);
  console.log(`  per booking ${f(perBooking)}; overhead beyond processing ${f(perBooking - PROCESSING_MS)} (goal <= 150 ms)`);
  console.log(`  start-up to plan shown (browser, login, read): ${f(planShown?.at ?? NaN)}`);
  console.log(`sync, no-op re-run: ${f(rerun.ms)} wall (goal <= 2000 ms), exit ${rerun.code}`);
  console.log(`peak RSS of the node process: full ${full.rssMiB.toFixed(0)} MiB, re-run ${rerun.rssMiB.toFixed(0)} MiB`);
}

await benchPlan();
await benchSync();
