import type { LoginMethod } from '../esr/session.js';
import type { SyncReport } from '../sync/report.js';
import { changed, notificationFor } from '../views/notification.js';
import type { Context } from './context.js';

/** Neither the username nor the password is ever in a notification, even if some text quoted them. */
function withoutLogin<T>(message: T, login: LoginMethod): T {
  if (login.kind !== 'password') return message;
  const { username, password } = login.credentials;
  let json = JSON.stringify(message);
  for (const secret of [password, username].filter((s) => s.length >= 3)) json = json.split(JSON.stringify(secret).slice(1, -1)).join('[redacted]');
  return JSON.parse(json) as T;
}

/** Tell the person how a sync went, when `notify.url` is set and `notify.on` asks for it; never changes the exit code. */
export async function notifyOutcome(
  context: Context,
  login: LoginMethod,
  outcome: { exitCode: number; report?: SyncReport; error?: unknown },
): Promise<void> {
  const settings = context.config.notify;
  if (!settings.url) return;
  const { sendNotification, shouldNotify } = await import('../notify/index.js');
  if (!shouldNotify(settings.on, { exitCode: outcome.exitCode, changed: changed(outcome.report) })) return;
  await sendNotification(settings, withoutLogin(notificationFor(outcome), login), context.log);
}
