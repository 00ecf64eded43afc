import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { holidaysOf } from '../holidays/feed.js';
import { loadSnapshot } from '../holidays/snapshot.js';
import { localToday } from '../planning/dates.js';
import { leaveYearContaining, leaveYearStarting } from '../planning/leave-year.js';
import { DEMO_USER, startSandbox } from '../sandbox/server.js';
import { outcomeCounts } from '../sync/report.js';
import { syncSummaryLines } from '../views/table.js';
import { terminalProgress } from '../views/terminal.js';
import { allOptions, createContext, type GlobalOptions } from './context.js';

interface DemoFlags extends GlobalOptions {
  headed?: boolean;
}

/** The newest leave year the bundled holidays cover in full, up to the one today is in. */
async function demoLeaveYear(leaveYearStart: string): Promise<number> {
  const dates = holidaysOf(await loadSnapshot(), 'england-and-wales').map((h) => h.date);
  const lastCovered = dates.reduce((a, b) => (a > b ? a : b));
  let year = Number(leaveYearContaining(localToday(), leaveYearStart).start.slice(0, 4));
  while (leaveYearStarting(year, leaveYearStart).end > lastCovered) year -= 1;
  return year;
}

/** `demo`: the real sync, twice, against the bundled ESR sandbox; no network, nothing real touched. */
export function demoCommand(): Command {
  return new Command('demo')
    .description('book a leave year of bank holidays into the local ESR sandbox, twice, to see how it works (nothing real is touched)')
    .option('--headed', 'show the browser window')
    .action(async (_options, cmd: Command) => {
      const options = allOptions<DemoFlags>(cmd);
      const stateDir = mkdtempSync(join(tmpdir(), 'esr-bank-holidays-demo-'));
      const sandbox = await startSandbox({ stateFile: join(stateDir, 'sandbox-esr.json') });
      try {
        // Built from scratch, not from the person's environment: a demo must never reach a real ESR.
        const env: NodeJS.ProcessEnv = {
          ESR_URL: sandbox.url,
          BANK_HOLIDAYS_URL: `${sandbox.url}/bank-holidays.json`,
          ESR_STATE_DIR: stateDir,
          ...(process.env.ESR_BROWSER ? { ESR_BROWSER: process.env.ESR_BROWSER } : {}),
        };
        const flags = { includePast: true, headless: options.headed ? false : undefined };
        const context = await createContext({ logLevel: options.logLevel }, flags, env, { dotenv: false });
        const year = await demoLeaveYear(context.config.leaveYearStart);
        context.out(`demo: an ESR sandbox is running at ${sandbox.url}/dashboard/web/ (user ${DEMO_USER.username}); nothing real is touched.`);
        const { runSync } = await import('../sync/run.js');
        const run = async () => {
          const report = await runSync({
            context,
            choices: { leaveYear: String(year) },
            mode: 'book',
            yes: true,
            headless: context.config.headless,
            login: { kind: 'password', credentials: { ...DEMO_USER } },
            onEvent: terminalProgress(context.out, { showPlan: true }),
          });
          for (const line of syncSummaryLines(report)) context.out(line);
          return { exitCode: report.exitCode, booked: outcomeCounts(report.results).booked };
        };
        context.out(`\ndemo: first run, sync --yes --leave-year ${year} --include-past\n`);
        const first = await run();
        context.out('\ndemo: second run, the same command again\n');
        const second = await run();
        context.out(
          `\ndemo: booked ${first.booked} bank holidays in the sandbox ESR; a second run booked ${second.booked}`,
        );
        process.exitCode = Math.max(first.exitCode, second.exitCode);
      } finally {
        await sandbox.close();
        rmSync(stateDir, { recursive: true, force: true });
      }
    });
}
