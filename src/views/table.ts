import type { SourceKind } from '../holidays/source.js';
import { humanDate } from '../planning/dates.js';
import { summarise, type Plan, type PlanItem } from '../planning/plan.js';
import { weekdayOf } from '../planning/working-pattern.js';
import { outcomeCounts, statusesInEsr, unfinished, type ItemResult, type SourceInfo, type SyncReport } from '../sync/report.js';

const ACTION_LABEL: Record<PlanItem['action'], string> = {
  book: 'book',
  skip: 'skip',
  'already-booked': 'already booked',
  conflict: 'CONFLICT',
  unconfirmed: 'UNCONFIRMED',
};

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
}

/** The plan as a table; the ESR status column shows once ESR has been read. */
export function planTable(plan: Plan): string[] {
  const withStatus = plan.items.some((item) => item.existing);
  const header = ['Date', 'Day', 'Holiday', 'Action', ...(withStatus ? ['ESR status'] : []), 'Reason'];
  const rows = plan.items.map((item) => [
    item.date,
    weekdayOf(item.date).replace(/^./, (c) => c.toUpperCase()),
    item.title,
    ACTION_LABEL[item.action],
    ...(withStatus ? [item.existing?.status ?? ''] : []),
    item.reason ?? '',
  ]);
  const lines = table([header, ...rows]);
  for (const orphan of plan.orphans) lines.push(`note: ESR has a Bank Holiday booking on ${orphan.start}: ${orphan.hint}`);
  return lines;
}

const SOURCE_LABEL: Record<SourceKind, string> = {
  live: 'GOV.UK',
  cache: 'cached GOV.UK feed',
  bundled: 'bundled snapshot',
};

export function summaryLine(plan: Plan, division: string, source: SourceInfo): string {
  const counts = summarise(plan);
  const parts = [`${counts.book} to book`];
  if (counts['already-booked']) parts.push(`${counts['already-booked']} already booked`);
  if (counts.conflict) parts.push(`${counts.conflict} in conflict`);
  if (counts.unconfirmed) parts.push(`${counts.unconfirmed} unconfirmed`);
  parts.push(`${counts.skip} skipped`);
  if (plan.orphans.length) parts.push(`${plan.orphans.length} orphan booking${plan.orphans.length > 1 ? 's' : ''}`);
  return `Leave year ${plan.leaveYear.start} to ${plan.leaveYear.end}, ${division} (${SOURCE_LABEL[source.kind]} ${source.fetchedAt}): ${parts.join(', ')}.`;
}

/** One progress line: `[3/10] Mon 25 May 2026  Spring bank holiday  booked`. */
export function progressLine(index: number, total: number, item: PlanItem, result: ItemResult): string {
  const shown =
    result.outcome === 'already-booked' ? 'already in ESR'
    : result.outcome === 'failed' ? `FAILED: ${result.error}`
    : result.outcome === 'rehearsed' ? 'rehearsed (filled and cancelled)'
    : result.outcome;
  return `[${index}/${total}] ${humanDate(item.date)}  ${item.title}  ${shown}`;
}

/** `8 Approved, 2 Awaiting Approval`: what the manager has and has not approved. */
export function statusSummary(report: SyncReport): string {
  return [...statusesInEsr(report)].map(([status, n]) => `${n} ${status}`).join(', ');
}

/** The lines after a sync: counts, ESR's approval statuses, and each day still to see to. */
export function syncSummaryLines(report: SyncReport): string[] {
  const lines: string[] = [];
  const counts = outcomeCounts(report.results);
  if (report.mode === 'dry-run') lines.push('Dry run: nothing was booked.');
  if (report.mode === 'rehearse') lines.push('Rehearsal: every form was filled and cancelled; nothing was booked.');
  if (report.declined === 'answered-no') lines.push('Nothing booked.');
  if (report.mode === 'book' && report.results.size > 0) {
    lines.push(`Summary for ${report.assignment.label}: ${counts.booked} booked, ${counts['already-booked']} already there, ${counts.failed} failed.`);
  }
  const statuses = statusSummary(report);
  if (statuses) lines.push(`In ESR for this leave year: ${statuses}.`);
  for (const item of unfinished(report)) {
    const result = report.results.get(item.date);
    lines.push(`  ${item.action === 'unconfirmed' ? 'unconfirmed' : 'failed'} ${item.date}: ${result?.error ?? item.reason}`);
  }
  if (report.stopped && !report.results.size) lines.push(`Stopped: ${report.stopped}`);
  if (report.artifacts) lines.push(`Screenshot and trace of the failure: ${report.artifacts}`);
  return lines;
}
