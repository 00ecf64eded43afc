/** The bench's arithmetic, apart from processes and sockets so it can be checked by itself. */

export interface SeenRequest {
  method: string;
  path: string;
  /** When the sandbox saw it arrive, ms on the bench's performance.now() clock. */
  at: number;
}

export interface Profile {
  name: string;
  /** Added by the sandbox to every response. */
  latencyMs: number;
  /** How long the sandbox processes a leave request. */
  processingMs: number;
  /** The dashboard reloads after an accepted request (contract part B: "The dashboard may reload"). */
  reloadAfterSubmit?: boolean;
}

export const isSubmit = (r: SeenRequest) => r.method === 'POST' && r.path.startsWith('/dashboard/api/absences');
/** A request to ESR proper: not the feed, which the bench's sandbox also serves. */
export const isEsr = (r: SeenRequest) => r.path.startsWith('/dashboard/');

/** How long ESR holds a request: the latency on every response, the processing on a submit. */
function esrSpan(request: SeenRequest, profile: Profile): [number, number] {
  return [request.at, request.at + profile.latencyMs + (isSubmit(request) ? profile.processingMs : 0)];
}

/** Length of the union of spans, clipped to [from, to]: requests in flight together count once. */
function covered(spans: Array<[number, number]>, from: number, to: number): number {
  const clipped = spans
    .map(([a, b]) => [Math.max(a, from), Math.min(b, to)] as [number, number])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let end = from;
  for (const [a, b] of clipped) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}

export interface BookingGap {
  /** From one submit's arrival to the next's. */
  wallMs: number;
  /** Of which ESR held a request: the submit's latency and processing, and every other round trip. */
  esrMs: number;
  /** The tool's own time: the rest. */
  ownMs: number;
  /** ESR requests in the gap, the submit that opens it included. */
  requests: number;
}

/**
 * Each booking but the last, from its submit reaching ESR to the next submit reaching ESR: ESR's
 * answer, the tool's checks, and the next form. What ESR did not hold a request for is the tool's.
 */
export function bookingGaps(requests: readonly SeenRequest[], profile: Profile): BookingGap[] {
  const esr = requests.filter(isEsr).sort((a, b) => a.at - b.at);
  const submits = esr.filter(isSubmit);
  const spans = esr.map((r) => esrSpan(r, profile));
  const gaps: BookingGap[] = [];
  for (let i = 0; i + 1 < submits.length; i += 1) {
    const from = submits[i]!.at;
    const to = submits[i + 1]!.at;
    const esrMs = covered(spans, from, to);
    gaps.push({ wallMs: to - from, esrMs, ownMs: to - from - esrMs, requests: esr.filter((r) => r.at >= from && r.at < to).length });
  }
  return gaps;
}

/** Process start to the first request for ESR's dashboard. */
export function startUpMs(requests: readonly SeenRequest[], processStart: number): number {
  const first = requests.filter((r) => r.path.startsWith('/dashboard/web')).sort((a, b) => a.at - b.at)[0];
  return first ? first.at - processStart : NaN;
}

export function median(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  const middle = Math.floor(finite.length / 2);
  return finite.length % 2 ? finite[middle]! : (finite[middle - 1]! + finite[middle]!) / 2;
}
