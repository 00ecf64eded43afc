import { chmodSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright';

/** A run's id: sortable by time, and safe as a folder name. */
export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
}

/**
 * What a failed run leaves behind: screenshots and a Playwright trace in
 * `<state dir>/artifacts/<run id>/`, readable by the owner alone.
 */
export class Evidence {
  readonly dir: string;
  private recording = false;
  private chunk = 0;

  constructor(
    stateDir: string,
    readonly runId: string = newRunId(),
    private readonly keepRuns = 10,
    /** DOM snapshots around each action: richer traces, about 0.1 s more per booking. */
    private readonly snapshots = false,
  ) {
    this.dir = join(stateDir, 'artifacts', runId);
  }

  private ensureDir(): string {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    chmodSync(join(this.dir, '..'), 0o700);
    chmodSync(this.dir, 0o700);
    return this.dir;
  }

  /** A screenshot named after the step, never after anything the person typed. */
  async screenshot(page: Page, step: string): Promise<string | undefined> {
    try {
      const path = join(this.ensureDir(), `${step.replace(/[^a-z0-9-]+/gi, '-')}.png`);
      writeFileSync(path, await page.screenshot({ fullPage: true, timeout: 5_000 }), { mode: 0o600 });
      this.prune();
      return path;
    } catch {
      return undefined;
    }
  }

  /** Start recording; call only when no password is on the page or about to be typed. */
  async startTrace(context: BrowserContext): Promise<void> {
    if (this.recording) return;
    await context.tracing.start({ screenshots: this.snapshots, snapshots: this.snapshots });
    this.recording = true;
  }

  /**
   * Stop recording before a login, keeping what was recorded. Stopped, not paused between chunks:
   * a started trace goes on collecting network events, and a login's request carries the password.
   */
  async pauseTrace(context: BrowserContext): Promise<void> {
    await this.saveTrace(context);
  }

  /** Save what was recorded since the last start, next to the screenshots. */
  async saveTrace(context: BrowserContext): Promise<string | undefined> {
    if (!this.recording) return undefined;
    this.recording = false;
    this.chunk += 1;
    const path = join(this.ensureDir(), `trace-${this.chunk}.zip`);
    try {
      await context.tracing.stop({ path });
      chmodSync(path, 0o600);
      this.prune();
      return path;
    } catch {
      return undefined;
    }
  }

  /** A run that ended well keeps nothing. */
  discard(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  hasFiles(): boolean {
    try {
      return readdirSync(this.dir).length > 0;
    } catch {
      return false;
    }
  }

  /** Keep the newest runs' artifacts only. */
  prune(): void {
    const root = join(this.dir, '..');
    let runs: string[];
    try {
      runs = readdirSync(root).filter((name) => statSync(join(root, name)).isDirectory());
    } catch {
      return;
    }
    runs.sort();
    for (const old of runs.slice(0, Math.max(0, runs.length - this.keepRuns))) {
      if (old !== this.runId) rmSync(join(root, old), { recursive: true, force: true });
    }
  }
}
