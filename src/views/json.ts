import type { Plan } from '../planning/plan.js';
import { outcomeCounts, type SourceInfo, type SyncReport } from '../sync/report.js';
import { summarise } from '../planning/plan.js';

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

/** `sync --json`: the `plan` document, with the assignment, orphans, each item's outcome and ESR status, and the counts. */
export function syncDocument(report: SyncReport) {
  const base = planDocument(report.plan, report.division, report.source);
  return {
    ...base,
    mode: report.mode,
    assignment: report.assignment,
    items: base.items.map((item) => {
      const result = report.results.get(item.date);
      return result ? { ...item, ...result } : item;
    }),
    orphans: report.plan.orphans,
    summary: summaryCounts(report),
    exitCode: report.exitCode,
    ...(report.declined ? { declined: report.declined } : {}),
    ...(report.stopped ? { stopped: report.stopped } : {}),
    ...(report.verified === undefined ? {} : { verified: report.verified }),
    ...(report.interrupted ? { interrupted: true } : {}),
    ...(report.artifacts ? { artifacts: report.artifacts } : {}),
  };
}
