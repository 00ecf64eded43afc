/**
 * `npm run bench`: figures, not a test. `plan`'s cold start from a warm cache (and with the feed
 * 100 ms away, as GOV.UK may be), and for a fast and a
 * live-like ESR sandbox: a full sync of the ten 2026/27 holidays, the no-op re-run, the tool's own
 * time per booking and start-up to the first ESR request, each beside its goal (issue 11).
 * BENCH_RUNS sets the runs per profile (default 3); figures are medians.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findBrowser } from '../esr/browser.js';
import { DEMO_USER, startSandbox } from '../sandbox/server.js';
import { bookingGaps, isEsr, isSubmit, median, startUpMs, type BookingGap, type Profile } from './figures.js';
import { watchRequests } from './request-log.js';

// ESR_BROWSER benches a browser of your choice; unset, the one a headless sync finds.
const BROWSER_ENV: Record<string, string> = process.env.ESR_BROWSER ? { ESR_BROWSER: process.env.ESR_BROWSER } : {};
const BIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const RSS = fileURLToPath(new URL('./report-rss.cjs', import.meta.url));

const PROFILES: Profile[] = [
  { name: 'fast', latencyMs: 0, processingMs: 150 },
  // The live ESR's own time includes a dashboard reload after each submit (issue 11): the bench must pay for it too.
  { name: 'live-like', latencyMs: 250, processingMs: 1000, reloadAfterSubmit: true },
];
const GOALS = { ownPerBookingMs: 120, startUpMs: 500, planMs: 250 };
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS) || 3);
const PLAN_RUNS = 7;
const FAR_FEED_MS = 100;
const SYNC_ARGS = ['sync', '--yes', '--today', '2026-04-01', '--log-level', 'warn'];

interface Timed {
  /** performance.now() just before the process was spawned. */
  started: number;
  ms: number;
  code: number | null;
  rssMiB: number;
  /** The node process's CPU time, user and system: not the browser's. */
  cpuMs: number;
  lines: string[];
}

/** `tool`: run the tool with these arguments; false, run Node with them alone. */
function run(args: string[], env: Record<string, string>, tool = true): Promise<Timed> {
  const rssFile = join(mkdtempSync(join(tmpdir(), 'ebh-bench-')), 'rss');
  const started = performance.now();
  const child = spawn(process.execPath, ['--require', RSS, ...(tool ? [BIN] : []), ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', BENCH_RSS_FILE: rssFile, ...BROWSER_ENV, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve) =>
    child.on('close', (code) => {
      let usage = { maxRssKiB: NaN, cpuMs: NaN };
      try {
        usage = JSON.parse(readFileSync(rssFile, 'utf8')) as typeof usage;
      } catch {
        // the child died before it could say
      }
      const ms = performance.now() - started;
      resolve({ started, ms, code, rssMiB: usage.maxRssKiB / 1024, cpuMs: usage.cpuMs, lines: stdout.split('\n') });
    }),
  );
}

const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : 'n/a');
const row = (label: string, value: string, goal = '') => `  ${label.padEnd(32)}${value.padStart(9)}${goal ? `   ${goal}` : ''}`;
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

/** `plan` from a warm cache, PLAN_RUNS times, with the feed answering after `feedLatencyMs`. */
async function timePlan(feedLatencyMs: number): Promise<{ times: number[]; cpu: number[]; rss: number }> {
  const sandbox = await startSandbox(feedLatencyMs ? { faults: { latencyMs: feedLatencyMs } } : {});
  const env = { BANK_HOLIDAYS_URL: `${sandbox.url}/bank-holidays.json`, ESR_STATE_DIR: mkdtempSync(join(tmpdir(), 'ebh-bench-')) };
  const args = ['plan', '--today', '2026-04-01', '--log-level', 'warn'];
  await run(args, env); // warms the cache; later runs get 304
  const times: number[] = [];
  const cpu: number[] = [];
  let rss = 0;
  for (let i = 0; i < PLAN_RUNS; i += 1) {
    const result = await run(args, env);
    times.push(result.ms);
    cpu.push(result.cpuMs);
    rss = Math.max(rss, result.rssMiB);
  }
  await sandbox.close();
  return { times, cpu, rss };
}

async function benchPlan(): Promise<void> {
  const { times, cpu, rss } = await timePlan(0);
  // The feed as far away as GOV.UK may be: its round trip overlaps the loading of zod and the config check.
  const far = await timePlan(FAR_FEED_MS);
  // Node's own start on the machine as it is now: this machine's speed drifts by a fifth within the hour.
  const bare: number[] = [];
  for (let i = 0; i < PLAN_RUNS; i += 1) bare.push((await run(['-e', '0'], {}, false)).ms);
  console.log(`plan, cold start to table printed, warm feed cache (${PLAN_RUNS} runs)`);
  console.log(row('median', ms(median(times)), `goal <= ${GOALS.planMs} ms`));
  console.log(row('best', ms(Math.min(...times))));
  console.log(row('CPU time, median', ms(median(cpu)), '(user + system: less swayed by other work than wall time)'));
  console.log(row('peak RSS', `${rss.toFixed(0)} MiB`));
  console.log(row(`the feed ${FAR_FEED_MS} ms away, median`, ms(median(far.times)), `(GOV.UK over a slow link; CPU time ${ms(median(far.cpu))})`));
  console.log(row('Node alone (node -e 0), median', ms(median(bare)), '(the machine right now: the part of plan no tool can shed)'));
}

