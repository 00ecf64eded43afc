import { planDocument, type SourceInfo } from '../cli/render.js';
import { summarise, type Plan } from '../planning/plan.js';
import type { IsoDate } from '../planning/dates.js';

export type Outcome = 'booked' | 'already-booked' | 'failed' | 'rehearsed';

export interface ItemResult {
  outcome: Outcome;
  error?: string;
}

export interface SyncReport {
  plan: Plan;
  division: string;
  source: SourceInfo;
  assignment: { id: string; label: string };
  results: Map<IsoDate, ItemResult>;
  /** Where a failed run left its screenshot and trace. */
  artifacts?: string;
}

export function outcomeCounts(results: Map<IsoDate, ItemResult>): Record<Outcome, number> {
  const counts: Record<Outcome, number> = { booked: 0, 'already-booked': 0, failed: 0, rehearsed: 0 };
  for (const result of results.values()) counts[result.outcome] += 1;
  return counts;
}

/**
 * Plan actions and outcomes in one set of counts. "already-booked" counts both days the plan
 * found in ESR and days found there at booking time (booked meanwhile, or by a killed run).
 */
export function summaryCounts(report: SyncReport) {
  const planned = summarise(report.plan);
  const outcomes = outcomeCounts(report.results);
  return {
    ...planned,
    booked: outcomes.booked,
    failed: outcomes.failed,
    rehearsed: outcomes.rehearsed,
    'already-booked': planned['already-booked'] + outcomes['already-booked'],
  };
}

/** `sync --json`: the `plan` document, with the assignment, orphans, each item's outcome and the counts. */
export function syncDocument(report: SyncReport) {
  const base = planDocument(report.plan, report.division, report.source);
  return {
    ...base,
    assignment: report.assignment,
    items: base.items.map((item) => {
      const result = report.results.get(item.date);
      return result ? { ...item, ...result } : item;
    }),
    orphans: report.plan.orphans,
    summary: summaryCounts(report),
    ...(report.artifacts ? { artifacts: report.artifacts } : {}),
  };
}
