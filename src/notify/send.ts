import { request } from 'undici';
import type { Config } from '../config/schema.js';
import { explainHttpError, retryingDispatcher } from '../util/http.js';
import type { Logger } from '../util/logger.js';
import { scrub } from '../util/secrets.js';

/** What a sync tells its receiver; `text` is what a chat webhook shows, `report` is the `sync --json` document. */
export interface NotificationMessage {
  ok: boolean;
  exitCode: number;
  text: string;
  report: unknown;
}

export type Delivery = { ok: true } | { ok: false; reason: string };

/**
 * The message as JSON, with every registered secret masked in its strings: the sender builds it
 * without the login, and this keeps it so if that ever slips. Masking the strings before
 * serialising catches a secret JSON would escape.
 */
export function notificationBody(message: NotificationMessage): string {
  return JSON.stringify(message, (_key, value: unknown) => (typeof value === 'string' ? scrub(value) : value));
}

/**
 * Where the notification goes, as it may be printed: the host only. The path and query of a
 * Slack, Teams or ntfy address are its secret.
 */
export function receiverName(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the notify.url';
  }
}

function withoutAddress(reason: string, url: URL): string {
  let out = reason.split(url.href).join(url.host);
  const secretPart = `${url.pathname}${url.search}`;
  if (secretPart.length > 1) out = out.split(secretPart).join('/…');
  return out;
}

/** POST the message once (the dispatcher retries); says why when it was not accepted. Never throws. */
export async function deliverNotification(settings: Config['notify'], message: NotificationMessage): Promise<Delivery> {
  if (!settings.url) return { ok: false, reason: 'no notify.url is set' };
  let url: URL;
  try {
    url = new URL(settings.url);
  } catch {
    return { ok: false, reason: 'notify.url is not a URL' };
  }
  const retry = { timeoutMs: settings.timeoutSeconds * 1000, tries: settings.tries };
  const dispatcher = retryingDispatcher(retry);
  try {
    const response = await request(url, {
      method: 'POST',
      dispatcher,
      headers: { 'content-type': 'application/json', 'user-agent': 'esr-bank-holidays' },
      body: notificationBody(message),
      // The whole delivery, retries included, must not hold up the end of a scheduled run.
      signal: AbortSignal.timeout(retry.timeoutMs),
    });
    await response.body.dump();
    if (response.statusCode >= 200 && response.statusCode < 300) return { ok: true };
    return { ok: false, reason: `HTTP ${response.statusCode}` };
  } catch (error) {
    return { ok: false, reason: withoutAddress(explainHttpError(error, retry), url) };
  } finally {
    await dispatcher.close().catch(() => undefined);
  }
}

/**
 * POST the message as JSON to notify.url. A notification that cannot be delivered is one warning
 * naming only the receiver's host, and `false`: it must never change how the sync ends.
 * Without a notify.url there is nothing to send, and no warning.
 */
export async function sendNotification(settings: Config['notify'], message: NotificationMessage, log: Logger): Promise<boolean> {
  if (!settings.url) return false;
  // An error's message might quote the address, so only its name is kept.
  const delivery = await deliverNotification(settings, message).catch(
    (error: unknown): Delivery => ({ ok: false, reason: `unexpected ${(error as Error)?.name ?? 'error'}` }),
  );
  if (delivery.ok) {
    log.debug({ receiver: receiverName(settings.url) }, 'notification delivered');
    return true;
  }
  log.warn(`could not deliver the notification to ${receiverName(settings.url)}: ${delivery.reason}`);
  return false;
}
