import { readFileSync } from 'node:fs';
import { Command, Help, Option } from 'commander';
import { LOG_LEVELS } from '../util/logger.js';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

interface CommandEntry {
  description: string;
  load: () => Promise<Command>;
}

/**
 * Every command, with the description the top-level help shows. A command's module (and all it
 * imports: the browser driver, the sandbox, the feed client) is loaded only when that command runs
 * or its help is asked for: `plan` must not pay for `sync`. Each description must equal the one in
 * the command's own module (a test holds them together).
 */
export const COMMANDS: Record<string, CommandEntry> = {
  plan: {
    description: 'show the bank holidays of your leave year and which would be booked (no ESR)',
    load: async () => (await import('./plan.js')).planCommand(),
  },
  sync: {
    description: 'book the missing bank holidays of your leave year into ESR: plan, confirm, book, verify',
    load: async () => (await import('./sync.js')).syncCommand(),
  },
  demo: {
    description:
      'book a leave year of bank holidays into the local ESR sandbox, twice, to see how it works (nothing real is touched)',
    load: async () => (await import('./demo.js')).demoCommand(),
  },
  doctor: {
    description:
      'check Node, the browser, config, state directory and the GOV.UK feed (with --esr: log in and read, change nothing)',
    load: async () => (await import('./doctor.js')).doctorCommand(),
  },
  schedule: {
    description:
      'print ready-to-paste cron, systemd and Windows Task Scheduler entries that run sync --yes at the leave-year reset',
    load: async () => (await import('./schedule.js')).scheduleCommand(),
  },
  sandbox: {
    description: 'run the local ESR sandbox (for trying the tool and for tests; nothing real)',
    load: async () => (await import('./sandbox.js')).sandboxCommand(),
  },
};

function addGlobalOptions(command: Command): Command {
  return command
    .option('--config <file>', 'JSON config file (also ESR_CONFIG)')
    .addOption(new Option('--log-level <level>', 'log detail on stderr').choices(LOG_LEVELS).default('info'))
    .option('--json', 'print one JSON document on stdout');
}

/**
 * The commands the arguments name: the one to run, or the one `help <command>` asks about.
 * Commander itself reads the global options, so `--config plan sync` runs sync.
 */
export function commandsNamed(args: readonly string[]): string[] {
  const probe = addGlobalOptions(new Command())
    .helpOption(false)
    .allowUnknownOption()
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  for (const name of [...Object.keys(COMMANDS), 'help']) probe.command(name);
  let operands: string[];
  try {
    ({ operands } = probe.parseOptions([...args]));
  } catch {
    // A bad global option: the real parse reports it before any command would run.
    return [];
  }
  const [first, second] = operands;
  const named = first === 'help' ? second : first;
  return named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : [];
}

/** The program for these arguments (as process.argv): the command they name loaded in full, the others as names in the help. */
export async function buildProgram(argv: readonly string[] = process.argv): Promise<Command> {
  const program = addGlobalOptions(
    new Command('esr-bank-holidays')
      .description('Book the bank holidays of your NHS leave year into ESR as annual leave, once each.')
      .version(packageJson.version, '-V, --version'),
  )
    .configureHelp({
      showGlobalOptions: true,
      // Every command has options, loaded or not, so the list reads the same either way.
      subcommandTerm: (command) =>
        Object.hasOwn(COMMANDS, command.name()) ? `${command.name()} [options]` : new Help().subcommandTerm(command),
    })
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const wanted = new Set(commandsNamed(argv.slice(2)));
  for (const [name, entry] of Object.entries(COMMANDS)) {
    const command = wanted.has(name)
      ? await entry.load()
      : new Command(name).description(entry.description).action(() => {
          throw new Error(`the ${name} command ran without being loaded`);
        });
    program.addCommand(command.copyInheritedSettings(program));
  }
  return program;
}
