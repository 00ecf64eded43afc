import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { feedNamedIn } from '../../src/cli/plan.js';
import { configLayers } from '../../src/config/layers.js';
import { configSchema } from '../../src/config/schema.js';
import { stateDirFor } from '../../src/config/state-dir.js';
import { reply, startFeedServer, type FeedServer } from '../helpers/feed-server.js';
import { FEED_2026, fixtureText } from '../helpers/fixtures.js';
import { runCli, tempDir } from '../helpers/cli.js';

const defaults = () => configLayers({ env: {} }).merged;
const env = { HOME: '/home/someone' };

describe("the feed's GET named by the config before it is checked", () => {
  it('is the one the check would pass unchanged: the defaults, another http(s) URL, a state directory', () => {
    for (const over of [{}, { bankHolidaysUrl: 'http://127.0.0.1:8080/bank-holidays.json' }, { stateDir: '/var/lib/ebh' }, { http: { timeoutSeconds: 2.5, tries: 10 } }]) {
      const merged = { ...defaults(), ...over };
      const named = feedNamedIn(merged, env);
      const checked = configSchema.parse(merged);
      expect(named).toEqual({
        url: checked.bankHolidaysUrl,
        stateDir: stateDirFor(checked.stateDir, env),
        timeoutMs: checked.http.timeoutSeconds * 1000,
        tries: checked.http.tries,
      });
    }
  });

  it('is none where the check could change or refuse it: the GET then waits for the check', () => {
    for (const over of [
      { bankHolidaysUrl: 'ftp://www.gov.uk/bank-holidays.json' },
      { bankHolidaysUrl: ' https://www.gov.uk/bank-holidays.json' },
      { bankHolidaysUrl: 'https://www.gov.uk' },
      { bankHolidaysUrl: 'www.gov.uk/bank-holidays.json' },
      { bankHolidaysUrl: 42 },
      { stateDir: ' /var/lib/ebh' },
      { stateDir: '' },
      { stateDir: 7 },
      { http: { timeoutSeconds: 0, tries: 3 } },
      { http: { timeoutSeconds: '10', tries: 3 } },
      { http: { timeoutSeconds: 10, tries: 0 } },
      { http: { timeoutSeconds: 10, tries: 11 } },
      { http: { timeoutSeconds: 10, tries: 2.5 } },
      { http: 'fast' },
      { http: { timeoutSeconds: 10, tries: 3, retries: 5 } },
    ]) {
      expect(feedNamedIn({ ...defaults(), ...over }, env)).toBeUndefined();
    }
  });
});

describe('plan sends the GET before the config is checked', () => {
  let server: FeedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const configFile = (config: object) => {
    const file = join(tempDir(), 'config.json');
    writeFileSync(file, JSON.stringify(config));
    return file;
  };

  it('one GET a run, the second asking whether the cache is current', async () => {
    server = await startFeedServer(reply.etag(fixtureText(FEED_2026), '"v1"'));
    const stateDir = tempDir();
    for (let run = 0; run < 2; run += 1) {
      const result = await runCli(['plan', '--json', '--today', '2026-04-01'], { env: { BANK_HOLIDAYS_URL: server.url, ESR_STATE_DIR: stateDir } });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).source.kind).toBe('live');
    }
    expect(server.requests.map((r) => r.headers['if-none-match'])).toEqual([undefined, '"v1"']);
  });

  it('a config the check refuses is one line and exit 2 at once, not after GOV.UK has answered', async () => {
    server = await startFeedServer(reply.hang());
    const config = configFile({ division: 'mars', http: { timeoutSeconds: 300, tries: 1 } });
    const result = await runCli(['plan', '--config', config], { env: { BANK_HOLIDAYS_URL: server.url, ESR_STATE_DIR: tempDir() }, timeoutMs: 30_000 });
    expect(result.signal).toBeNull();
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^esr-bank-holidays: config division "mars"/)]);
  });

  it('feed settings the check refuses send no GET at all', async () => {
    server = await startFeedServer(reply.json(fixtureText(FEED_2026)));
    const config = configFile({ http: { timeoutSeconds: 10, tries: 0 } });
    const result = await runCli(['plan', '--config', config], { env: { BANK_HOLIDAYS_URL: server.url, ESR_STATE_DIR: tempDir() } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/config http\.tries 0/);
    expect(server.requests).toHaveLength(0);
  });
});
