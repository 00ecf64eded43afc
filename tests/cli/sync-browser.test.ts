import { describe, expect, it } from 'vitest';
import { browserNamedIn } from '../../src/cli/sync.js';

describe('the browser named by the config before it is checked', () => {
  it('is the headless one the check would pass unchanged: the default, a path, a channel', () => {
    expect(browserNamedIn({ headless: true, login: 'password' })).toEqual({ configured: undefined, headless: true });
    expect(browserNamedIn({ browser: '/usr/bin/chromium', headless: true, login: 'password' })).toEqual({ configured: '/usr/bin/chromium', headless: true });
    expect(browserNamedIn({ browser: 'msedge', headless: true, login: 'password' })).toEqual({ configured: 'msedge', headless: true });
  });

  it('is none for a window (--headed, a manual login): no window opens for a config that may yet be refused', () => {
    expect(browserNamedIn({ headless: false, login: 'password' })).toBeUndefined();
    expect(browserNamedIn({ headless: true, login: 'manual' })).toBeUndefined();
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
