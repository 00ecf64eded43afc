import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/files.js';
import { validateFeed, type Feed } from './feed.js';

export interface CachedFeed {
  url: string;
  fetchedAt: string;
  etag?: string;
  lastModified?: string;
  feed: Feed;
}

export const CACHE_FILE = 'bank-holidays.cache.json';

export function readCache(stateDir: string): CachedFeed | null {
  try {
    const cached = JSON.parse(readFileSync(join(stateDir, CACHE_FILE), 'utf8')) as CachedFeed;
    // A cache is only as good as its record: a feed that no longer validates, or no date it was fetched, is no cache at all.
    validateFeed(cached.feed);
    if (typeof cached.url !== 'string' || typeof cached.fetchedAt !== 'string' || Number.isNaN(Date.parse(cached.fetchedAt))) return null;
    return cached;
  } catch {
    return null;
  }
}

export function writeCache(stateDir: string, entry: CachedFeed): void {
  writeFileAtomic(join(stateDir, CACHE_FILE), JSON.stringify(entry));
}
