import type { LoginMethod } from '../esr/session.js';
import type { SyncReport } from '../sync/report.js';
import type { Context } from './context.js';

/** Tell the person how a sync went, when config asks for it (filled in with src/notify). */
export async function notifyOutcome(
  _context: Context,
  _login: LoginMethod,
  _outcome: { exitCode: number; report?: SyncReport; error?: unknown },
): Promise<void> {}
