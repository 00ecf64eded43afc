import { z, type Infer } from '../util/zod.js';
import { DIVISIONS } from '../holidays/feed.js';
import { parseIsoDate } from '../planning/dates.js';
import { leaveYearStartProblem } from '../planning/leave-year.js';
import { WEEKDAYS } from '../planning/working-pattern.js';

const isoDate = z.string().check(z.refine((d) => parseIsoDate(d) !== null, { message: 'is not a real date (YYYY-MM-DD)' }));
const text = z.string().check(z.trim(), z.minLength(1, 'must not be empty'));
const optionalText = z.optional(text);
const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const seconds = z.number({ error: 'must be a number of seconds' }).check(z.positive('must be more than 0'));
const tries = z.int().check(z.minimum(1), z.maximum(10));

/** When a sync sends its notification: on a failure, on a failure or a booking, or after every sync. */
export const NOTIFY_ON = ['failure', 'change', 'always'] as const;
export type NotifyOn = (typeof NOTIFY_ON)[number];

const selectors = z.strictObject({
  username: text,
  password: text,
  assignment: text,
  createLeave: text,
  leaveReason: z.string().check(
    z.trim(),
    z.minLength(1, 'must not be empty'),
    z.refine((s) => s.includes('{assignmentId}'), { message: 'must contain {assignmentId}' }),
  ),
  comments: text,
  startDate: text,
  endDate: text,
  /** The leave form: submit, cancel and errorMessage are looked for only inside it. */
  leaveForm: text,
  submit: text,
  cancel: text,
  processingModal: text,
  absenceTable: text,
  /** Inside absenceTable, as are absenceHeaders; absenceCells is inside each row. */
  absenceRows: text,
  absenceHeaders: text,
  absenceCells: text,
  absenceNextPage: optionalText,
  /** Where the list or its empty-list text shows: esr.texts.emptyList is looked for only here. */
  absenceArea: optionalText,
  errorMessage: text,
});
export type SelectorKey = keyof Infer<typeof selectors>;

const headerTexts = z.array(text).check(z.minLength(1, 'must name at least one header text'));

export const configSchema = z.strictObject({
  esrUrl: url,
  bankHolidaysUrl: url,
  division: z.enum(DIVISIONS, { error: `must be one of ${DIVISIONS.join(', ')}` }),
  leaveYearStart: z.string().check(
    z.superRefine((start, ctx) => {
      const problem = leaveYearStartProblem(start);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  ),
  workingDays: z
    .array(z.enum(WEEKDAYS, { error: `is not a weekday (use ${WEEKDAYS.join(',')})` }))
    .check(z.minLength(1, 'must name at least one day')),
  includePast: z.boolean(),
  exclude: z.array(isoDate),
  extraDays: z.array(z.strictObject({ date: isoDate, title: text })),
  comments: z.string().check(z.maxLength(240, 'must be 240 characters or fewer')),
  login: z.enum(['password', 'manual'], { error: 'must be password or manual' }),
  headless: z.boolean(),
  browser: optionalText,
  stateDir: optionalText,
  http: z.strictObject({ timeoutSeconds: seconds, tries }),
  notify: z.strictObject({
    url: z.optional(url),
    on: z.enum(NOTIFY_ON, { error: `must be one of ${NOTIFY_ON.join(', ')}` }),
    timeoutSeconds: seconds,
    tries,
  }),
  sync: z.strictObject({
    lockWaitSeconds: z.number().check(z.minimum(0)),
    tries,
    keepArtifactRuns: z.int().check(z.minimum(1)),
    traceSnapshots: z.boolean(),
  }),
  esr: z
    .strictObject({
      paths: z.strictObject({ dashboard: text, logout: text, absences: optionalText }),
      timeouts: z.strictObject({ elementSeconds: seconds, processingSeconds: seconds, manualLoginSeconds: seconds }),
      selectors,
      columns: z.strictObject({ start: headerTexts, end: headerTexts, reason: headerTexts, status: headerTexts }),
      texts: z.strictObject({
        loginFailed: text,
        loggedOut: text,
        bankHolidayReason: text,
        overlap: text,
        transient: z.array(text),
        activeStatuses: z.array(text),
        inactiveStatuses: z.array(text),
        emptyList: optionalText,
      }),
    })
    .check(
      // Matched anywhere on the page, the empty text in a comment or a banner would read a missing list as empty.
      z.refine((esr) => !esr.texts.emptyList || esr.selectors.absenceArea, {
        path: ['texts', 'emptyList'],
        message: 'needs esr.selectors.absenceArea too: the element holding the list or its empty text, where esr.texts.emptyList is looked for',
      }),
    ),
});

export type Config = Infer<typeof configSchema>;
