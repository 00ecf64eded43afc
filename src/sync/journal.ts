import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { IsoDate } from '../planning/dates.js';

export type JournalEvent =
  | { event: 'intent'; assignment: string; date: IsoDate }
  | { event: 'outcome'; assignment: string; date: IsoDate; outcome: string; error?: string };

/**
 * `journal.jsonl`: an intent line before each booking and an outcome line after, each on disk
 * before the next step, so a killed run leaves a record of what it was doing.
 */
export class Journal {
  readonly path: string;

  constructor(
    stateDir: string,
    private readonly runId: string,
  ) {
    this.path = join(stateDir, 'journal.jsonl');
  }

  append(entry: JournalEvent): void {
    const fd = openSync(this.path, 'a', 0o600);
    try {
      writeSync(fd, `${JSON.stringify({ time: new Date().toISOString(), run: this.runId, ...entry })}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
