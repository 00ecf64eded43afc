import type { Context } from '../cli/context.js';
import { preparePlanning, type PlanningFlags } from '../cli/planning-options.js';
import { planTable, progressLine, summaryLine } from '../cli/render.js';
import { EsrRefused, LoginRefused } from '../esr/errors.js';
import { Evidence, newRunId } from '../esr/evidence.js';
import type { AssignmentInfo } from '../esr/pages.js';
import { EsrSession, type LoginMethod } from '../esr/session.js';
import { bankHolidayBookingOn, buildPlan, toBook, type PlanItem } from '../planning/plan.js';
import { EXIT, ExpectedError, UsageError } from '../util/errors.js';
import { Journal } from './journal.js';
import { acquireLock } from './lock.js';
import { outcomeCounts, syncDocument, type ItemResult, type SyncReport } from './report.js';

export type SyncMode = 'book' | 'dry-run' | 'rehearse';

export interface SyncRequest {
  context: Context;
  planning: PlanningFlags;
  assignment?: string | undefined;
  mode: SyncMode;
  yes: boolean;
  headless: boolean;
  login: LoginMethod;
  /** Ask the person; undefined when there is no terminal. */
  confirm?: ((question: string) => Promise<boolean>) | undefined;
  /** The first retry's wait against ESR. */
  backoffMs?: number;
}

function pickAssignment(all: AssignmentInfo[], wanted: string | undefined): AssignmentInfo {
  const chosen = wanted ? all.find((a) => a.id === wanted) : (all.find((a) => a.selected) ?? all[0]);
  if (!chosen) {
    const known = all.map((a) => `${a.id} (${a.label})`).join(', ') || 'none';
    throw new UsageError(`ESR has no assignment ${wanted ?? ''}; yours are: ${known}`);
  }
  return chosen;
}

function failureText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface SyncResult {
  exitCode: number;
  booked: number;
}

/**
 * fetch holidays -> log in -> pick the assignment -> read its absences -> plan -> show ->
 * confirm -> book each -> verify -> summary -> log out.
 */
export async function runSync(request: SyncRequest): Promise<SyncResult> {
  const { context, mode } = request;
  const { config, log } = context;
  const runId = newRunId();
  const evidence = new Evidence(context.stateDir, runId, config.sync.keepArtifactRuns, config.sync.traceSnapshots);
  const journal = new Journal(context.stateDir, runId);
  // The browser starts while the feed loads and the lock is taken: none needs the others.
  const opening = EsrSession.open({
    config,
    evidence,
    log,
    login: request.login,
    headless: request.headless,
    ...(request.backoffMs === undefined ? {} : { backoffMs: request.backoffMs }),
  });
  let session: EsrSession | undefined;
  let release = () => undefined as void;
  let failed = false;
  const fail = async (step: string) => {
    failed = true;
    return session?.captureFailure(step);
  };

  try {
    const planning = await preparePlanning(context, request.planning);
    if (mode === 'book') {
      release = await acquireLock(context.stateDir, config.sync.lockWaitSeconds * 1000, (holder) =>
        log.warn(`another sync is running (pid ${holder.pid}); waiting up to ${config.sync.lockWaitSeconds} s`),
      );
    }
    session = await opening;
    await session.login();
    const assignment = pickAssignment(await session.assignments(), request.assignment);
    const plan = buildPlan(planning.holidays, planning.rules, await session.absences(assignment.id));
    const report: SyncReport = {
      plan,
      division: config.division,
      source: planning.source,
      assignment: { id: assignment.id, label: assignment.label },
      results: new Map(),
    };
    if (!context.json) {
      context.out(`ESR assignment ${assignment.label}`);
      for (const line of planTable(plan)) context.out(line);
      context.out('');
      context.out(summaryLine(plan, config.division, planning.source));
    }

    const items = toBook(plan);
    let exitCode: number = EXIT.ok;
    if (items.length > 0 && mode === 'rehearse') {
      for (const [index, item] of items.entries()) {
        await session.rehearse(assignment.id, item.date);
        report.results.set(item.date, { outcome: 'rehearsed' });
        context.out(progressLine(index + 1, items.length, item, 'rehearsed (filled and cancelled)'));
      }
    } else if (items.length > 0 && mode === 'book') {
      const question = `Book ${items.length} bank holiday${items.length > 1 ? 's' : ''} in ESR for ${assignment.label}?`;
      let go = request.yes;
      if (!go && !request.confirm) {
        process.stderr.write(`esr-bank-holidays: not booking: there is no terminal to confirm on; run again with --yes to book these ${items.length}\n`);
        exitCode = EXIT.usage;
      } else if (!go) {
        go = await request.confirm!(question);
        if (!go) context.out('Nothing booked.');
      }
      if (go) {
        exitCode = await apply(items, assignment.id, session, journal, report, context, fail);
        await verify(session, assignment.id, report, context);
      }
    }
    const counts = outcomeCounts(report.results);
    if (counts.failed > 0 && exitCode === EXIT.ok) exitCode = EXIT.failure;
    if (failed) report.artifacts = evidence.dir;
    await session.logout();

    if (context.json) process.stdout.write(`${JSON.stringify(syncDocument(report), null, 2)}\n`);
    if (mode === 'book' && report.results.size > 0) {
      context.out(
        `Summary for ${assignment.label}: ${counts.booked} booked, ${counts['already-booked']} already there, ${counts.failed} failed.`,
      );
      for (const [date, result] of report.results) if (result.outcome === 'failed') context.out(`  failed ${date}: ${result.error}`);
    } else if (mode !== 'book') {
      context.out(mode === 'dry-run' ? 'Dry run: nothing was booked.' : 'Rehearsal: every form was filled and cancelled; nothing was booked.');
    }
    if (report.artifacts) context.out(`Screenshot and trace of the failure: ${report.artifacts}`);
    if (!failed) evidence.discard();
    return { exitCode, booked: counts.booked };
  } catch (error) {
    const where = await fail('failed');
    if (where) context.out(`Screenshot and trace of the failure: ${where}`);
    throw error;
  } finally {
    await (session ?? (await opening.catch(() => undefined)))?.close();
    release();
  }
}

