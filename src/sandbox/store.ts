import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/files.js';

export interface SandboxAbsence {
  id: number;
  assignmentId: string;
  /** dd/mm/yyyy, as ESR shows it. */
  start: string;
  end: string;
  reason: string;
  status: string;
  comments: string;
}

export interface SandboxData {
  nextId: number;
  absences: SandboxAbsence[];
}

export type Seed = Omit<SandboxAbsence, 'id' | 'comments'> & { comments?: string };

/** The sandbox's absences, in a JSON file rewritten atomically after every change. */
export class SandboxStore {
  private data: SandboxData;

  constructor(
    readonly path: string,
    seed: readonly Seed[] = [],
  ) {
    if (existsSync(path)) {
      this.data = JSON.parse(readFileSync(path, 'utf8')) as SandboxData;
    } else {
      this.data = { nextId: 1, absences: [] };
      for (const absence of seed) this.add(absence);
      this.save();
    }
  }

  absences(assignmentId?: string): SandboxAbsence[] {
    return this.data.absences.filter((a) => assignmentId === undefined || a.assignmentId === assignmentId);
  }

  add(absence: Seed): SandboxAbsence {
    const created = { comments: '', ...absence, id: this.data.nextId++ };
    this.data.absences.push(created);
    this.save();
    return created;
  }

  /** The absence with its new status, or undefined when the assignment has no absence by that id. */
  setStatus(id: number, assignmentId: string, status: string): SandboxAbsence | undefined {
    const absence = this.data.absences.find((a) => a.id === id && a.assignmentId === assignmentId);
    if (!absence) return undefined;
    absence.status = status;
    this.save();
    return absence;
  }

  private save(): void {
    writeFileAtomic(this.path, JSON.stringify(this.data, null, 2));
  }
}
