import { request } from 'undici';
import { explainHttpError, retryingDispatcher, type RetryOptions } from '../util/http.js';
import { FeedError, parseFeed } from './feed.js';
import type { CachedFeed } from './cache.js';

export interface FetchOptions extends RetryOptions {
  url: string;
  cached?: CachedFeed | null;
  now?: () => Date;
}

export type FetchResult = { kind: 'fresh'; entry: CachedFeed } | { kind: 'not-modified' };

/** The feed could not be had; the message says why, for a person to read. */
export class FeedUnavailable extends Error {
  override name = 'FeedUnavailable';
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * GET the feed, conditionally when there is a cache: the server decides whether the cache is
 * still current, so a cache never hides a newer feed.
 */
export async function fetchFeed(options: FetchOptions): Promise<FetchResult> {
  const { url, timeoutMs, cached } = options;
  const now = options.now ?? (() => new Date());
  const dispatcher = retryingDispatcher(options);
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
    throw new FeedUnavailable(`could not fetch ${url}: ${explainHttpError(error, options)}`);
  } finally {
    await dispatcher.close().catch(() => undefined);
  }
}
