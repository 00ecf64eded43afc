import { Command, Option } from 'commander';
import type { Config } from '../config/schema.js';
import { plainText, type Layer } from '../config/layers.js';
import { closeStarted, startOptionsFor, startBrowser, type StartedBrowser } from '../esr/browser.js';
import type { LoginMethod } from '../esr/session.js';
import type { SyncMode, SyncReport } from '../sync/report.js';
import { ExpectedError, EXIT, Interrupted } from '../util/errors.js';
import { scrub } from '../util/secrets.js';
import { allOptions, createContext, readLayers, type Context, type GlobalOptions } from './context.js';
import { stopOnInterrupt } from './interrupt.js';
import { addPlanningOptions, planningChoices, planningConfigFlags, type PlanningFlags } from './planning-options.js';

interface SyncFlags extends GlobalOptions, PlanningFlags {
  assignment?: string;
  dryRun?: boolean;
  rehearse?: boolean;
  yes?: boolean;
  headed?: boolean;
  login?: 'password' | 'manual';
}

/** Options of `sync` that `demo` and `doctor` share. */
export function addBrowserOptions(command: Command): Command {
  return command
    .option('--headed', 'show the browser window')
    .addOption(new Option('--login <how>', 'password: from ESR_USERNAME/ESR_PASSWORD, .env or a prompt; manual: you log in yourself in the window').choices(['password', 'manual']));
}

/** Config flags of the browser options. */
export function browserConfigFlags(options: { headed?: boolean | undefined; login?: 'password' | 'manual' | undefined }) {
  return { login: options.login, headless: options.headed ? false : undefined };
}

/** A manual login needs a window, whether it was asked for by flag or in a config file. */
export function headlessFor(config: Pick<Config, 'headless' | 'login'>): boolean {
  return config.headless && config.login !== 'manual';
}

/**
 * The headless browser the config's layers name, read before the config is checked, if they name
 * it as the check would pass it unchanged; else undefined, and the browser starts once the config is
 * checked. A window (`--headed`, a manual login) is not opened for a config that may yet be refused.
 */
export function browserNamedIn(merged: Layer): { configured: string | undefined; headless: true } | undefined {
  const { browser, headless, login } = merged;
  if (!plainText(browser)) return undefined;
  if (headless !== true || login !== 'password') return undefined;
  return { configured: browser, headless };
}

/**
 * Start the browser as early as can be: on the browser the config's layers name, while those same
 * layers are checked (which loads zod, the longest wait before a browser could start), its page sent
 * to ESR only once the check has passed; a config that fails it closes the browser unused. Resolves
 * with the checked context and the browser starting.
 */
async function contextAndBrowser(options: SyncFlags, flags: Layer): Promise<{ context: Context; browser: Promise<StartedBrowser> }> {
  const { env, layers } = await readLayers(options, flags);
  const named = browserNamedIn(layers.merged);
  const checking = createContext(options, flags, env, { dotenv: false, layers });
  if (!named) {
    const context = await checking;
    return { context, browser: startBrowser(context.config.browser, headlessFor(context.config), startOptionsFor(context.config)) };
  }
  const browser = startBrowser(named.configured, named.headless, checking.then((context) => startOptionsFor(context.config)));
  browser.catch(() => undefined);
  try {
    return { context: await checking, browser };
  } catch (error) {
    await closeStarted(browser);
    throw error;
  }
}

/** How to log in: a manual login needs no password. */
export async function loginFor(context: { config: { login: 'password' | 'manual' }; env: NodeJS.ProcessEnv }, signal?: AbortSignal): Promise<LoginMethod> {
  if (context.config.login === 'manual') return { kind: 'manual' };
  const [{ resolveCredentials }, { ask, interactive }] = await Promise.all([import('../config/credentials.js'), import('./prompt.js')]);
  const asking = interactive() ? { ask: (question: string, hidden: boolean) => ask(question, hidden, signal) } : {};
  return { kind: 'password', credentials: await resolveCredentials({ env: context.env, ...asking }) };
}

