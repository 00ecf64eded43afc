import type { Locator } from 'playwright';
import type { Config, SelectorKey } from '../config/schema.js';
import type { Absence } from '../planning/plan.js';
import { tablesWithDates } from './list-snapshot.js';
import type { AssignmentInfo } from './pages.js';
import type { EsrSession } from './session.js';

export type KeyState = 'matched' | 'missing' | 'attached' | 'not shown' | 'not checked';

export interface KeyCheck {
  key: SelectorKey;
  selector: string;
  /** The page it was looked for on. */
  where: 'login page' | 'dashboard' | 'absence list' | 'leave form';
  state: KeyState;
  /** Why it was not checked, or how many it matched. */
  note?: string;
}

export interface ProbeReport {
  /** Every key that could be checked matched, and the list read whole. */
  ok: boolean;
  keys: KeyCheck[];
  assignments: AssignmentInfo[];
  assignment?: AssignmentInfo;
  /** The whole list, every page, when it could be read. */
  absences?: Absence[];
  pages?: number;
  listError?: string;
  /** Tables on the list's page that hold dates, as selectors to try, when the list was not read. */
  candidates: string[];
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;

/**
 * `doctor --esr`: which configured selectors match, each on the page where it is used, and whether
 * the list reads whole. Read-only: it opens the leave form and presses Cancel, nothing else.
 */
export async function probeEsr(session: EsrSession, config: Config): Promise<ProbeReport> {
  const { pages } = session;
  const { page } = pages;
  const keys: KeyCheck[] = [];
  const report: ProbeReport = { ok: false, keys, assignments: [], candidates: [] };
  const record = (key: SelectorKey, where: KeyCheck['where'], state: KeyState, note?: string) =>
    keys.push({ key, selector: config.esr.selectors[key] ?? '(unset)', where, state, ...(note ? { note } : {}) });
  const at = (key: SelectorKey, within?: Locator, assignmentId?: string) =>
    (within ? within.locator(pages.configured(key, assignmentId)) : pages.locator(key, assignmentId)).first();
  const shownState = async (key: SelectorKey, assignmentId?: string): Promise<KeyState> =>
    (await at(key, undefined, assignmentId).isVisible()) ? 'matched' : 'missing';

  // The login form is checked before logging in, where it shows.
  await pages.openDashboard();
  if (await pages.loginFormShown()) {
    for (const key of ['username', 'password'] as const) record(key, 'login page', await shownState(key));
  } else {
    for (const key of ['username', 'password'] as const) record(key, 'login page', 'not checked', 'already logged in');
  }
  await session.login();

  for (const key of ['assignment', 'createLeave'] as const) record(key, 'dashboard', await shownState(key));
  report.assignments = await session.assignments();
  const current = report.assignments.find((a) => a.selected) ?? report.assignments[0];
  if (!current) throw new Error('ESR shows no assignment');
  report.assignment = current;

  try {
    report.absences = await session.absences(current.id, { fresh: true });
    report.pages = pages.listPagesRead;
  } catch (error) {
    report.listError = firstLine(error);
    report.candidates = await tablesWithDates(page).catch(() => []);
  }
  const table = at('absenceTable');
  if (await table.isVisible()) {
    record('absenceTable', 'absence list', 'matched');
    const rows = table.locator(pages.configured('absenceRows'));
    const counts = {
      absenceRows: await rows.count(),
      absenceHeaders: await table.locator(pages.configured('absenceHeaders')).count(),
      absenceCells: await rows.locator(pages.configured('absenceCells')).count(),
    };
    for (const [key, count] of Object.entries(counts) as Array<[keyof typeof counts, number]>) {
      if (count > 0) record(key, 'absence list', 'matched', `${count} on the last page read`);
      else if (report.absences?.length === 0) record(key, 'absence list', 'not checked', 'the list is empty');
      else record(key, 'absence list', 'missing');
    }
  } else {
    const empty = report.absences !== undefined && config.esr.texts.emptyList ? 'the list showed esr.texts.emptyList' : undefined;
    record('absenceTable', 'absence list', empty ? 'not shown' : 'missing', empty);
    for (const key of ['absenceRows', 'absenceHeaders', 'absenceCells'] as const) record(key, 'absence list', 'not checked', 'no list');
  }
  if (config.esr.selectors.absenceNextPage) {
    const followed = (report.pages ?? 0) > 1;
    record('absenceNextPage', 'absence list', followed ? 'matched' : 'not shown', followed ? `followed to ${report.pages} pages` : 'the list has one page');
  }

  // The form: opened on the dashboard, looked at, and cancelled.
  await pages.openDashboard();
  await pages.selectAssignment(current.id);
  try {
    await pages.openLeaveForm();
    await pages.leaveFormShown(current.id);
    record('leaveReason', 'leave form', 'matched');
    for (const key of ['comments', 'startDate', 'endDate', 'submit', 'cancel'] as const) record(key, 'leave form', await shownState(key));
    await pages.cancelLeaveForm(current.id);
  } catch (error) {
    record('leaveReason', 'leave form', 'missing', firstLine(error));
    for (const key of ['comments', 'startDate', 'endDate', 'submit', 'cancel'] as const) record(key, 'leave form', 'not checked', 'the form did not open');
  }
  // Shown only while ESR processes or refuses a request, which a read-only check never makes.
  for (const key of ['processingModal', 'errorMessage'] as const) {
    const attached = (await pages.locator(key).count()) > 0;
    record(key, 'dashboard', attached ? 'attached' : 'not checked', attached ? 'in the page, hidden until a request' : 'shows only after a submit');
  }

  report.ok = report.listError === undefined && keys.every((k) => k.state !== 'missing');
  return report;
}
