import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import type { Sandbox } from '../sandbox/server.js';
import type { SeenRequest } from './figures.js';

/** A sandbox that keeps its own request log (newer sandboxes do). */
type LoggingSandbox = Sandbox & { requests?: () => Array<{ method: string; path: string; at: number }> };

export interface RequestLog {
  /** Where the requests come from, for the report. */
  source: string;
  /** Every request since the log was started, oldest first. */
  since(mark: number): SeenRequest[];
  /** A mark for since(): requests from here on. */
  mark(): number;
  stop(): void;
}

/**
 * The sandbox's own times may be epoch ms (Date.now) or ms since its process started
 * (performance.now); the bench runs it in-process, so either maps onto performance.now().
 */
function toPerformanceClock(at: number): number {
  return at > 1e12 ? at - performance.timeOrigin : at;
}

/**
 * Every request the sandbox sees, as it arrives: from the sandbox's own log when it keeps one,
 * else from Node's HTTP server diagnostics channel (the sandbox runs in this process).
 */
export function watchRequests(sandbox: Sandbox): RequestLog {
  const own = (sandbox as LoggingSandbox).requests;
  if (typeof own === 'function') {
    const all = () => own.call(sandbox).map((r) => ({ method: r.method, path: r.path, at: toPerformanceClock(r.at) }));
    return { source: "the sandbox's request log", mark: () => all().length, since: (mark) => all().slice(mark), stop: () => undefined };
  }
  const seen: SeenRequest[] = [];
  const onRequest = (message: unknown) => {
    const { request } = message as { request: IncomingMessage };
    if (request.socket.localPort !== sandbox.port) return;
    seen.push({ method: request.method ?? 'GET', path: new URL(request.url ?? '/', 'http://sandbox').pathname, at: performance.now() });
  };
  subscribe('http.server.request.start', onRequest);
  return {
    source: "Node's http.server.request.start channel",
    mark: () => seen.length,
    since: (mark) => seen.slice(mark),
    stop: () => unsubscribe('http.server.request.start', onRequest),
  };
}
