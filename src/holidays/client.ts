import { FeedError, parseFeed } from './feed.js';
import type { CachedFeed } from './cache.js';

export interface FetchOptions {
  url: string;
  /** The whole fetch, retries included, gives up after this long. */
  timeoutMs: number;
  /** Tries in all, the first included. */
  tries: number;
  /** The first backoff; each later one doubles. */
  backoffMs?: number;
  cached?: CachedFeed | null;
  now?: () => Date;
}

export type FetchResult = { kind: 'fresh'; entry: CachedFeed } | { kind: 'not-modified' };

/** The feed could not be had; the message says why, for a person to read. */
export class FeedUnavailable extends Error {
  override name = 'FeedUnavailable';
}

const RETRIED_ERRORS = [
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
];

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function explain(error: unknown, options: FetchOptions): string {
  const e = error as { name?: string; code?: string; statusCode?: number; message?: string; cause?: { code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${options.timeoutMs / 1000} s`;
  if (e.name === 'RequestRetryError' && e.statusCode) return `HTTP ${e.statusCode} after ${options.tries} tries`;
  const code = e.code ?? e.cause?.code;
  return code ? `${code} (${e.message ?? 'network error'})` : (e.message ?? String(error));
}

/**
 * GET the feed, conditionally when there is a cache: the server decides whether the cache is
 * still current, so a cache never hides a newer feed.
 */
export async function fetchFeed(options: FetchOptions): Promise<FetchResult> {
  const { url, timeoutMs, tries, cached } = options;
  const now = options.now ?? (() => new Date());
  // Loaded here, not at the top: a run from the cache or the snapshot never pays for it.
  const { Agent, interceptors, request } = await import('undici');
  const dispatcher = new Agent({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: timeoutMs }).compose(
    interceptors.retry({
      maxRetries: Math.max(0, tries - 1),
      minTimeout: options.backoffMs ?? 500,
      maxTimeout: 4_000,
      timeoutFactor: 2,
      statusCodes: [429, 500, 502, 503, 504],
      errorCodes: RETRIED_ERRORS,
    }),
  );
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'esr-bank-holidays' };
  const sameUrl = cached && cached.url === url;
  if (sameUrl && cached.etag) headers['if-none-match'] = cached.etag;
  if (sameUrl && cached.lastModified) headers['if-modified-since'] = cached.lastModified;

  try {
    const response = await request(url, { dispatcher, headers, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.body.text();
    if (response.statusCode === 304 && sameUrl) return { kind: 'not-modified' };
    if (response.statusCode !== 200) throw new FeedUnavailable(`GOV.UK answered HTTP ${response.statusCode} for ${url}`);
    const entry: CachedFeed = { url, fetchedAt: now().toISOString(), feed: parseFeed(text) };
    const etag = header(response.headers.etag);
    const lastModified = header(response.headers['last-modified']);
    if (etag) entry.etag = etag;
    if (lastModified) entry.lastModified = lastModified;
    return { kind: 'fresh', entry };
  } catch (error) {
    if (error instanceof FeedUnavailable || error instanceof FeedError) throw error;
    throw new FeedUnavailable(`could not fetch ${url}: ${explain(error, options)}`);
  } finally {
    await dispatcher.close().catch(() => undefined);
  }
}