interface SyncRun {
  full: Timed;
  rerun: Timed;
  booked: number;
  gaps: BookingGap[];
  startUps: number[];
  submits: number;
  esrRequests: number;
}

async function syncOnce(profile: Profile): Promise<SyncRun & { source: string }> {
  const sandbox = await startSandbox({
    faults: { latencyMs: profile.latencyMs, processingMs: profile.processingMs, reloadAfterSubmit: Boolean(profile.reloadAfterSubmit) },
  });
  const log = watchRequests(sandbox);
  const env = {
    ESR_URL: sandbox.url,
    BANK_HOLIDAYS_URL: `${sandbox.url}/bank-holidays.json`,
    ESR_STATE_DIR: mkdtempSync(join(tmpdir(), 'ebh-bench-')),
    ESR_USERNAME: DEMO_USER.username,
    ESR_PASSWORD: DEMO_USER.password,
  };
  try {
    let mark = log.mark();
    const full = await run(SYNC_ARGS, env);
    const fullRequests = log.since(mark);
    mark = log.mark();
    const rerun = await run(SYNC_ARGS, env);
    const rerunRequests = log.since(mark);
    return {
      source: log.source,
      full,
      rerun,
      booked: full.lines.filter((l) => /^\[\d+\/\d+\] .* booked$/.test(l)).length,
      gaps: bookingGaps(fullRequests, profile),
      startUps: [startUpMs(fullRequests, full.started), startUpMs(rerunRequests, rerun.started)],
      submits: fullRequests.filter(isSubmit).length,
      esrRequests: fullRequests.filter(isEsr).length,
    };
  } finally {
    log.stop();
    await sandbox.close();
  }
}

async function benchSync(profile: Profile): Promise<void> {
  const runs: SyncRun[] = [];
  let source = '';
  for (let i = 0; i < RUNS; i += 1) {
    const result = await syncOnce(profile);
    source = result.source;
    runs.push(result);
  }
  const gaps = runs.flatMap((r) => r.gaps);
  const codes = (pick: (r: SyncRun) => Timed) => [...new Set(runs.map((r) => pick(r).code))].join(',');
  console.log(
    `\n${profile.name} ESR (${profile.latencyMs} ms latency on every response, ${profile.processingMs} ms processing a request` +
      `${profile.reloadAfterSubmit ? ', the dashboard reloaded after each submit' : ''}): ${RUNS} run${RUNS > 1 ? 's' : ''}, medians`,
  );
  console.log(row(`full sync, ${median(runs.map((r) => r.booked))} bookings`, ms(median(runs.map((r) => r.full.ms))), `exit ${codes((r) => r.full)}`));
  console.log(row('no-op re-run', ms(median(runs.map((r) => r.rerun.ms))), `exit ${codes((r) => r.rerun)}`));
  console.log(row('own time per booking', ms(median(gaps.map((g) => g.ownMs))), `goal <= ${GOALS.ownPerBookingMs} ms`));
  console.log(
    `    submit to next submit ${ms(median(gaps.map((g) => g.wallMs)))}, of which ESR ${ms(median(gaps.map((g) => g.esrMs)))}; ` +
      `ESR requests per booking ${median(gaps.map((g) => g.requests))}; own time worst ${ms(Math.max(...gaps.map((g) => g.ownMs)))}`,
  );
  console.log(row('start-up to first ESR request', ms(median(runs.flatMap((r) => r.startUps))), `goal <= ${GOALS.startUpMs} ms`));
  console.log(
    `    ESR requests in a full sync ${median(runs.map((r) => r.esrRequests))} (${median(runs.map((r) => r.submits))} submits); ` +
      `node CPU ${ms(median(runs.map((r) => r.full.cpuMs)))} (re-run ${ms(median(runs.map((r) => r.rerun.cpuMs)))}); ` +
      `peak RSS ${median(runs.map((r) => r.full.rssMiB)).toFixed(0)} MiB; requests seen by ${source}`,
  );
}

// Other work on the machine slows every figure: say how busy it was.
console.log(`${availableParallelism()} cores, load average at start ${load()}; browser ${findBrowser({ configured: process.env.ESR_BROWSER, headless: true }).description}\n`);
await benchPlan();
for (const profile of PROFILES) await benchSync(profile);
console.log(`\nload average at end ${load()}. The issue's ratios are against the seed's script, which is not here: absolute figures only.`);
