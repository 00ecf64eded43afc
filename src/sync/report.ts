import type { SourceKind } from '../holidays/source.js';
import type { IsoDate } from '../planning/dates.js';
import type { Absence, Plan, PlanItem } from '../planning/plan.js';
import { EXIT } from '../util/errors.js';

export type SyncMode = 'book' | 'dry-run' | 'rehearse';
export type Outcome = 'booked' | 'already-booked' | 'failed' | 'rehearsed';

export interface SourceInfo {
  kind: SourceKind;
  fetchedAt: string;
}

export interface ItemResult {
  outcome: Outcome;
  error?: string;
  /** The booking as ESR listed it when checked after booking: its approval status. */
  existing?: Absence;
}

/** One sync, as a value: every view (table, JSON, notification, log) is rendered from it. */
export interface SyncReport {
  mode: SyncMode;
  plan: Plan;
  division: string;
  source: SourceInfo;
  assignment: { id: string; label: string };
  results: Map<IsoDate, ItemResult>;
  /** The person said no, or there was no terminal to ask on and no --yes. */
  declined?: 'answered-no' | 'no-terminal';
  /** What stopped the bookings before the end (later days were not sent). */
  stopped?: string;
  /** False when ESR's list, read afresh after booking, could not be read. */
  verified?: boolean;
  interrupted?: boolean;
  /** Where a failed run left its screenshot and trace. */
  artifacts?: string;
  exitCode: number;
}

/** What the sync says while it works, for a view to show as it happens. */
export type SyncEvent =
  | { type: 'planned'; report: SyncReport }
  | { type: 'item'; index: number; total: number; item: PlanItem; result: ItemResult }
  | { type: 'evidence'; dir: string };

export function outcomeCounts(results: Map<IsoDate, ItemResult>): Record<Outcome, number> {
  const counts: Record<Outcome, number> = { booked: 0, 'already-booked': 0, failed: 0, rehearsed: 0 };
  for (const result of results.values()) counts[result.outcome] += 1;
  return counts;
}

/** The days still to see to: planned but neither booked nor found, or accepted earlier and not listed. */
export function unfinished(report: SyncReport): PlanItem[] {
  return report.plan.items.filter((item) => item.action === 'unconfirmed' || report.results.get(item.date)?.outcome === 'failed');
}

/** The exit code a report stands for: refused login, interruption, failure, usage, done. */
export function exitCodeOf(report: SyncReport, loginRefused: boolean): number {
  if (loginRefused) return EXIT.loginRefused;
  if (report.interrupted) return EXIT.interrupted;
  if (report.declined === 'no-terminal') return EXIT.usage;
  if (report.mode === 'book' && !report.declined && (report.verified === false || unfinished(report).length > 0)) return EXIT.failure;
  if (outcomeCounts(report.results).failed > 0) return EXIT.failure;
  return EXIT.ok;
}

/** The ESR approval status of each day of the leave year that ESR holds, after this run. */
export function statusesInEsr(report: SyncReport): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of report.plan.items) {
    const found = report.results.get(item.date)?.existing ?? (item.action === 'already-booked' ? item.existing : undefined);
    if (found) counts.set(found.status, (counts.get(found.status) ?? 0) + 1);
  }
  return counts;
}
