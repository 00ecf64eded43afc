import { ExpectedError } from '../util/errors.js';

/** ESR refused the login. Never retried: ESR locks accounts after repeated failures. */
export class LoginRefused extends ExpectedError {
  constructor(message = 'ESR refused the login (Login Failed.); not retrying, ESR locks accounts after repeated failures') {
    super(message, 3);
  }
}

/** ESR refused a request and said why. */
export class EsrRefused extends ExpectedError {
  constructor(readonly esrMessage: string) {
    super(`ESR refused the request: ${esrMessage}`, 1);
  }
}

/** An element did not appear in time: ESR changed its page, or the config's selector is wrong. */
export class SelectorError extends ExpectedError {
  constructor(
    readonly key: string,
    readonly selector: string,
    readonly url: string,
    readonly screenshot?: string,
    /** It appeared but could not be clicked: why (covered, still moving, disabled). */
    why?: string,
  ) {
    super(
      `ESR page element "${key}" (selector ${selector}) ${why ? `could not be clicked (${why})` : 'did not appear'} on ${url}; if ESR changed its page, override esr.selectors.${key} in your config` +
        (screenshot ? ` (screenshot: ${screenshot})` : ''),
      1,
    );
  }
}

/** ESR could not be reached, or kept failing, after the retries. */
export class EsrUnavailable extends ExpectedError {
  constructor(message: string) {
    super(message, 1);
  }
}

/** The session ended and the login form came back; the caller logs in again once. */
export class SessionExpired extends Error {
  override name = 'SessionExpired';
}

/** A failure the same request may not meet when tried again. */
export class TransientEsrError extends Error {
  override name = 'TransientEsrError';
}

/**
 * The absence list cannot be read whole: a row, a column or a page the tool cannot account for.
 * Nothing is booked after it, because a list read in part would look like days to book.
 */
export class ListUnreadable extends ExpectedError {
  constructor(message: string) {
    super(message, 1);
  }
}

/** ESR accepted a request, but the list read whole afterwards does not show it. Never sent again this run. */
export class BookingUnconfirmed extends ExpectedError {
  constructor(readonly date: string) {
    super(
      `ESR accepted the request for ${date} but its absence list does not show it; not sending it again. ` +
        'Check in ESR whether the day is there, and whether esr.selectors.absenceTable and esr.selectors.absenceRows still name the whole list',
      1,
    );
  }
}

/** A request was sent but ESR's answer was never seen: it may or may not have been saved. */
export class OutcomeUnknown extends ExpectedError {
  constructor(
    readonly date: string,
    why: string,
  ) {
    super(`sent the request for ${date} but ESR did not answer (${why}); run sync again: it reads the list first and books only what is missing`, 1);
  }
}
