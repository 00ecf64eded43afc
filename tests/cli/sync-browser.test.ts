import { describe, expect, it } from 'vitest';
import { browserNamedIn } from '../../src/cli/sync.js';

describe('the browser named by the config before it is checked', () => {
  it('is the one the check would pass unchanged: the default, a path, a window for a manual login', () => {
    expect(browserNamedIn({ headless: true, login: 'password' })).toEqual({ configured: undefined, headless: true });
    expect(browserNamedIn({ browser: '/usr/bin/chromium', headless: true, login: 'password' })).toEqual({ configured: '/usr/bin/chromium', headless: true });
    expect(browserNamedIn({ browser: 'msedge', headless: true, login: 'manual' })).toEqual({ configured: 'msedge', headless: false });
    expect(browserNamedIn({ headless: false, login: 'password' })).toEqual({ configured: undefined, headless: false });
  });

  it('is none where the check could change or refuse it: the browser then starts once the config is checked', () => {
    for (const merged of [
      { browser: ' /usr/bin/chromium', headless: true, login: 'password' },
      { browser: '', headless: true, login: 'password' },
      { browser: 42, headless: true, login: 'password' },
      { headless: 'yes', login: 'password' },
      { headless: true, login: 'smartcard' },
      { headless: true },
    ]) {
      expect(browserNamedIn(merged)).toBeUndefined();
    }
  });
});
