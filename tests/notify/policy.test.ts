import { describe, expect, it } from 'vitest';
import { shouldNotify, type NotifyOn } from '../../src/notify/index.js';

describe('shouldNotify', () => {
  // [on, exitCode, changed, notify?]
  const table: Array<[NotifyOn, number, boolean, boolean]> = [
    ['failure', 0, false, false],
    ['failure', 0, true, false],
    ['failure', 1, false, true],
    ['failure', 1, true, true],
    ['failure', 3, false, true],
    ['change', 0, false, false],
    ['change', 0, true, true],
    ['change', 1, false, true],
    ['change', 2, false, true],
    ['always', 0, false, true],
    ['always', 0, true, true],
    ['always', 1, false, true],
  ];
  it.each(table)('on %s, exit %i, changed %s: %s', (on, exitCode, changed, expected) => {
    expect(shouldNotify(on, { exitCode, changed })).toBe(expected);
  });
});
