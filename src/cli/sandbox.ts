import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { validateFeed } from '../holidays/feed.js';
import { DEMO_USER, startSandbox, type Faults } from '../sandbox/server.js';
import type { Seed } from '../sandbox/store.js';

const whole = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
};
const positive = (value: string) => {
  const n = whole(value);
  if (n === 0) throw new InvalidArgumentError('must be 1 or more');
  return n;
};
const list = (value: string) => value.split(',').map(whole);
const DATE_FORMATS: Array<Faults['dateFormat']> = ['dd/mm/yyyy', 'd/m/yyyy', 'dd-Mon-yyyy', 'locale'];

interface SandboxFlags {
  port: number;
  state?: string;
  seed?: string;
  feed?: string;
  latency: number;
  processing: number;
  refuseLogin?: boolean;
  transient?: number[];
  savedButFailed?: number[];
  expireAfter?: number;
  exitAfter?: number;
  hideAbsences?: boolean;
  alternateAbsences?: boolean;
  reload?: boolean;
  dateFormat: Faults['dateFormat'];
  extraColumns?: boolean;
  pageSize?: number;
  absencesPage?: boolean;
  emptyListText?: boolean;
  overlapRefusal: boolean;
  refuseLoginAfter?: number;
  hideNewAbsences?: boolean;
}

/** `sandbox`: the local ESR that the tests and the demo use, for running by hand. */
export function sandboxCommand(): Command {
  return new Command('sandbox')
    .description('run the local ESR sandbox (for trying the tool and for tests; nothing real)')
    .option('--port <n>', 'port on 127.0.0.1 (0: any free one)', whole, 0)
    .option('--state <file>', 'JSON file of its absences, kept across restarts')
    .option('--seed <file>', 'JSON list of absences to start a new state file with')
    .option('--feed <file>', 'bank holiday feed to serve at /bank-holidays.json (default: the bundled snapshot)')
    .option('--latency <ms>', 'delay every response', whole, 0)
    .option('--processing <ms>', 'how long a leave request processes', whole, 0)
    .option('--refuse-login', 'refuse every login')
    .option('--transient <n,...>', 'submits (counted from 1) that fail with a transient error', list)
    .option('--saved-but-failed <n,...>', 'submits that are saved but answered with a transient error', list)
    .option('--expire-after <n>', 'end a session after n submits', whole)
    .option('--exit-after <n>', 'exit after n submits, the last saved but not answered', whole)
    .option('--hide-absences', 'do not show the absence list')
    .option('--alternate-absences', 'show the absence list under another selector (#absence-list-v2)')
    .option('--reload', 'reload the whole dashboard after each request instead of updating it in place')
    .addOption(new Option('--date-format <format>', 'how the absence list writes dates (the form still takes dd/mm/yyyy); locale: written in the page by the browser’s locale').choices(DATE_FORMATS).default('dd/mm/yyyy'))
    .option('--extra-columns', 'list absence type, hours and comments too, as ESR\'s other screens do')
    .option('--page-size <n>', 'split the absence list into pages of n rows, sorted by start date, with a "Next" link', positive)
    .option('--absences-page', 'show the absence list on a page of its own (/dashboard/web/absences), linked from the dashboard')
    .option('--empty-list-text', 'show "No results found." instead of an empty absence list')
    .option('--no-overlap-refusal', 'save a request that overlaps an existing absence instead of refusing it')
    .option('--refuse-login-after <n>', 'refuse every login after n successful ones', whole)
    .option('--hide-new-absences', 'save requests but never list the absences saved since the sandbox started')
    .action(async (flags: SandboxFlags) => {
      const faults: Partial<Faults> = {
        latencyMs: flags.latency,
        processingMs: flags.processing,
        refuseLogin: Boolean(flags.refuseLogin),
        transientSubmits: flags.transient ?? [],
        savedButFailedSubmits: flags.savedButFailed ?? [],
        expireSessionAfterSubmits: flags.expireAfter ?? null,
        exitAfterSubmits: flags.exitAfter ?? null,
        absenceList: flags.hideAbsences ? 'hidden' : flags.alternateAbsences ? 'alternate' : 'default',
        reloadAfterSubmit: Boolean(flags.reload),
        dateFormat: flags.dateFormat,
        extraColumns: Boolean(flags.extraColumns),
        pageSize: flags.pageSize ?? null,
        absencesPage: Boolean(flags.absencesPage),
        emptyListText: Boolean(flags.emptyListText),
        refuseOverlaps: flags.overlapRefusal,
        refuseLoginAfter: flags.refuseLoginAfter ?? null,
        hideNewAbsences: Boolean(flags.hideNewAbsences),
      };
      const sandbox = await startSandbox({
        port: flags.port,
        ...(flags.state ? { stateFile: flags.state } : {}),
        ...(flags.seed ? { seed: JSON.parse(readFileSync(flags.seed, 'utf8')) as Seed[] } : {}),
        ...(flags.feed ? { feed: validateFeed(JSON.parse(readFileSync(flags.feed, 'utf8'))) } : {}),
        faults,
        onExit: () => process.exit(0),
      });
      process.stdout.write(
        `ESR sandbox at ${sandbox.url}/dashboard/web/ (user ${DEMO_USER.username}, password ${DEMO_USER.password}); feed at ${sandbox.url}/bank-holidays.json; state in ${sandbox.store.path}\n`,
      );
      const stop = () => void sandbox.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
