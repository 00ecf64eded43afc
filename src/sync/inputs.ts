import type { RunContext } from '../config/run-context.js';
import { holidaysOf } from '../holidays/feed.js';
import type { Prefetch } from '../holidays/prefetch.js';
import { loadHolidays, type HolidaySource } from '../holidays/source.js';
import { localToday, parseIsoDate, type IsoDate } from '../planning/dates.js';
import { leaveYearStarting, startYearOf, type LeaveYear } from '../planning/leave-year.js';
import { coveredYears, uncoveredYears, type Holiday, type PlanRules } from '../planning/plan.js';
import { RuntimeFailure, UsageError } from '../util/errors.js';

/** What a person chooses per run, beyond config: which year, which feed, which days to send again. */
export interface PlanningChoices {
  today?: string | undefined;
  leaveYear?: string | undefined;
  offline?: boolean | undefined;
  rebook?: IsoDate[] | undefined;
  resend?: IsoDate[] | undefined;
}

export interface Planning {
  rules: PlanRules;
  holidays: Holiday[];
  source: HolidaySource['source'];
}

/** Years date-fns and ISO dates hold with room for a leave year on either side. */
const FIRST_YEAR = 1000;
const LAST_YEAR = 9998;

function todayFrom(text: string | undefined): IsoDate {
  if (text === undefined) return localToday();
  const today = parseIsoDate(text);
  if (!today) throw new UsageError(`--today ${JSON.stringify(text)} is not a real date (YYYY-MM-DD)`);
  return today;
}

function leaveYearOf(choices: PlanningChoices, today: IsoDate, start: string): LeaveYear {
  let year: number;
  if (choices.leaveYear === undefined) {
    year = startYearOf(today, start);
  } else {
    if (!/^\d{4}$/.test(choices.leaveYear)) throw new UsageError(`--leave-year ${JSON.stringify(choices.leaveYear)} must be a year, e.g. 2026`);
    year = Number(choices.leaveYear);
  }
  if (year < FIRST_YEAR || year > LAST_YEAR) {
    throw new UsageError(`leave year ${year} is out of range: this tool plans leave years ${FIRST_YEAR} to ${LAST_YEAR}`);
  }
  return leaveYearStarting(year, start);
}

const SOURCE_NAME = { live: 'GOV.UK feed', cache: 'cached GOV.UK feed', bundled: 'bundled GOV.UK snapshot' } as const;

/** No silent "0 to book": a leave year the holiday data does not reach is an error naming what it covers. */
function requireCoverage(holidays: Holiday[], leaveYear: LeaveYear, source: HolidaySource['source']): void {
  const missing = uncoveredYears(holidays, leaveYear);
  if (missing.length === 0) return;
  const covered = coveredYears(holidays);
  const range = covered ? `covers ${covered.first} to ${covered.last}` : 'holds no holidays';
  const message = `the ${SOURCE_NAME[source.kind]} (${source.fetchedAt}) ${range}, not ${missing.join(' and ')}, so it cannot plan the leave year ${leaveYear.start} to ${leaveYear.end}`;
  // GOV.UK itself not listing the year yet is a year chosen too far ahead; an old copy is a runtime problem.
  if (source.kind === 'live') throw new UsageError(`${message}; GOV.UK publishes about two years ahead`);
  throw new RuntimeFailure(`${message}; connect to the internet so the current GOV.UK feed can be fetched`);
}

/**
 * Everything the planner needs but ESR's absences: rules from config and choices, holidays from the
 * feed (`prefetched`: its GET, if already sent, taken only if it asked what the checked config asks).
 */
export async function resolvePlanning(context: RunContext, choices: PlanningChoices, prefetched?: Prefetch): Promise<Planning> {
  const { config } = context;
  const today = todayFrom(choices.today);
  const leaveYear = leaveYearOf(choices, today, config.leaveYearStart);
  const loaded = await loadHolidays({
    url: config.bankHolidaysUrl,
    stateDir: context.stateDir,
    offline: Boolean(choices.offline),
    timeoutMs: config.http.timeoutSeconds * 1000,
    tries: config.http.tries,
    log: context.log,
    prefetched,
  });
  const holidays = holidaysOf(loaded.feed, config.division);
  requireCoverage(holidays, leaveYear, loaded.source);
  return {
    holidays,
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
      activeStatuses: config.esr.texts.activeStatuses,
      rebook: choices.rebook ?? [],
      resend: choices.resend ?? [],
    },
  };
}
