import type { RunContext } from '../config/run-context.js';
import { EsrRefused, LoginRefused } from '../esr/errors.js';
import { Evidence, newRunId } from '../esr/evidence.js';
import type { StartedBrowser } from '../esr/browser.js';
import type { AssignmentInfo } from '../esr/pages.js';
import { EsrSession, type LoginMethod } from '../esr/session.js';
import { humanDate } from '../planning/dates.js';
import { bankHolidayBookingOn, buildPlan, isActive, isBankHoliday, toBook, type PlanItem } from '../planning/plan.js';
import { ExpectedError, Interrupted, UsageError } from '../util/errors.js';
import { resolvePlanning, type PlanningChoices } from './inputs.js';
import { acceptedDays, Journal } from './journal.js';
import { acquireLock } from './lock.js';
import { exitCodeOf, type SyncEvent, type SyncMode, type SyncReport } from './report.js';

export interface SyncRequest {
  context: RunContext;
  choices: PlanningChoices;
  assignment?: string | undefined;
  mode: SyncMode;
  yes: boolean;
  headless: boolean;
  login: LoginMethod;
  /** Ask the person a yes/no question; undefined when there is no terminal. */
  confirm?: ((question: string) => Promise<boolean>) | undefined;
  /** Progress, for views to show as it happens. */
  onEvent?: (event: SyncEvent) => void;
  /** Ctrl-C: stop at the next safe point (never in the middle of ESR processing a request). */
  signal?: AbortSignal;
  /** The first retry's wait against ESR. */
  backoffMs?: number;
  /** A browser already starting (the CLI starts it before the login prompt); else one is started here. */
  browser?: Promise<StartedBrowser>;
}

