import { describe, expect, it } from 'vitest';
import { leaveYearStarting } from '../../src/planning/leave-year.js';
import { buildPlan, type Absence, type Holiday } from '../../src/planning/plan.js';
import type { ItemResult, SyncReport } from '../../src/sync/report.js';
import { syncDocument } from '../../src/views/json.js';
import { notificationFor } from '../../src/views/notification.js';
import { planTable, syncSummaryLines } from '../../src/views/table.js';

const HOLIDAYS: Holiday[] = [
  { date: '2026-05-04', title: 'Early May bank holiday' },
  { date: '2026-05-25', title: 'Spring bank holiday' },
  { date: '2026-08-31', title: 'Summer bank holiday' },
];
const bh = (date: string, status: string): Absence => ({ start: date, end: date, reason: 'Bank Holiday', status });

function report(results: Array<[string, ItemResult]>, extra: Partial<SyncReport> = {}): SyncReport {
  const plan = buildPlan(
    HOLIDAYS,
    {
      leaveYear: leaveYearStarting(2026, '04-01'),
      today: '2026-04-01',
      workingDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
      includePast: false,
      exclude: [],
      extraDays: [],
      bankHolidayReason: 'Bank Holiday',
      inactiveStatuses: ['Rejected', 'Cancelled', 'Withdrawn'],
      activeStatuses: ['Awaiting Approval', 'Approved'],
    },
    { absences: [bh('2026-05-04', 'Approved'), bh('2026-08-31', 'Rejected')] },
  );
  return {
    mode: 'book',
    plan,
    division: 'england-and-wales',
    source: { kind: 'live', fetchedAt: '2026-04-01T07:00:00.000Z' },
    assignment: { id: '12345678', label: '12345678 Staff Nurse' },
    results: new Map(results),
    exitCode: 0,
    ...extra,
  };
}

const booked: ItemResult = { outcome: 'booked', existing: bh('2026-05-25', 'Awaiting Approval') };

describe('views of one sync report', () => {
  it('the table shows each day’s ESR status once ESR was read, and the person’s decision', () => {
    const lines = planTable(report([]).plan);
    expect(lines[0]).toMatch(/^Date\s+Day\s+Holiday\s+Action\s+ESR status\s+Reason$/);
    expect(lines[1]).toMatch(/^2026-05-04\s+Mon\s+Early May bank holiday\s+already booked\s+Approved$/);
    expect(lines[3]).toMatch(/2026-08-31 .*skip\s+Rejected\s+rejected in ESR \(--rebook 2026-08-31/);
  });

  it('the summary gives counts and ESR’s approval statuses', () => {
    expect(syncSummaryLines(report([['2026-05-25', booked]]))).toEqual([
      'Summary for 12345678 Staff Nurse: 1 booked, 0 already there, 0 failed.',
      'In ESR for this leave year: 1 Approved, 1 Awaiting Approval.',
    ]);
  });

  it('--json carries each item’s outcome and existing.status, and the exit code', () => {
    const doc = syncDocument(report([['2026-05-25', booked]]));
    expect(doc.items.find((i) => i.date === '2026-05-25')).toMatchObject({ outcome: 'booked', existing: { status: 'Awaiting Approval' } });
    expect(doc.items.find((i) => i.date === '2026-05-04')).toMatchObject({ action: 'already-booked', existing: { status: 'Approved' } });
    expect(doc).toMatchObject({ exitCode: 0, summary: { booked: 1, 'already-booked': 1, skip: 1 } });
  });

  it('a notification is one readable line, with the whole --json document', () => {
    const ok = notificationFor({ exitCode: 0, report: report([['2026-05-25', booked]]) });
    expect(ok).toMatchObject({ ok: true, exitCode: 0 });
    expect(ok.text).toBe(
      'esr-bank-holidays: 12345678 Staff Nurse, leave year 2026-04-01 to 2027-03-31: booked 1; 2026-08-31 rejected in ESR (in ESR: 1 Approved, 1 Awaiting Approval)',
    );
    expect(ok.text).not.toContain('\n');
    expect(ok.report).toEqual(syncDocument(report([['2026-05-25', booked]])));

    const failed = report([['2026-05-25', { outcome: 'failed', error: 'ESR refused the request: no entitlement left' }]], { exitCode: 1 });
    expect(notificationFor({ exitCode: 1, report: failed }).text).toMatch(/^esr-bank-holidays FAILED \(exit 1\): .*1 failed.*ESR refused the request: no entitlement left$/);

    const early = notificationFor({ exitCode: 1, error: new Error('ESR page element "absenceTable" (selector #absence-history) did not appear') });
    expect(early).toMatchObject({ ok: false, exitCode: 1, report: null });
    expect(early.text).toBe('esr-bank-holidays FAILED (exit 1): ESR page element "absenceTable" (selector #absence-history) did not appear');
  });
});
