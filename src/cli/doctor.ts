import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { formatDistanceStrict } from 'date-fns/formatDistanceStrict';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { ensureStateDir, stateDirFor } from '../config/state-dir.js';
import { fetchFeed } from '../holidays/client.js';
import { readCache } from '../holidays/source.js';
import { SNAPSHOT_DATE } from '../holidays/snapshot.js';
import { localToday } from '../planning/dates.js';
import { inLeaveYear, leaveYearContaining } from '../planning/leave-year.js';
import { createLogger } from '../util/logger.js';
import { allOptions, environmentWithDotEnv, type GlobalOptions } from './context.js';
import { isBankHoliday } from '../planning/plan.js';
import { addBrowserOptions, browserConfigFlags, headlessFor, loginFor } from './sync.js';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** What to do when it failed. */
  fix?: string;
  /** The ESR check's findings, key by key, for --json. */
  esr?: unknown;
}

interface DoctorFlags extends GlobalOptions {
  esr?: boolean;
  notify?: boolean;
  headed?: boolean;
  login?: 'password' | 'manual';
}

async function check(name: string, run: () => Promise<string> | string, fix: string): Promise<Check> {
  try {
    return { name, ok: true, detail: await run() };
  } catch (error) {
    return { name, ok: false, detail: (error as Error).message, fix };
  }
}

function nodeCheck(): Check {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const ok = major > 20 || (major === 20 && minor >= 19);
  return ok
    ? { name: 'node', ok, detail: `v${process.versions.node}` }
    : { name: 'node', ok, detail: `v${process.versions.node} is too old`, fix: 'install Node.js 20.19 or newer' };
}

