import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseIsoDate, type IsoDate } from '../planning/dates.js';
import type { PlanningChoices } from '../sync/inputs.js';

export interface PlanningFlags {
  today?: string;
  leaveYear?: string;
  leaveYearStart?: string;
  division?: string;
  workingDays?: string;
  includePast?: boolean;
  offline?: boolean;
  rebook?: IsoDate[];
  resend?: IsoDate[];
}

/** `--rebook 2026-05-04,2026-05-25`, repeatable: real dates only. */
function dates(value: string, previous: IsoDate[] = []): IsoDate[] {
  const parsed = value.split(',').map((d) => d.trim()).filter(Boolean);
  for (const d of parsed) if (!parseIsoDate(d)) throw new InvalidArgumentError(`${JSON.stringify(d)} is not a real date (YYYY-MM-DD)`);
  return [...previous, ...parsed];
}

/** The options `plan` and `sync` share: which year, which days, which feed. */
export function addPlanningOptions(command: Command): Command {
  return command
    .option('--today <YYYY-MM-DD>', 'plan as if today were this date')
    .option('--leave-year <YYYY>', 'the leave year that starts in this year (default: the one today is in)')
    .option('--leave-year-start <MM-DD>', 'first day of your leave year (config leaveYearStart, default 04-01)')
    .addOption(new Option('--division <name>', 'GOV.UK division (config division, default england-and-wales)'))
    .option('--working-days <days>', 'days you work, e.g. mon,tue,wed (config workingDays, default mon-fri)')
    .option('--include-past', 'also book holidays earlier in the leave year than today')
    .option('--offline', 'do not fetch GOV.UK: use the newer of the cached feed and the bundled snapshot')
    .option('--rebook <dates>', 'book these days again although ESR shows their Bank Holiday booking cancelled or rejected (YYYY-MM-DD,...)', dates)
    .option('--resend <dates>', 'send these days again although ESR accepted them in an earlier run and does not list them (YYYY-MM-DD,...)', dates);
}

/** Flags that set config keys, so config validation names them. */
export function planningConfigFlags(flags: PlanningFlags): Record<string, unknown> {
  return {
    leaveYearStart: flags.leaveYearStart,
    division: flags.division,
    workingDays: flags.workingDays?.split(',').map((d) => d.trim().toLowerCase()),
    includePast: flags.includePast ? true : undefined,
  };
}

export function planningChoices(flags: PlanningFlags): PlanningChoices {
  return { today: flags.today, leaveYear: flags.leaveYear, offline: flags.offline, rebook: flags.rebook, resend: flags.resend };
}
