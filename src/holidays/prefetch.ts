/**
 * The feed's GET sent before the config is checked, so GOV.UK's round trip overlaps the loading of
 * zod and the check instead of following them. No schema here: the cache is read as written, and
 * loadHolidays takes the answer only if it asked what loadHolidays itself would ask.
 */
import { readCacheRecord, type Validators } from './cache.js';
import { conditionalHeaders, fetchFeed, type FetchResult } from './client.js';

/** Where and how to fetch the feed, and which cache it updates. */
export interface FeedRequest {
  url: string;
  stateDir: string;
  timeoutMs: number;
  tries: number;
  backoffMs?: number;
}

export interface Prefetch {
  request: FeedRequest;
  /** The cache the GET asked about, as read before its feed was checked. */
  askedAbout: Validators | null;
  result: Promise<FetchResult>;
  /** Ends the GET if it is still going: called whenever the run does not take its answer. */
  abort(): void;
}

export function prefetchFeed(request: FeedRequest): Prefetch {
  const record = readCacheRecord(request.stateDir);
  const controller = new AbortController();
  const result = fetchFeed({ ...request, cached: record, signal: controller.signal });
  // Its failure is the caller's to report, if it takes the answer at all.
  result.catch(() => undefined);
  return { request, askedAbout: record, result, abort: () => controller.abort() };
}

/** What a GET asks about a cache: its validators, and whether a 304 means that copy (fetchFeed's rule). */
const question = (url: string, cached: Validators | null) => JSON.stringify([conditionalHeaders(url, cached), cached?.url === url]);

/**
 * Whether the prefetch sent the very GET that `request`, with the cache as checked, would send, and
 * would take its answer the same way.
 */
export function askedAs(prefetch: Prefetch, request: FeedRequest, cached: Validators | null): boolean {
  const sent = prefetch.request;
  return (
    sent.url === request.url &&
    sent.stateDir === request.stateDir &&
    sent.timeoutMs === request.timeoutMs &&
    sent.tries === request.tries &&
    sent.backoffMs === request.backoffMs &&
    question(sent.url, prefetch.askedAbout) === question(request.url, cached)
  );
}
