import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/files.js';
import type { Feed } from './feed.js';

/** What a cached copy is a copy of, and what to ask GOV.UK about it: enough for a conditional GET. */
export interface Validators {
  url: string;
  etag?: string;
  lastModified?: string;
}

export interface CachedFeed extends Validators {
  fetchedAt: string;
  feed: Feed;
}

/** The cache as written, its feed not yet checked (that needs the feed's schema, and zod with it). */
export type CacheRecord = Omit<CachedFeed, 'feed'> & { feed: unknown };

export const CACHE_FILE = 'bank-holidays.cache.json';

/**
 * The cache's record, or null when there is none or it does not say what it is a copy of and when it
 * was fetched. A validator that is not text is dropped: the copy is still good, just not askable by it.
 */
export function readCacheRecord(stateDir: string): CacheRecord | null {
  try {
    const cached = JSON.parse(readFileSync(join(stateDir, CACHE_FILE), 'utf8')) as CacheRecord;
    if (typeof cached.url !== 'string' || typeof cached.fetchedAt !== 'string' || Number.isNaN(Date.parse(cached.fetchedAt))) return null;
    if (typeof cached.etag !== 'string') delete cached.etag;
    if (typeof cached.lastModified !== 'string') delete cached.lastModified;
    return cached;
  } catch {
    return null;
  }
}

export function writeCache(stateDir: string, entry: CachedFeed): void {
  writeFileAtomic(join(stateDir, CACHE_FILE), JSON.stringify(entry));
}
