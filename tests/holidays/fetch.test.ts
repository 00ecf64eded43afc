import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeCache } from '../../src/holidays/cache.js';
import { fetchFeed, FeedUnavailable } from '../../src/holidays/client.js';
import { FeedError, parseFeed } from '../../src/holidays/feed.js';
import { SNAPSHOT_DATE } from '../../src/holidays/snapshot.js';
import { prefetchFeed } from '../../src/holidays/prefetch.js';
import { loadHolidays, readCache } from '../../src/holidays/source.js';
import { reply, startFeedServer, type FeedServer, type Reply } from '../helpers/feed-server.js';
import { FEED_2022, FEED_2026, fixtureJson, fixtureText } from '../helpers/fixtures.js';
import { captureLogger } from '../helpers/log.js';
import { tempDir } from '../helpers/cli.js';

const feed2026 = fixtureText(FEED_2026);
const feed2022 = fixtureText(FEED_2022);
let server: FeedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const fast = { timeoutMs: 2_000, tries: 3, backoffMs: 20 };

describe('fetchFeed', () => {
  it('fetches and validates the feed, keeping its ETag', async () => {
    server = await startFeedServer(reply.json(feed2026, { etag: '"v1"', 'last-modified': 'Wed, 25 Feb 2026 10:00:00 GMT' }));
    const result = await fetchFeed({ url: server.url, ...fast });
    expect(result.kind).toBe('fresh');
    if (result.kind !== 'fresh') return;
    expect(result.entry.etag).toBe('"v1"');
    expect(result.entry.lastModified).toBe('Wed, 25 Feb 2026 10:00:00 GMT');
    expect(result.entry.feed.scotland.events.length).toBeGreaterThan(50);
  });

  it('asks conditionally with the cached ETag and takes 304 as "unchanged"', async () => {
    server = await startFeedServer(reply.etag(feed2026, '"v1"'));
    const cached = { url: server.url, fetchedAt: '2026-11-01T00:00:00.000Z', etag: '"v1"', feed: parseFeed(feed2026) };
    expect(await fetchFeed({ url: server.url, ...fast, cached })).toEqual({ kind: 'not-modified' });
    expect(server.requests[0]!.headers['if-none-match']).toBe('"v1"');
  });

  it('does not send a cache validator for another URL', async () => {
    server = await startFeedServer(reply.etag(feed2026, '"v1"'));
    const cached = { url: 'http://elsewhere.invalid/feed.json', fetchedAt: '2026-11-01T00:00:00.000Z', etag: '"v1"', feed: parseFeed(feed2026) };
    expect((await fetchFeed({ url: server.url, ...fast, cached })).kind).toBe('fresh');
    expect(server.requests[0]!.headers['if-none-match']).toBeUndefined();
  });

  it('retries a 503 and a 429, then succeeds', async () => {
    server = await startFeedServer(reply.status(503), reply.status(429), reply.json(feed2026));
    expect((await fetchFeed({ url: server.url, ...fast })).kind).toBe('fresh');
    expect(server.requests).toHaveLength(3);
  });

  it('retries a dropped connection, then succeeds', async () => {
    server = await startFeedServer((req) => req.socket.destroy(), reply.json(feed2026));
    expect((await fetchFeed({ url: server.url, ...fast })).kind).toBe('fresh');
    expect(server.requests).toHaveLength(2);
  });

  it("waits as long as the server's Retry-After asks, not the longer backoff", async () => {
    const busy: Reply = (_req, res) => {
      res.writeHead(503, { 'retry-after': '0' });
      res.end();
    };
    server = await startFeedServer(busy, reply.json(feed2026));
    expect((await fetchFeed({ url: server.url, timeoutMs: 2_000, tries: 3, backoffMs: 60_000 })).kind).toBe('fresh');
  });

  it('gives up after three tries of 5xx', async () => {
    server = await startFeedServer(reply.status(502));
    await expect(fetchFeed({ url: server.url, ...fast })).rejects.toThrow(/HTTP 502 after 3 tries/);
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry other 4xx', async () => {
    server = await startFeedServer(reply.status(404));
    await expect(fetchFeed({ url: server.url, ...fast })).rejects.toThrow(/HTTP 404/);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a refused connection, then says what happened', async () => {
    await expect(fetchFeed({ url: 'http://127.0.0.1:9/bank-holidays.json', ...fast })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('times out a server that never answers', async () => {
    server = await startFeedServer(reply.hang());
    const started = Date.now();
    await expect(fetchFeed({ url: server.url, timeoutMs: 300, tries: 3, backoffMs: 20 })).rejects.toThrow(FeedUnavailable);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('says what is wrong with malformed JSON', async () => {
    server = await startFeedServer(reply.json('{"england-and-wales": '));
    await expect(fetchFeed({ url: server.url, ...fast })).rejects.toThrow(/not JSON/);
  });

  it('names the place a feed breaks its schema', async () => {
    const bad = fixtureJson(FEED_2026);
    bad.scotland.events[3].date = '2026-02-30';
    bad['england-and-wales'].events[0].title = ' ';
    delete bad['northern-ireland'];
    server = await startFeedServer(reply.json(JSON.stringify(bad)));
    const error = await fetchFeed({ url: server.url, ...fast }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedError);
    const message = (error as Error).message;
    expect(message).toContain('england-and-wales.events.0.title: title is empty');
    expect(message).toContain('scotland.events.3.date: is not a real YYYY-MM-DD date');
    expect(message).toContain('northern-ireland');
  });
});

describe('fetchFeed, given a time no timer can hold', () => {
  it('is a feed that could not be fetched, saying so, not a raw error', async () => {
    const error = await fetchFeed({ url: 'http://127.0.0.1:9/x.json', timeoutMs: 5e12, tries: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedUnavailable);
    expect((error as Error).message).toMatch(/^could not fetch http:\/\/127\.0\.0\.1:9\/x\.json: ERR_OUT_OF_RANGE/);
  });
});

describe('loadHolidays', () => {
  it('caches a live feed and revalidates it next time', async () => {
    server = await startFeedServer(reply.etag(feed2026, '"v1"'));
    const stateDir = tempDir();
    const { log } = captureLogger();
    const first = await loadHolidays({ url: server.url, stateDir, offline: false, log, ...fast });
    expect(first.source.kind).toBe('live');
    expect(readCache(stateDir)?.etag).toBe('"v1"');
    const second = await loadHolidays({ url: server.url, stateDir, offline: false, log, ...fast });
    expect(second.source).toEqual(first.source);
    expect(server.requests[1]!.headers['if-none-match']).toBe('"v1"');
  });

  it('replaces the cache when GOV.UK publishes a newer feed', async () => {
    server = await startFeedServer(reply.etag(feed2022, '"old"'));
    const stateDir = tempDir();
    const { log } = captureLogger();
    const old = await loadHolidays({ url: server.url, stateDir, offline: false, log, ...fast });
    expect(old.feed['england-and-wales'].events.some((e) => e.date.startsWith('2027'))).toBe(false);
    server.script(reply.etag(feed2026, '"new"'));
    const fresh = await loadHolidays({ url: server.url, stateDir, offline: false, log, ...fast });
    expect(fresh.feed['england-and-wales'].events.some((e) => e.date === '2027-03-26')).toBe(true);
    expect(readCache(stateDir)?.etag).toBe('"new"');
  });

  it('falls back to the cache, saying why and how old it is', async () => {
    const stateDir = tempDir();
    writeCache(stateDir, { url: 'x', fetchedAt: '2026-11-18T12:00:00.000Z', feed: parseFeed(feed2026) });
    server = await startFeedServer(reply.status(500));
    const { log, lines } = captureLogger();
    const now = () => new Date('2026-11-21T12:00:00.000Z');
    const loaded = await loadHolidays({ url: server.url, stateDir, offline: false, log, now, ...fast });
    expect(loaded.source).toEqual({ kind: 'cache', fetchedAt: '2026-11-18T12:00:00.000Z' });
    const warning = lines().find((l) => l.level === 40)!.msg;
    expect(warning).toContain('HTTP 500');
    expect(warning).toContain('3 days ago');
  });

  it('falls back to the cache when the live feed is malformed', async () => {
    const stateDir = tempDir();
    writeCache(stateDir, { url: 'x', fetchedAt: '2026-11-18T12:00:00.000Z', feed: parseFeed(feed2026) });
    server = await startFeedServer(reply.json('[]'));
    const { log, lines } = captureLogger();
    const loaded = await loadHolidays({ url: server.url, stateDir, offline: false, log, ...fast });
    expect(loaded.source.kind).toBe('cache');
    expect(lines().find((l) => l.level === 40)!.msg).toMatch(/malformed/);
    // The bad feed did not replace the good cache.
    expect(readCache(stateDir)?.fetchedAt).toBe('2026-11-18T12:00:00.000Z');
  });

  it('falls back to the bundled snapshot without a cache, and warns it may be stale', async () => {
    const { log, lines } = captureLogger();
    const loaded = await loadHolidays({ url: 'http://127.0.0.1:9/x.json', stateDir: tempDir(), offline: false, log, ...fast });
    expect(loaded.source).toEqual({ kind: 'bundled', fetchedAt: SNAPSHOT_DATE });
    expect(loaded.feed).toEqual(fixtureJson(FEED_2026));
    expect(lines().find((l) => l.level === 40)!.msg).toMatch(/snapshot of GOV.UK from 2026-02-25 that may miss holidays/);
  });

  it('a cached copy whose validators are not text is still a copy (offline), asked about without them', async () => {
    const stateDir = tempDir();
    writeCache(stateDir, { url: 'x', fetchedAt: '2026-11-18T12:00:00.000Z', etag: null as never, lastModified: 7 as never, feed: parseFeed(feed2026) });
    const { log } = captureLogger();
    const loaded = await loadHolidays({ url: 'x', stateDir, offline: true, log, ...fast });
    expect(loaded.source).toEqual({ kind: 'cache', fetchedAt: '2026-11-18T12:00:00.000Z' });
  });

  it('offline never asks the network', async () => {
    server = await startFeedServer(reply.json(feed2026));
    const { log } = captureLogger();
    const loaded = await loadHolidays({ url: server.url, stateDir: tempDir(), offline: true, log, ...fast });
    expect(loaded.source.kind).toBe('bundled');
    expect(server.requests).toHaveLength(0);
  });
});

describe('loadHolidays with the GET already sent before the config was checked (prefetchFeed)', () => {
  const sentEarly = (url: string, stateDir: string) => prefetchFeed({ url, stateDir, ...fast });

  it('takes its answer when it asked what loadHolidays would: one GET, asked about the cache', async () => {
    server = await startFeedServer(reply.etag(feed2026, '"v1"'));
    const stateDir = tempDir();
    const { log } = captureLogger();
    await loadHolidays({ url: server.url, stateDir, offline: false, log, ...fast });
    const early = sentEarly(server.url, stateDir);
    await vi.waitFor(() => expect(server!.requests).toHaveLength(2));
    const loaded = await loadHolidays({ url: server.url, stateDir, offline: false, log, ...fast, prefetched: early });
    expect(loaded.source.kind).toBe('live');
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.headers['if-none-match']).toBe('"v1"');
  });

  it('asked for another feed than the checked config names: ended, and the right feed fetched', async () => {
    server = await startFeedServer((req, res) => (req.url === '/other.json' ? reply.json(feed2022) : reply.json(feed2026))(req, res));
    const stateDir = tempDir();
    const { log } = captureLogger();
    const early = sentEarly(server.url.replace('bank-holidays.json', 'other.json'), stateDir);
    const loaded = await loadHolidays({ url: server.url, stateDir, offline: false, log, ...fast, prefetched: early });
    expect(loaded.feed['england-and-wales'].events.some((e) => e.date === '2027-03-26')).toBe(true);
    expect(readCache(stateDir)?.url).toBe(server.url);
  });

  it('asked about a cache whose feed then fails its check: its "unchanged" is not taken, the feed is fetched whole', async () => {
    server = await startFeedServer(reply.etag(feed2026, '"v1"'));
    const stateDir = tempDir();
    writeCache(stateDir, { url: server.url, fetchedAt: '2026-11-18T12:00:00.000Z', etag: '"v1"', feed: { broken: true } as never });
    const early = sentEarly(server.url, stateDir);
    expect(await early.result).toEqual({ kind: 'not-modified' });
    const { log } = captureLogger();
    const loaded = await loadHolidays({ url: server.url, stateDir, offline: false, log, ...fast, prefetched: early });
    expect(loaded.source.kind).toBe('live');
    expect(loaded.feed['england-and-wales'].events.length).toBeGreaterThan(50);
    expect(server.requests.map((r) => r.headers['if-none-match'])).toEqual(['"v1"', undefined]);
    expect(readCache(stateDir)?.etag).toBe('"v1"');
  });

  it('asked about a copy with no validators whose feed then fails its check: a 304 is not taken for it', async () => {
    server = await startFeedServer(reply.status(304));
    const stateDir = tempDir();
    writeCache(stateDir, { url: server.url, fetchedAt: '2026-11-18T12:00:00.000Z', feed: { broken: true } as never });
    const early = sentEarly(server.url, stateDir);
    await vi.waitFor(() => expect(server!.requests).toHaveLength(1));
    const { log, lines } = captureLogger();
    const loaded = await loadHolidays({ url: server.url, stateDir, offline: false, log, ...fast, prefetched: early });
    expect(loaded.source.kind).toBe('bundled');
    expect(lines().find((l) => l.level === 40)!.msg).toMatch(/^GOV.UK answered HTTP 304 for /);
  });

  it('not taken (offline after all), it is ended at once rather than left waiting on a silent server', async () => {
    server = await startFeedServer(reply.hang());
    const { log } = captureLogger();
    const early = prefetchFeed({ url: server.url, stateDir: tempDir(), timeoutMs: 600_000, tries: 1 });
    const loaded = await loadHolidays({ url: server.url, stateDir: tempDir(), offline: true, log, ...fast, prefetched: early });
    expect(loaded.source.kind).toBe('bundled');
    const stillWaiting = new Promise((resolve) => setTimeout(() => resolve('still waiting'), 5_000).unref());
    await expect(Promise.race([early.result, stillWaiting])).rejects.toThrow(FeedUnavailable);
  });
});

