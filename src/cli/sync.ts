import { Command, Option } from 'commander';
import { resolveCredentials } from '../config/credentials.js';
import type { LoginMethod } from '../esr/session.js';
import { allOptions, createContext, type GlobalOptions } from './context.js';
import { addPlanningOptions, planningConfigFlags, type PlanningFlags } from './planning-options.js';
import { ask, confirm, interactive } from './prompt.js';

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

/** Config flags of the browser options: a manual login needs a window. */
export function browserConfigFlags(options: { headed?: boolean | undefined; login?: 'password' | 'manual' | undefined }) {
  return { login: options.login, headless: options.headed || options.login === 'manual' ? false : undefined };
}

/** How to log in: a manual login needs no password. */
export async function loginFor(context: { config: { login: 'password' | 'manual' }; env: NodeJS.ProcessEnv }): Promise<LoginMethod> {
  if (context.config.login === 'manual') return { kind: 'manual' };
  return { kind: 'password', credentials: await resolveCredentials({ env: context.env, ...(interactive() ? { ask } : {}) }) };
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
    const context = await createContext(options, { ...planningConfigFlags(options), ...browserConfigFlags(options) });
    const { runSync } = await import('../sync/run.js');
    const { exitCode } = await runSync({
      context,
      planning: options,
      assignment: options.assignment,
      mode: options.dryRun ? 'dry-run' : options.rehearse ? 'rehearse' : 'book',
      yes: Boolean(options.yes),
      headless: context.config.headless,
      login: await loginFor(context),
      confirm: interactive() ? confirm : undefined,
    });
    process.exitCode = exitCode;
  });
}