async function apply(
  items: PlanItem[],
  assignmentId: string,
  session: EsrSession,
  journal: Journal,
  report: SyncReport,
  context: Context,
  fail: (step: string) => Promise<unknown>,
): Promise<number> {
  let stopped: string | undefined;
  let exitCode: number = EXIT.ok;
  for (const [index, item] of items.entries()) {
    let result: ItemResult;
    if (stopped) {
      result = { outcome: 'failed', error: `not attempted: ${stopped}` };
    } else {
      journal.append({ event: 'intent', assignment: assignmentId, date: item.date });
      try {
        result = { outcome: await session.book(assignmentId, item.date) };
      } catch (error) {
        if (!(error instanceof ExpectedError)) throw error;
        result = { outcome: 'failed', error: failureText(error) };
        await fail(`book-${item.date}`);
        // A refusal of one day lets the others go on; ESR gone, a changed page or a refused login stops the run.
        if (!(error instanceof EsrRefused)) stopped = failureText(error);
        if (error instanceof LoginRefused) exitCode = EXIT.loginRefused;
      }
      journal.append({ event: 'outcome', assignment: assignmentId, date: item.date, outcome: result.outcome, ...(result.error ? { error: result.error } : {}) });
    }
    report.results.set(item.date, result);
    const shown = result.outcome === 'already-booked' ? 'already in ESR' : result.outcome === 'failed' ? `FAILED: ${result.error}` : result.outcome;
    context.out(progressLine(index + 1, items.length, item, shown));
  }
  return exitCode;
}

/** Read ESR once more: every day reported booked must be in its list. */
async function verify(session: EsrSession, assignmentId: string, report: SyncReport, context: Context): Promise<void> {
  const booked = [...report.results].filter(([, r]) => r.outcome === 'booked');
  if (booked.length === 0) return;
  let after;
  try {
    after = await session.absences(assignmentId);
  } catch (error) {
    context.log.warn(`could not verify the bookings: ${failureText(error)}`);
    return;
  }
  for (const [date] of booked) {
    if (!bankHolidayBookingOn(after, date, context.config.esr.texts)) {
      report.results.set(date, { outcome: 'failed', error: 'not in ESR’s absence list when checked after booking' });
    }
  }
}
