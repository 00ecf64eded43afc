import { describe, expect, it } from 'vitest';
import { bookingGaps, median, startUpMs, type SeenRequest } from '../../src/bench/figures.js';

const submit = (at: number): SeenRequest => ({ method: 'POST', path: '/dashboard/api/absences', at });
const get = (path: string, at: number): SeenRequest => ({ method: 'GET', path, at });
const fast = { name: 'fast', latencyMs: 0, processingMs: 150 };
const live = { name: 'live-like', latencyMs: 250, processingMs: 1000 };

describe('bookingGaps', () => {
  it("is the time from one submit to the next less ESR's processing", () => {
    expect(bookingGaps([submit(0), submit(400), submit(700)], fast)).toEqual([
      { wallMs: 400, esrMs: 150, ownMs: 250, requests: 1 },
      { wallMs: 300, esrMs: 150, ownMs: 150, requests: 1 },
    ]);
  });

  it('takes off every round trip to ESR in the gap, and counts requests in flight together once', () => {
    const requests = [submit(0), get('/dashboard/web/', 1300), get('/dashboard/web/sandbox.js', 1310), submit(2000)];
    expect(bookingGaps(requests, live)).toEqual([{ wallMs: 2000, esrMs: 1250 + 260, ownMs: 490, requests: 3 }]);
  });

  it('leaves the feed out, and a round trip still open at the next submit counts only up to it', () => {
    const requests = [submit(0), get('/bank-holidays.json', 100), get('/dashboard/web/', 1900), submit(2000)];
    expect(bookingGaps(requests, live)).toEqual([{ wallMs: 2000, esrMs: 1250 + 100, ownMs: 650, requests: 2 }]);
  });

  it('needs two submits for a gap', () => {
    expect(bookingGaps([get('/dashboard/web/', 0), submit(10)], fast)).toEqual([]);
  });
});

describe('startUpMs', () => {
  it("is the process's start to the first dashboard request, not the feed's", () => {
    expect(startUpMs([get('/bank-holidays.json', 150), get('/dashboard/web/', 700), submit(900)], 100)).toBe(600);
    expect(startUpMs([get('/bank-holidays.json', 150)], 100)).toBeNaN();
  });
});

describe('median', () => {
  it('of odd and even counts, ignoring what could not be measured', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([NaN, 5])).toBe(5);
    expect(median([])).toBeNaN();
  });
});
