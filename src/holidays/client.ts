import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_BACKOFF_MS, RETRIED_NETWORK_ERRORS, RETRIED_STATUSES } from '../util/retry-policy.js';
import type { CachedFeed, Validators } from './cache.js';

export interface FetchOptions {
  url: string;
  /** The whole fetch, retries included, gives up after this long. */
  timeoutMs: number;
  /** Tries in all, the first included. */
  tries: number;
  /** The first backoff; each later one doubles. */
  backoffMs?: number;
  /** The cache to ask about: its URL and validators (its feed is not read). */
  cached?: Validators | null;
  now?: () => Date;
  /** Ends the fetch early: a fetch started before the config was checked, and not needed after all. */
  signal?: AbortSignal;
}

export type FetchResult = { kind: 'fresh'; entry: CachedFeed } | { kind: 'not-modified' };

/** The feed could not be had; the message says why, for a person to read. */
export class FeedUnavailable extends Error {
  override name = 'FeedUnavailable';
}

const RETRIED_STATUS = new Set(RETRIED_STATUSES);
const RETRIED_ERROR = new Set(RETRIED_NETWORK_ERRORS);

interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A status that ran out of tries. */
class RetriesSpent extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function explain(error: unknown, options: FetchOptions): string {
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${options.timeoutMs / 1000} s`;
  if (error instanceof RetriesSpent) return `HTTP ${error.status} after ${options.tries} tries`;
  const code = e.code ?? e.cause?.code;
  return code ? `${code} (${e.message ?? 'network error'})` : (e.message ?? String(error));
}

/** One GET, its body read whole. */
function get(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    // agent: false: a one-off request leaves no pooled socket behind.
    const request = send(url, { headers, signal, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      response.on('error', reject);
    });
    request.on('error', reject);
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    request.end();
  });
}

/** A Retry-After in seconds, as servers that shed load send it; else the doubling backoff. */
function backoff(attempt: number, firstMs: number, retryAfter: string | undefined): number {
  const seconds = retryAfter === undefined ? NaN : Number(retryAfter);
  const ms = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : firstMs * 2 ** (attempt - 1);
  return Math.min(ms, MAX_BACKOFF_MS);
}

/** GET with retries on the statuses and network errors that pass, all within the signal's time. */
async function getRetrying(url: URL, headers: Record<string, string>, tries: number, firstBackoffMs: number, signal: AbortSignal): Promise<Response> {
  for (let attempt = 1; ; attempt += 1) {
    let retryAfter: string | undefined;
    try {
      const response = await get(url, headers, signal);
      if (!RETRIED_STATUS.has(response.status)) return response;
      if (attempt >= tries) throw new RetriesSpent(response.status);
      retryAfter = header(response.headers['retry-after']);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (error instanceof RetriesSpent || !code || !RETRIED_ERROR.has(code) || attempt >= tries) throw error;
    }
    await sleep(backoff(attempt, firstBackoffMs, retryAfter), undefined, { signal });
  }
}

/**
 * GET the feed, conditionally when there is a cache: the server decides whether the cache is
 * still current, so a cache never hides a newer feed. On node:http rather than undici: this GET is
 * on every `plan`'s path, and loading undici cost more than the rest of `plan` (the notification,
 * sent once at the end of a sync, keeps undici's retry interceptor).
 */
export async function fetchFeed(options: FetchOptions): Promise<FetchResult> {
  const { url, timeoutMs, tries, cached } = options;
  const now = options.now ?? (() => new Date());
  const conditional = conditionalHeaders(url, cached);
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'esr-bank-holidays', ...conditional };

  let response: Response;
  try {
    const time = AbortSignal.timeout(timeoutMs);
    response = await getRetrying(new URL(url), headers, Math.max(1, tries), options.backoffMs ?? 500, options.signal ? AbortSignal.any([time, options.signal]) : time);
  } catch (error) {
    throw new FeedUnavailable(`could not fetch ${url}: ${explain(error, options)}`);
  }
  if (response.status === 304 && cached?.url === url) return { kind: 'not-modified' };
  if (response.status !== 200) throw new FeedUnavailable(`GOV.UK answered HTTP ${response.status} for ${url}`);
  // Loaded once there is a body to check, not before: the request goes out while zod still loads.
  const { parseFeed } = await import('./feed.js');
  const entry: CachedFeed = { url, fetchedAt: now().toISOString(), feed: parseFeed(response.body) };
  const etag = header(response.headers.etag);
  const lastModified = header(response.headers['last-modified']);
  if (etag) entry.etag = etag;
  if (lastModified) entry.lastModified = lastModified;
  return { kind: 'fresh', entry };
}

/** What a GET of `url` asks about the cache: whether its copy is still current, if it is a copy of `url`. */
export function conditionalHeaders(url: string, cached: Validators | null | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!cached || cached.url !== url) return headers;
  if (cached.etag) headers['if-none-match'] = cached.etag;
  if (cached.lastModified) headers['if-modified-since'] = cached.lastModified;
  return headers;
}
