import { outcomeCounts, unfinished, type SyncReport } from '../sync/report.js';
import { syncDocument } from './json.js';
import { statusSummary } from './table.js';

export interface NotificationMessage {
  ok: boolean;
  exitCode: number;
  /** One line a person reads as it is, in Teams, Slack or ntfy. */
  text: string;
  /** Exactly the `sync --json` document, or null when the run failed before it had a plan. */
  report: ReturnType<typeof syncDocument> | null;
}

function reportText(report: SyncReport): string {
  const counts = outcomeCounts(report.results);
  const who = `${report.assignment.label}, leave year ${report.plan.leaveYear.start} to ${report.plan.leaveYear.end}`;
  const parts: string[] = [];
  if (counts.booked) parts.push(`booked ${counts.booked}`);
  if (counts.failed) parts.push(`${counts.failed} failed`);
  const unconfirmed = report.plan.items.filter((i) => i.action === 'unconfirmed').length;
  if (unconfirmed) parts.push(`${unconfirmed} accepted earlier but not listed`);
  const decided = report.plan.items.filter((i) => i.action === 'skip' && i.existing);
  if (decided.length) parts.push(`${decided.map((i) => `${i.date} ${i.existing!.status.toLowerCase()}`).join(', ')} in ESR`);
  if (report.declined === 'no-terminal') parts.push('nothing booked: no --yes and no terminal to confirm on');
  if (parts.length === 0) parts.push('nothing to book');
  const statuses = statusSummary(report);
  const first = unfinished(report)[0];
  const why = report.stopped ?? (first ? (report.results.get(first.date)?.error ?? first.reason) : undefined);
  return `${who}: ${parts.join('; ')}${statuses ? ` (in ESR: ${statuses})` : ''}${why ? `. ${why}` : ''}`;
}

/** What a scheduled run tells the person: ok or not, one readable line, and the whole report. */
export function notificationFor(outcome: { exitCode: number; report?: SyncReport; error?: unknown }): NotificationMessage {
  const ok = outcome.exitCode === 0;
  const head = ok ? 'esr-bank-holidays' : `esr-bank-holidays FAILED (exit ${outcome.exitCode})`;
  const body = outcome.report ? reportText(outcome.report) : outcome.error instanceof Error ? outcome.error.message : String(outcome.error ?? '');
  return { ok, exitCode: outcome.exitCode, text: `${head}: ${body}`, report: outcome.report ? syncDocument(outcome.report) : null };
}

/** Did the run change anything, or fail? (`notify.on: change`) */
export function changed(report: SyncReport | undefined): boolean {
  return Boolean(report && outcomeCounts(report.results).booked > 0);
}
