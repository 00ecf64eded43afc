import type { SyncEvent } from '../sync/report.js';
import { planTable, progressLine, summaryLine } from './table.js';

/** The sync as it happens, for a person: the plan when it is known, then a line per booking. */
export function terminalProgress(out: (line: string) => void, options: { showPlan: boolean }): (event: SyncEvent) => void {
  return (event) => {
    if (event.type === 'planned' && options.showPlan) {
      const { report } = event;
      out(`ESR assignment ${report.assignment.label}`);
      for (const line of planTable(report.plan)) out(line);
      out('');
      out(summaryLine(report.plan, report.division, report.source));
    } else if (event.type === 'item') {
      out(progressLine(event.index, event.total, event.item, event.result));
    } else if (event.type === 'evidence') {
      out(`Screenshot and trace of the failure: ${event.dir}`);
    }
  };
}