/** What the sync needs once the browser is on its way: loaded after it starts, not before. */
async function afterStart() {
  const [views, table, terminal, notify, prompt, run] = await Promise.all([
    import('../views/json.js'),
    import('../views/table.js'),
    import('../views/terminal.js'),
    import('./notify.js'),
    import('./prompt.js'),
    import('../sync/run.js'),
  ]);
  return { ...views, ...table, ...terminal, ...notify, ...prompt, ...run };
}

function modeOf(options: SyncFlags): SyncMode {
  return options.dryRun ? 'dry-run' : options.rehearse ? 'rehearse' : 'book';
}

/** The report's views: the JSON document on stdout, or the summary lines for a person. */
function show(report: SyncReport, context: Context, { syncDocument, syncSummaryLines }: Awaited<ReturnType<typeof afterStart>>): void {
  if (context.json) process.stdout.write(`${JSON.stringify(syncDocument(report), null, 2)}\n`);
  for (const line of syncSummaryLines(report)) context.out(line);
  // A run that ends badly says why on stderr too, in one line: that is what a scheduled job's log keeps.
  if (report.stopped && report.exitCode !== 0) process.stderr.write(`esr-bank-holidays: ${scrub(report.stopped)}\n`);
  if (report.declined === 'no-terminal') {
    const n = report.plan.items.filter((i) => i.action === 'book').length;
    process.stderr.write(`esr-bank-holidays: not booking: there is no terminal to confirm on; run again with --yes to book these ${n}\n`);
  }
}

export function syncCommand(): Command {
  const command = new Command('sync')
    .description('book the missing bank holidays of your leave year into ESR: plan, confirm, book, verify')
    .option('--assignment <id>', 'ESR assignment id (default: the one ESR has selected)')
    .option('--dry-run', 'log in, read ESR and show the plan; book nothing')
    .option('--rehearse', 'as --dry-run, and fill each form and Cancel it, to prove the forms work')
    .option('-y, --yes', 'book without asking (for scheduled runs)');
  addBrowserOptions(addPlanningOptions(command));
  return command.action(async (_options, cmd: Command) => {
    const options = allOptions<SyncFlags>(cmd);
    const mode = modeOf(options);
    // Signals are heard from before the browser starts, so it and its profile always go with the run.
    const interrupt = stopOnInterrupt();
    // The browser launches as soon as the config's layers say which one: checking the config, a login
    // prompt, the rest of the code and the feed then fill that wait instead of coming before it.
    let context: Context;
    let browser: Promise<StartedBrowser>;
    try {
      ({ context, browser } = await contextAndBrowser(options, { ...planningConfigFlags(options), ...browserConfigFlags(options) }));
    } catch (error) {
      interrupt.dispose();
      throw error;
    }
    // A failure to start is reported where the browser is needed, after the feed and the lock (runSync).
    browser.catch(() => undefined);
    let login: LoginMethod;
    let then: Awaited<ReturnType<typeof afterStart>>;
    try {
      then = await afterStart();
      login = await loginFor(context, interrupt.signal);
      if (interrupt.signal.aborted) throw new Interrupted('interrupted before the sync began; nothing was sent to ESR but the first page load');
    } catch (error) {
      interrupt.dispose();
      await closeStarted(browser);
      throw error;
    }
    const { runSync, notifyOutcome, interactive, confirm, terminalProgress } = then;
    let report: SyncReport | undefined;
    try {
      report = await runSync({
        context,
        choices: planningChoices(options),
        assignment: options.assignment,
        mode,
        yes: Boolean(options.yes),
        headless: headlessFor(context.config),
        login,
        confirm: interactive() ? (question: string) => confirm(question, interrupt.signal) : undefined,
        onEvent: terminalProgress(context.out, { showPlan: !context.json }),
        signal: interrupt.signal,
        browser,
      });
    } catch (error) {
      const exitCode = error instanceof ExpectedError ? error.exitCode : EXIT.failure;
      if (mode === 'book') await notifyOutcome(context, login, { exitCode, error });
      throw error;
    } finally {
      interrupt.dispose();
    }
    show(report, context, then);
    if (mode === 'book') await notifyOutcome(context, login, { exitCode: report.exitCode, report });
    process.exitCode = report.exitCode;
  });
}
