import { Option, type Command } from 'commander';
import { holidaysOf } from '../holidays/feed.js';
import { loadHolidays, type HolidaySource } from '../holidays/source.js';
import { localToday, parseIsoDate, type IsoDate } from '../planning/dates.js';
import { leaveYearContaining, leaveYearStarting } from '../planning/leave-year.js';
import type { Holiday, PlanRules } from '../planning/plan.js';
import { UsageError } from '../util/errors.js';
import type { Context } from './context.js';

export interface PlanningFlags {
  today?: string;
  leaveYear?: string;
  leaveYearStart?: string;
  division?: string;
  workingDays?: string;
  includePast?: boolean;
  offline?: boolean;
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
    .option('--offline', 'do not fetch GOV.UK: use the cached feed, else the bundled snapshot');
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

export interface Planning {
  rules: PlanRules;
  holidays: Holiday[];
  source: HolidaySource['source'];
}

function todayFrom(flag: string | undefined): IsoDate {
  if (flag === undefined) return localToday();
  const today = parseIsoDate(flag);
  if (!today) throw new UsageError(`--today ${JSON.stringify(flag)} is not a real date (YYYY-MM-DD)`);
  return today;
}

function leaveYearFrom(flag: string | undefined): number | undefined {
  if (flag === undefined) return undefined;
  if (!/^\d{4}$/.test(flag)) throw new UsageError(`--leave-year ${JSON.stringify(flag)} must be a year, e.g. 2026`);
  return Number(flag);
}

/** Everything the planner needs but ESR's absences: rules from config and flags, holidays from the feed. */
export async function preparePlanning(context: Context, flags: PlanningFlags): Promise<Planning> {
  const { config } = context;
  const today = todayFrom(flags.today);
  const year = leaveYearFrom(flags.leaveYear);
  const leaveYear =
    year === undefined ? leaveYearContaining(today, config.leaveYearStart) : leaveYearStarting(year, config.leaveYearStart);
  const loaded = await loadHolidays({
    url: config.bankHolidaysUrl,
    stateDir: context.stateDir,
    offline: Boolean(flags.offline),
    timeoutMs: config.http.timeoutSeconds * 1000,
    tries: config.http.tries,
    log: context.log,
  });
  return {
    holidays: holidaysOf(loaded.feed, config.division),
    source: loaded.source,
    rules: {
      leaveYear,
      today,
      workingDays: config.workingDays,
      includePast: config.includePast,
      exclude: config.exclude,
      extraDays: config.extraDays,
      bankHolidayReason: config.esr.texts.bankHolidayReason,
      inactiveStatuses: config.esr.texts.inactiveStatuses,
    },
  };
}