/** `doctor`: check everything a sync needs, before the day it matters; changes nothing in ESR. */
export function doctorCommand(): Command {
  const command = new Command('doctor')
    .description('check Node, the browser, config, state directory and the GOV.UK feed (with --esr: log in and read, change nothing)')
    .option('--esr', 'also log in to ESR, list assignments and count this leave year’s absences, then log out')
    .option('--notify', 'also send a test notification to notify.url (ESR_NOTIFY_URL)');
  addBrowserOptions(command);
  return command.action(async (_options, cmd: Command) => {
    const options = allOptions<DoctorFlags>(cmd);
    const log = await createLogger(options.logLevel);
    const env = environmentWithDotEnv(process.env, log);
    const checks: Check[] = [nodeCheck()];

    let loaded: LoadedConfig | undefined;
    checks.push(
      await check(
        'config',
        () => {
          loaded = loadConfig({ configPath: options.config, env, flags: browserConfigFlags(options) });
          return `valid (config/default.json${loaded.file ? ` + ${loaded.file}` : ''})`;
        },
        'correct the key the message names (see README, Configuration)',
      ),
    );
    if (loaded) {
      const { config } = loaded;
      const stateDir = stateDirFor(config.stateDir, env);
      checks.push(
        await check(
          'state directory',
          () => {
            ensureStateDir(stateDir);
            const probe = join(stateDir, `.doctor-${process.pid}`);
            writeFileSync(probe, 'ok', { mode: 0o600 });
            unlinkSync(probe);
            return `${stateDir} is writable`;
          },
          'set ESR_STATE_DIR to a folder you can write',
        ),
      );
      checks.push(
        await check(
          'GOV.UK feed',
          async () => {
            await fetchFeed({ url: config.bankHolidaysUrl, timeoutMs: config.http.timeoutSeconds * 1000, tries: config.http.tries });
            const cached = readCache(stateDir);
            const cache = cached ? `cache ${formatDistanceStrict(new Date(cached.fetchedAt), new Date())} old` : 'no cache yet';
            return `${config.bankHolidaysUrl} reachable; ${cache}; bundled snapshot from ${SNAPSHOT_DATE}`;
          },
          'check the network or proxy; until then plan and sync use the cache, else the bundled snapshot',
        ),
      );
      checks.push(
        await check(
          'browser',
          async () => {
            const { startBrowser } = await import('../esr/browser.js');
            // The browser a sync would start: a headless run may take a headless shell, a manual login a window.
            const started = await startBrowser(config.browser, headlessFor(config));
            const { choice } = started;
            const version = started.browser.version();
            await started.close();
            return `${choice.description} (version ${version}) starts`;
          },
          'install Chrome, Edge or Chromium, or set ESR_BROWSER to one',
        ),
      );
      if (options.esr) checks.push(await esrCheck(config, stateDir, env, log));
      if (options.notify) checks.push(await notifyCheck(config.notify));
    }

    if (options.json) {
      process.stdout.write(`${JSON.stringify({ ok: checks.every((c) => c.ok), checks }, null, 2)}\n`);
    } else {
      const width = Math.max(...checks.map((c) => c.name.length));
      for (const c of checks) {
        process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(width)}  ${c.detail}${c.fix ? `\n      ${' '.repeat(width)}  -> ${c.fix}` : ''}\n`);
      }
    }
    process.exitCode = checks.every((c) => c.ok) ? 0 : 1;
  });
}

async function notifyCheck(settings: LoadedConfig['config']['notify']): Promise<Check> {
  const name = 'notification';
  if (!settings.url) {
    const fix = 'set ESR_NOTIFY_URL in the .env of the folder the job runs in, or notify.url in your config file';
    return { name, ok: false, detail: 'no notify.url is set', fix };
  }
  const { deliverNotification, receiverName } = await import('../notify/send.js');
  const to = receiverName(settings.url);
  const delivery = await deliverNotification(settings, {
    ok: true,
    exitCode: 0,
    text: 'esr-bank-holidays: test notification from doctor',
    report: null,
  });
  return delivery.ok
    ? { name, ok: true, detail: `test message delivered to ${to}; a sync notifies on ${settings.on}` }
    : {
        name,
        ok: false,
        detail: `could not deliver a test message to ${to}: ${delivery.reason}`,
        fix: 'check notify.url (ESR_NOTIFY_URL) and that the receiver accepts a JSON POST',
      };
}

const ESR_FIX = 'see the message; override the esr.selectors key it names (README, When ESR changes its page); run doctor --esr --headed to watch';

async function esrCheck(
  config: LoadedConfig['config'],
  stateDir: string,
  env: NodeJS.ProcessEnv,
  log: Awaited<ReturnType<typeof createLogger>>,
): Promise<Check> {
  const { EsrSession } = await import('../esr/session.js');
  const { Evidence } = await import('../esr/evidence.js');
  const { probeEsr } = await import('../esr/probe.js');
  const evidence = new Evidence(stateDir, undefined, config.sync.keepArtifactRuns, config.sync.traceSnapshots);
  let session;
  try {
    session = await EsrSession.open({ config, evidence, log, login: await loginFor({ config, env }), headless: headlessFor(config) });
  } catch (error) {
    return { name: 'ESR', ok: false, detail: (error as Error).message, fix: ESR_FIX };
  }
  try {
    const report = await probeEsr(session, config);
    await session.logout();
    const year = leaveYearContaining(localToday(), config.leaveYearStart);
    const current = report.assignment!;
    const list = report.absences
      ? (() => {
          const inYear = report.absences.filter((a) => inLeaveYear(a.start, year) || inLeaveYear(a.end, year));
          const bankHolidays = inYear.filter((a) => isBankHoliday(a, config.esr.texts));
          return `${current.label} has ${inYear.length} absences in leave year ${year.start} to ${year.end} (${bankHolidays.length} bank holiday); list read whole: ${report.absences.length} rows over ${report.pages} page${report.pages === 1 ? '' : 's'}`;
        })()
      : `the absence list of ${current.label} could not be read: ${report.listError}${report.candidates.length > 0 ? `; tables on that page with dates: ${report.candidates.join(', ')}` : '; no table on that page holds dates'}`;
    const keys = report.keys.map((k) => `${k.key} ${k.state}${k.state === 'matched' || k.state === 'attached' ? '' : k.note ? ` (${k.note})` : ''}`).join(', ');
    const missing = report.keys.filter((k) => k.state === 'missing').map((k) => `esr.selectors.${k.key}`);
    const detail = `logged in; assignments: ${report.assignments.map((a) => a.label).join(', ')}; ${list}; selectors: ${keys}; logged out, nothing changed`;
    if (report.ok) evidence.discard();
    return {
      name: 'ESR',
      ok: report.ok,
      detail,
      ...(report.ok ? {} : { fix: missing.length > 0 ? `override ${missing.join(', ')} in your config (README, When ESR changes its page)` : ESR_FIX }),
      esr: report,
    };
  } catch (error) {
    const where = await session.captureFailure('doctor');
    await session.logout();
    // After a refused login, trying again is what locks the account.
    const fix = (error as Error).name === 'LoginRefused' ? 'log in to ESR yourself to check the password before running anything again: ESR locks accounts' : ESR_FIX;
    return { name: 'ESR', ok: false, detail: `${(error as Error).message.split('\n')[0]}${where ? ` (evidence: ${where})` : ''}`, fix };
  } finally {
    await session.close();
  }
}
