/** What is worth a second try over HTTP, for both clients: the feed's (node:http) and the notification's (undici). */

/** Statuses a server sends when it may answer better a moment later; any other 4xx would fail the same way again. */
export const RETRIED_STATUSES = [429, 500, 502, 503, 504];

/** Network failures a second try may cure. */
export const RETRIED_NETWORK_ERRORS = [
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'EPIPE',
  'ETIMEDOUT',
];

/** The longest wait between two tries. */
export const MAX_BACKOFF_MS = 4_000;
