import type { NotifyOn } from '../config/schema.js';

export interface SyncOutcome {
  exitCode: number;
  /** The run booked at least one day. */
  changed: boolean;
}

/** failure: exitCode !== 0; change: something booked, or a failure; always: every sync. */
export function shouldNotify(on: NotifyOn, outcome: SyncOutcome): boolean {
  const failed = outcome.exitCode !== 0;
  switch (on) {
    case 'failure':
      return failed;
    case 'change':
      return failed || outcome.changed;
    case 'always':
      return true;
  }
}
