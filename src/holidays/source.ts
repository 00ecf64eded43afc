import type { Logger } from '../util/logger.js';
import { readCacheRecord, writeCache, type CachedFeed } from './cache.js';
import { fetchFeed } from './client.js';
import { validateFeed, type Feed } from './feed.js';
import { askedAs, type Prefetch } from './prefetch.js';
import { loadSnapshot, SNAPSHOT_DATE } from './snapshot.js';

export type SourceKind = 'live' | 'cache' | 'bundled';

export interface HolidaySource {
  feed: Feed;
  source: { kind: SourceKind; fetchedAt: string };
}

export interface LoadOptions {
  url: string;
  stateDir: string;
  offline: boolean;
  timeoutMs: number;
  tries: number;
  backoffMs?: number;
  log: Logger;
  now?: () => Date;
  /** The GET already sent for this run (see prefetch.ts): its answer is taken if it asked what this would ask, else it is ended. */
  prefetched?: Prefetch | undefined;
}

/** The cached copy, or null: a cache is only as good as its record, and a feed that no longer validates is no cache at all. */
export function readCache(stateDir: string): CachedFeed | null {
  const record = readCacheRecord(stateDir);
  if (!record) return null;
  try {
    validateFeed(record.feed);
  } catch {
    return null;
  }
  return record as CachedFeed;
}

/**
 * The feed from GOV.UK when it can be had, else the last good copy, else the bundled snapshot;
 * every fallback is said in a warning.
 */
export async function loadHolidays(options: LoadOptions): Promise<HolidaySource> {
  const now = options.now ?? (() => new Date());
  const cached = readCache(options.stateDir);
  let why = 'running offline';

  const early = options.prefetched;
  const sent = early && !options.offline && askedAs(early, options, cached) ? early.result : undefined;
  if (early && !sent) early.abort();

  if (!options.offline) {
    try {
      const result = await (sent ?? fetchFeed({ ...options, cached }));
      if (result.kind === 'not-modified' && cached) {
        options.log.debug({ fetchedAt: cached.fetchedAt }, 'GOV.UK feed unchanged; using the cached copy');
        return { feed: cached.feed, source: { kind: 'live', fetchedAt: cached.fetchedAt } };
      }
      if (result.kind === 'fresh') {
        writeCache(options.stateDir, result.entry);
        return { feed: result.entry.feed, source: { kind: 'live', fetchedAt: result.entry.fetchedAt } };
      }
    } catch (error) {
      why = (error as Error).message;
    }
  }

  // Offline, the newer copy wins: a cache older than the bundled snapshot would hide holidays the snapshot has.
  if (cached && cached.fetchedAt.slice(0, 10) >= SNAPSHOT_DATE) {
    // Loaded only here, for this one message: with its English locale it is some 20 files.
    const { formatDistanceStrict } = await import('date-fns/formatDistanceStrict');
    const age = formatDistanceStrict(new Date(cached.fetchedAt), now());
    options.log.warn(`${why}; using the bank holidays cached ${age} ago (${cached.fetchedAt})`);
    return { feed: cached.feed, source: { kind: 'cache', fetchedAt: cached.fetchedAt } };
  }
  if (cached) options.log.debug({ fetchedAt: cached.fetchedAt }, 'the cached feed is older than the bundled snapshot');
  options.log.warn(
    `${why}; using the bank holidays bundled with this tool, a snapshot of GOV.UK from ${SNAPSHOT_DATE} that may miss holidays announced since`,
  );
  return { feed: await loadSnapshot(), source: { kind: 'bundled', fetchedAt: SNAPSHOT_DATE } };
}
