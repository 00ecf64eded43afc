import { Agent, interceptors, type Dispatcher } from 'undici';
import { MAX_BACKOFF_MS, RETRIED_NETWORK_ERRORS, RETRIED_STATUSES } from './retry-policy.js';

export interface RetryOptions {
  /** Each connect, headers or body wait gives up after this long; callers bound the whole request, retries included, by it too. */
  timeoutMs: number;
  /** Tries in all, the first included. */
  tries: number;
  /** The first backoff; each later one doubles. */
  backoffMs?: number;
}

/** undici's own names for a dropped connection or a wait that ran out, on top of the shared list. */
const RETRIED_ERRORS = [...RETRIED_NETWORK_ERRORS, 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'];

/** An undici dispatcher that retries network errors, 5xx and 429 with backoff. Close it after use. */
export function retryingDispatcher(options: RetryOptions): Dispatcher {
  const { timeoutMs } = options;
  return new Agent({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: timeoutMs }).compose(
    interceptors.retry({
      maxRetries: Math.max(0, options.tries - 1),
      minTimeout: options.backoffMs ?? 500,
      maxTimeout: MAX_BACKOFF_MS,
      timeoutFactor: 2,
      statusCodes: RETRIED_STATUSES,
      errorCodes: RETRIED_ERRORS,
      // undici retries only idempotent methods by default. A POST is retried too: the only POST is a
      // notification, and a rare duplicate of it does less harm than a lost one.
      methods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE', 'POST'],
    }),
  );
}

/** Why a request through `retryingDispatcher` failed, in words, without the URL. */
export function explainHttpError(error: unknown, options: RetryOptions): string {
  const e = error as { name?: string; code?: string; statusCode?: number; message?: string; cause?: { code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${options.timeoutMs / 1000} s`;
  if (e.name === 'RequestRetryError' && e.statusCode) return `HTTP ${e.statusCode} after ${options.tries} tries`;
  const code = e.code ?? e.cause?.code;
  return code ? `${code} (${e.message ?? 'network error'})` : (e.message ?? String(error));
}
