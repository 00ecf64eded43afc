import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { IsoDate } from '../planning/dates.js';

export type JournalEvent =
  | { event: 'intent'; assignment: string; date: IsoDate }
  /** ESR took the request: the form closed with no refusal. Never sent again without the person's say-so. */
  | { event: 'accepted'; assignment: string; date: IsoDate }
  | { event: 'outcome'; assignment: string; date: IsoDate; outcome: string; error?: string };

const FILE = 'journal.jsonl';

/**
 * `journal.jsonl`: an intent line before each booking, an `accepted` line the moment ESR takes it,
 * and an outcome line after, each on disk before the next step, so a killed run leaves a record.
 */
export class Journal {
  readonly path: string;
  /** Intents not yet given an outcome: an interrupted run closes them on its way out. */
  private readonly open = new Map<string, { assignment: string; date: IsoDate }>();

  constructor(
    stateDir: string,
    private readonly runId: string,
  ) {
    this.path = join(stateDir, FILE);
  }

  append(entry: JournalEvent): void {
    const key = `${entry.assignment} ${entry.date}`;
    if (entry.event === 'intent') this.open.set(key, { assignment: entry.assignment, date: entry.date });
    if (entry.event === 'outcome') this.open.delete(key);
    const fd = openSync(this.path, 'a', 0o600);
    try {
      writeSync(fd, `${JSON.stringify({ time: new Date().toISOString(), run: this.runId, ...entry })}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Give every open intent an outcome, e.g. `interrupted`; synchronous, so it works in an exit handler. */
  closeOpen(outcome: string, error: string): void {
    for (const { assignment, date } of [...this.open.values()]) this.append({ event: 'outcome', assignment, date, outcome, error });
  }
}

/** The days ESR accepted a request for, for one assignment, with the time it did (the latest). */
export function acceptedDays(stateDir: string, assignment: string): Map<IsoDate, string> {
  let text: string;
  try {
    text = readFileSync(join(stateDir, FILE), 'utf8');
  } catch {
    return new Map();
  }
  const days = new Map<IsoDate, string>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as { event?: string; assignment?: string; date?: string; time?: string };
      if (entry.event === 'accepted' && entry.assignment === assignment && entry.date) days.set(entry.date, entry.time ?? 'an earlier run');
    } catch {
      // A line cut short by a kill is not a record of anything.
    }
  }
  return days;
}