function pickAssignment(all: AssignmentInfo[], wanted: string | undefined): AssignmentInfo {
  const chosen = wanted ? all.find((a) => a.id === wanted) : (all.find((a) => a.selected) ?? all[0]);
  if (!chosen) {
    const known = all.map((a) => `${a.id} (${a.label})`).join(', ') || 'none';
    throw new UsageError(`ESR has no assignment ${wanted ?? ''}; yours are: ${known}`);
  }
  return chosen;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * fetch holidays -> lock -> log in -> read ESR -> plan -> confirm -> book -> verify -> report.
 * Returns the report; views render it. Logs out on every path that logged in.
 */
export async function runSync(request: SyncRequest): Promise<SyncReport> {
  const { context, mode } = request;
  const { config, log } = context;
  const emit = request.onEvent ?? (() => undefined);
  const checkpoint = () => {
    if (request.signal?.aborted) throw new Interrupted();
  };
  const evidence = new Evidence(context.stateDir, newRunId(), config.sync.keepArtifactRuns, config.sync.traceSnapshots);
  const journal = new Journal(context.stateDir, evidence.runId);
  const closeJournal = () => journal.closeOpen('interrupted', 'the run ended before ESR answered');
  process.once('exit', closeJournal);
  // The browser starts while the feed loads and the lock is taken; its failure is reported when awaited.
  const opening = EsrSession.open({
    config,
    evidence,
    log,
    login: request.login,
    headless: request.headless,
    ...(request.backoffMs === undefined ? {} : { backoffMs: request.backoffMs }),
  }, request.browser);
  opening.catch(() => undefined);
  let session: EsrSession | undefined;
  let release = () => undefined as void;
  let failed = false;

  try {
    const planning = await resolvePlanning(context, request.choices);
    checkpoint();
    if (mode === 'book') {
      release = await acquireLock(context.stateDir, config.sync.lockWaitSeconds * 1000, request.signal, (holder) =>
        log.warn(`another sync is running (pid ${holder.pid}); waiting up to ${config.sync.lockWaitSeconds} s`),
      );
    }
    session = await opening;
    checkpoint();
    await session.login();
    const assignment = pickAssignment(await session.assignments(), request.assignment);
    const accepted = acceptedDays(context.stateDir, assignment.id);
    const planFrom = async (fresh: boolean, resent: readonly string[] = []) =>
      buildPlan(
        planning.holidays,
        { ...planning.rules, resend: [...(planning.rules.resend ?? []), ...resent] },
        { absences: await session!.absences(assignment.id, { fresh }), accepted },
      );
    const plan = await planFrom(false);
    const report: SyncReport = {
      mode,
      plan,
      division: config.division,
      source: planning.source,
      assignment: { id: assignment.id, label: assignment.label },
      results: new Map(),
      exitCode: 0,
    };
    emit({ type: 'planned', report });
    checkpoint();

    if (mode === 'rehearse') {
      await rehearse(toBook(plan), assignment.id, session, report, emit);
    } else if (mode === 'book') {
      let items = await confirmed(report, request);
      if (items.length > 0 && !request.yes) {
        // The person may have taken minutes, and looked at ESR meanwhile: read it again before writing.
        const agreed = new Set(items.map((i) => i.date));
        report.plan = await planFrom(true, [...agreed]);
        items = toBook(report.plan).filter((i) => agreed.has(i.date));
      }
      if (items.length > 0) {
        failed = await apply(items, assignment.id, session, journal, report, request, emit);
        await verify(session, assignment.id, report, context);
      }
    }
    report.exitCode = exitCodeOf(report, session.loginRefused);
    failed ||= report.exitCode !== 0 && !report.declined;
    if (failed) report.artifacts = (await session.captureFailure('failed')) ?? evidence.dir;
    return report;
  } catch (error) {
    failed = true;
    const dir = await session?.captureFailure('failed');
    if (dir) emit({ type: 'evidence', dir });
    throw error;
  } finally {
    if (session?.loggedIn) await session.logout();
    await (session ?? (await opening.catch(() => undefined)))?.close();
    release();
    process.off('exit', closeJournal);
    if (!failed) evidence.discard();
  }
}

/**
 * The days to book, once the person agreed: `--yes`, or an answer at the prompt. A day ESR accepted
 * earlier but does not list is asked about on its own, and never sent again without a yes.
 */
async function confirmed(report: SyncReport, request: SyncRequest): Promise<PlanItem[]> {
  if (request.confirm && !request.yes) {
    for (const item of report.plan.items.filter((i) => i.action === 'unconfirmed')) {
      const question = `ESR accepted a request for ${humanDate(item.date)} earlier but does not list it. Check ESR first. Send it again?`;
      if (await request.confirm(question)) Object.assign(item, { action: 'book', reason: 'sent again at your answer' });
    }
  }
  const unconfirmed = report.plan.items.filter((i) => i.action === 'unconfirmed').map((i) => i.date);
  if (unconfirmed.length > 0) {
    // A request ESR accepted that its list does not show proves the list is not all ESR holds: no day is safe to book from it.
    report.stopped =
      `ESR accepted ${unconfirmed.join(', ')} in an earlier run but its absence list does not show ${unconfirmed.length > 1 ? 'them' : 'it'}, ` +
      'so the list this tool reads is not all that ESR holds and nothing was booked; check ESR and the list settings ' +
      '(esr.selectors.absenceTable, absenceRows, absenceNextPage, esr.paths.absences), then run again, or send a day again with --resend DATE';
    return [];
  }
  const items = toBook(report.plan);
  if (items.length === 0 || request.yes) return items;
  if (!request.confirm) {
    report.declined = 'no-terminal';
    return [];
  }
  const question = `Book ${items.length} bank holiday${items.length > 1 ? 's' : ''} in ESR for ${report.assignment.label}?`;
  if (await request.confirm(question)) return items;
  report.declined = 'answered-no';
  return [];
}

/** Book each day in turn; a refusal of one day lets the others go on, anything else stops the run. */
async function apply(
  items: PlanItem[],
  assignmentId: string,
  session: EsrSession,
  journal: Journal,
  report: SyncReport,
  request: SyncRequest,
  emit: (event: SyncEvent) => void,
): Promise<boolean> {
  let failed = false;
  let stoppedAt = '';
  for (const [index, item] of items.entries()) {
    if (!report.stopped && request.signal?.aborted) {
      report.interrupted = true;
      report.stopped = 'interrupted (Ctrl-C)';
    }
    if (report.stopped) {
      report.results.set(item.date, { outcome: 'failed', error: report.interrupted ? 'not sent: interrupted (Ctrl-C)' : `not sent: the run stopped at ${stoppedAt}` });
      continue;
    }
    const entry = { assignment: assignmentId, date: item.date };
    journal.append({ event: 'intent', ...entry });
    try {
      const outcome = await session.book(assignmentId, item.date, { onAccepted: () => journal.append({ event: 'accepted', ...entry }) });
      report.results.set(item.date, { outcome });
    } catch (error) {
      report.results.set(item.date, { outcome: 'failed', error: message(error) });
      failed = true;
      await session.captureFailure(`book-${item.date}`);
      if (!(error instanceof ExpectedError)) {
        journal.append({ event: 'outcome', ...entry, outcome: 'failed', error: message(error) });
        throw error;
      }
      if (!(error instanceof EsrRefused)) {
        report.stopped = message(error);
        stoppedAt = item.date;
      }
    }
    const result = report.results.get(item.date)!;
    journal.append({ event: 'outcome', ...entry, outcome: result.outcome, ...(result.error ? { error: result.error } : {}) });
    emit({ type: 'item', index: index + 1, total: items.length, item, result });
  }
  return failed;
}

async function rehearse(items: PlanItem[], assignmentId: string, session: EsrSession, report: SyncReport, emit: (event: SyncEvent) => void): Promise<void> {
  for (const [index, item] of items.entries()) {
    await session.rehearse(assignmentId, item.date);
    report.results.set(item.date, { outcome: 'rehearsed' });
    emit({ type: 'item', index: index + 1, total: items.length, item, result: { outcome: 'rehearsed' } });
  }
}

/** Read ESR afresh, every page: each day reported booked must be in its list, and its status is kept. */
async function verify(session: EsrSession, assignmentId: string, report: SyncReport, context: RunContext): Promise<void> {
  const booked = [...report.results].filter(([, r]) => r.outcome === 'booked' || r.outcome === 'already-booked');
  if (booked.length === 0 || session.loginRefused) return;
  let after;
  try {
    after = await session.absences(assignmentId, { fresh: true });
  } catch (error) {
    report.verified = false;
    // A refused login is what the person must act on first: ESR locks accounts.
    if (error instanceof LoginRefused) report.stopped = message(error);
    else report.stopped ??= `could not read ESR's absence list to check the bookings: ${message(error)}`;
    return;
  }
  report.verified = true;
  const texts = context.config.esr.texts;
  for (const [date, result] of booked) {
    const found = bankHolidayBookingOn(after, date, texts);
    const onDay = after.filter((a) => isActive(a, texts) && a.start <= date && date <= a.end);
    const bankHolidays = onDay.filter((a) => isBankHoliday(a, texts));
    const other = onDay.find((a) => !isBankHoliday(a, texts));
    const error =
      !found ? 'not in ESR’s absence list when read afresh after booking'
      : bankHolidays.length > 1 ? `ESR now lists ${bankHolidays.length} Bank Holiday bookings on this day: cancel the extra one in ESR`
      : result.outcome === 'booked' && other ? `booked, but ESR also has ${other.reason} (${other.status}) on this day: check it in ESR`
      : undefined;
    if (error) report.results.set(date, { outcome: 'failed', error, ...(found ? { existing: found } : {}) });
    else result.existing = found;
  }
}
