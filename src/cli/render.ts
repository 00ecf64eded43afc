import type { SourceKind } from '../holidays/source.js';
import { humanDate } from '../planning/dates.js';
import { summarise, type Plan, type PlanItem } from '../planning/plan.js';
import { weekdayOf } from '../planning/working-pattern.js';

export interface SourceInfo {
  kind: SourceKind;
  fetchedAt: string;
}

const ACTION_LABEL: Record<PlanItem['action'], string> = {
  book: 'book',
  skip: 'skip',
  'already-booked': 'already booked',
  conflict: 'CONFLICT',
};

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
}

export function planTable(plan: Plan): string[] {
  const header = ['Date', 'Day', 'Holiday', 'Action', 'Reason'];
  const rows = plan.items.map((item) => [
    item.date,
    weekdayOf(item.date).replace(/^./, (c) => c.toUpperCase()),
    item.title,
    ACTION_LABEL[item.action],
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
  parts.push(`${counts.skip} skipped`);
  if (plan.orphans.length) parts.push(`${plan.orphans.length} orphan booking${plan.orphans.length > 1 ? 's' : ''}`);
  return `Leave year ${plan.leaveYear.start} to ${plan.leaveYear.end}, ${division} (${SOURCE_LABEL[source.kind]} ${source.fetchedAt}): ${parts.join(', ')}.`;
}

/** The `--json` document of `plan`; `sync` adds its own fields to it. */
export function planDocument(plan: Plan, division: string, source: SourceInfo) {
  return {
    leaveYear: plan.leaveYear,
    division,
    source,
    items: plan.items.map(({ date, title, action, reason, existing }) => ({
      date,
      title,
      action,
      ...(reason === undefined ? {} : { reason }),
      ...(existing === undefined ? {} : { existing }),
    })),
  };
}

/** One progress line: `[3/10] Mon 25 May 2026  Spring bank holiday  booked`. */
export function progressLine(index: number, total: number, item: PlanItem, outcome: string): string {
  return `[${index}/${total}] ${humanDate(item.date)}  ${item.title}  ${outcome}`;
}
