import type { BrowserContext } from 'playwright';
import type { Config } from '../config/schema.js';
import type { IsoDate } from '../planning/dates.js';
import { bankHolidayBookingOn, isActive, type Absence, type AbsenceTexts } from '../planning/plan.js';
import { ExpectedError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import { startOptionsFor, startBrowser, type BrowserChoice, type StartedBrowser } from './browser.js';
import {
  BookingUnconfirmed,
  EsrRefused,
  EsrUnavailable,
  ListUnreadable,
  LoginRefused,
  OutcomeUnknown,
  SelectorError,
  SessionExpired,
  TransientEsrError,
} from './errors.js';
import type { Evidence } from './evidence.js';
import { EsrPages, type AssignmentInfo, type Credentials } from './pages.js';

export type LoginMethod = { kind: 'password'; credentials: Credentials } | { kind: 'manual' };
export type BookOutcome = 'booked' | 'already-booked';

export interface SessionOptions {
  config: Config;
  evidence: Evidence;
  log: Logger;
  login: LoginMethod;
  headless: boolean;
  /** The first retry's wait; each later one doubles. */
  backoffMs?: number;
}

export interface BookHooks {
  /** Called the moment ESR accepted the request, before the list is read to confirm it. */
  onAccepted?: () => void;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const CLOSED = /Target page, context or browser has been closed|Target closed|Browser has been closed|browser has disconnected/i;

/**
 * One ESR session: read what is booked, book or rehearse one bank holiday. The rules that keep a
 * live ESR safe live here: a refused login ends all ESR access; the list is read whole before every
 * write; a request ESR accepted, or one whose answer was never seen, is never sent again.
 */
export class EsrSession {
  /** The list as read right after the last booking: the next booking's check, saving a read. */
  private lastRead: { assignmentId: string; absences: Absence[] } | undefined;
  /** After a failed try the page on screen may not show what ESR holds: load it afresh. */
  private stale = false;
  private refused = false;
  private loggedInNow = false;
  /** Days (assignment and date) ESR accepted, or that were sent without an answer: never sent again. */
  private readonly accepted = new Set<string>();
  private readonly unanswered = new Map<string, OutcomeUnknown>();

  private constructor(
    private readonly started: StartedBrowser,
    private readonly context: BrowserContext,
    readonly pages: EsrPages,
    readonly choice: BrowserChoice,
    private readonly options: SessionOptions,
  ) {}

  /** `started`: a browser the caller started earlier (see startBrowser), so its launch overlapped other work. */
  static async open(options: SessionOptions, started?: Promise<StartedBrowser>): Promise<EsrSession> {
    const browser = await (started ?? startBrowser(options.config.browser, options.headless, startOptionsFor(options.config)));
    options.log.debug({ browser: browser.choice.description }, 'browser started');
    const pages = new EsrPages(browser.page, options.config, options.evidence, browser.firstUrl);
    return new EsrSession(browser, browser.context, pages, browser.choice, options);
  }

  get loginRefused(): boolean {
    return this.refused;
  }

  /** A login succeeded and no logout followed: logout() is due. */
  get loggedIn(): boolean {
    return this.loggedInNow;
  }

  private get texts(): AbsenceTexts {
    return this.options.config.esr.texts;
  }

  private get listElsewhere(): boolean {
    return Boolean(this.options.config.esr.paths.absences);
  }

  /**
   * Every public step goes through here: nothing at all reaches ESR after a refused login, and no
   * Playwright error leaves the driver raw.
   */
  private async guarded<T>(run: () => Promise<T>): Promise<T> {
    if (this.refused) throw new LoginRefused();
    try {
      return await run();
    } catch (error) {
      throw this.expected(error);
    }
  }

  private expected(error: unknown): ExpectedError {
    if (error instanceof LoginRefused) {
      this.refused = true;
      this.loggedInNow = false;
      return error;
    }
    if (error instanceof ExpectedError) return error;
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    if (error instanceof TransientEsrError) return new EsrUnavailable(message);
    if (error instanceof SessionExpired) return new EsrUnavailable(`ESR ended the session: ${message}`);
    if (error instanceof Error && error.name === 'TimeoutError') {
      const key = this.pages.lastKey;
      return new SelectorError(key, this.pages.configured(key), this.pages.page.url());
    }
    if (CLOSED.test(message)) return new EsrUnavailable(`the browser driving ESR closed: ${message}`);
    return new EsrUnavailable(`the browser driving ESR failed: ${message}`);
  }

  /** Log in (or find the session still good), tracing only once the password is off the page. */
  login(): Promise<void> {
    return this.guarded(() => this.logInNow());
  }

  private async logInNow(): Promise<void> {
    await this.options.evidence.pauseTrace(this.context);
    await this.retrying(() => this.pages.openDashboard());
    if (await this.pages.loginFormShown()) {
      this.loggedInNow = false;
      if (this.options.login.kind === 'manual') {
        this.options.log.warn(`log in to ESR in the browser window; waiting up to ${this.options.config.esr.timeouts.manualLoginSeconds} s`);
        await this.pages.awaitManualLogin(this.options.config.esr.timeouts.manualLoginSeconds * 1000);
      } else {
        try {
          await this.pages.logIn(this.options.login.credentials);
        } catch (error) {
          // Set here as well as in guarded(): a refusal inside a step must stop that step's retries too.
          if (error instanceof LoginRefused) this.refused = true;
          throw error;
        }
      }
    }
    this.loggedInNow = true;
    this.stale = false;
    this.lastRead = undefined;
    await this.options.evidence.startTrace(this.context);
  }

  private async retrying<T>(step: () => Promise<T>): Promise<T> {
    const tries = this.options.config.sync.tries;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await step();
      } catch (error) {
        if (!(error instanceof TransientEsrError)) throw error;
        this.stale = true;
        if (attempt >= tries) throw new EsrUnavailable(`${error.message} (tried ${tries} times)`);
        const wait = (this.options.backoffMs ?? 1_000) * 2 ** (attempt - 1);
        this.options.log.warn(`${error.message}; trying again in ${wait} ms (${attempt}/${tries})`);
        await pause(wait);
      }
    }
  }

  /** A step, retried when ESR stumbles, repeated once after logging in again when the session ended. */
  private step<T>(name: string, run: () => Promise<T>): Promise<T> {
    return this.guarded(() =>
      this.retrying(async () => {
        try {
          return await run();
        } catch (error) {
          if (!(error instanceof SessionExpired)) throw error;
          this.loggedInNow = false;
          this.options.log.warn(`ESR session ended during "${name}"; logging in again`);
          await this.logInNow();
          try {
            return await run();
          } catch (again) {
            if (again instanceof SessionExpired) throw new EsrUnavailable(`ESR ended the session again right after logging in, during "${name}"`);
            throw again;
          }
        }
      }),
    );
  }

  private async onDashboard(assignmentId?: string, reload = false): Promise<void> {
    // The document on screen is the one last confirmed: the login form or a reload would have navigated.
    if (assignmentId && !reload && !this.stale && this.pages.unchangedOn(assignmentId)) return;
    // After a reload (ESR may reload the dashboard after a submit), one look tells whether it is still the dashboard.
    if (assignmentId && !reload && !this.stale && !this.pages.awayFromDashboard && (await this.pages.showsAssignment(assignmentId))) return;
    const shown = await this.pages.page.locator(this.options.config.esr.selectors.assignment).first().isVisible();
    if (reload || this.stale || this.pages.awayFromDashboard || !shown) {
      this.lastRead = undefined;
      await this.pages.openDashboard();
      this.stale = false;
      if (await this.pages.loginFormShown()) throw new SessionExpired('ESR showed the login form');
    }
    if (assignmentId) await this.pages.selectAssignment(assignmentId);
  }

  /** The whole list, every page; `fresh` loads it from ESR rather than reading what is on screen. */
  private async readList(assignmentId: string, fresh: boolean): Promise<Absence[]> {
    // onDashboard reloads a page left for the list's own page or its page 2, so a read starts at page 1.
    await this.onDashboard(assignmentId, fresh);
    if (this.listElsewhere) await this.pages.openAbsencesPage();
    return this.pages.absences();
  }

  assignments(): Promise<AssignmentInfo[]> {
    return this.step('list assignments', async () => {
      await this.onDashboard();
      return this.pages.assignments();
    });
  }

  absences(assignmentId: string, opts: { fresh?: boolean } = {}): Promise<Absence[]> {
    return this.step('read absences', () => this.readList(assignmentId, opts.fresh ?? false));
  }

  /**
   * Book one day as a bank holiday and confirm it in the list read whole. The list is read before
   * the request; once ESR accepted it, the day is never sent again in this session.
   */
  book(assignmentId: string, date: IsoDate, hooks: BookHooks = {}): Promise<BookOutcome> {
    const day = `${assignmentId} ${date}`;
    const accepted = () => {
      this.accepted.add(day);
      hooks.onAccepted?.();
    };
    return this.step(`book ${date}`, async () => {
      const unknown = this.unanswered.get(day);
      if (unknown) throw unknown;
      if (this.accepted.has(day)) return this.confirm(assignmentId, date);
      // The list kept from the last booking serves only if nothing was reloaded since.
      await this.onDashboard(assignmentId);
      const kept = this.lastRead?.assignmentId === assignmentId ? this.lastRead.absences : undefined;
      this.lastRead = undefined;
      const before = kept ?? (await this.readList(assignmentId, false));
      if (bankHolidayBookingOn(before, date, this.texts)) return 'already-booked';
      await this.onDashboard(assignmentId);
      await this.pages.openAndFillLeaveForm(assignmentId, date, this.options.config.comments, true);
      let outcome;
      try {
        outcome = await this.pages.submitLeaveForm(assignmentId, date);
      } catch (error) {
        // Once the click went out, only a plain refusal is an answer: anything else may have been saved.
        if (error instanceof OutcomeUnknown) this.unanswered.set(day, error);
        else if (!(error instanceof ExpectedError)) {
          this.unanswered.set(day, new OutcomeUnknown(date, (error as Error).message.split('\n')[0]!));
        }
        throw error;
      }
      if (outcome === 'overlap') return this.overlapRefused(before, date);
      accepted();
      return this.confirm(assignmentId, date);
    });
  }

  /** ESR accepted the day: the list, read whole, must show it. */
  private async confirm(assignmentId: string, date: IsoDate): Promise<BookOutcome> {
    // Read on screen only where the page on screen can be the whole list: the dashboard's, unpaged.
    const fresh = this.listElsewhere || Boolean(this.options.config.esr.selectors.absenceNextPage);
    const after = await this.readList(assignmentId, fresh);
    if (!bankHolidayBookingOn(after, date, this.texts)) throw new BookingUnconfirmed(date);
    this.lastRead = { assignmentId, absences: after };
    return 'booked';
  }

  /**
   * An overlap refusal is never taken as "already there": ESR may not refuse overlaps at all, and
   * one on a day the list shows free means the list is not the one ESR holds.
   */
  private overlapRefused(before: readonly Absence[], date: IsoDate): never {
    const active = before.filter((a) => isActive(a, this.texts) && a.start <= date && date <= a.end);
    if (active.length > 0) throw new EsrRefused(`${date} overlaps with ${active.map((a) => `${a.reason} (${a.status})`).join(', ')}`);
    const { absenceTable, absenceRows } = this.options.config.esr.selectors;
    throw new ListUnreadable(
      `ESR refused ${date} as overlapping an existing absence, but the absence list it showed (esr.selectors.absenceTable "${absenceTable}", ` +
        `esr.selectors.absenceRows "${absenceRows}") has nothing on that day: the list is not the whole of what ESR holds; check those selectors. Nothing more was booked`,
    );
  }

  /** Fill the form for one day and Cancel it: proves the form works, books nothing. */
  rehearse(assignmentId: string, date: IsoDate): Promise<void> {
    return this.step(`rehearse ${date}`, async () => {
      await this.onDashboard(assignmentId);
      await this.pages.openAndFillLeaveForm(assignmentId, date, this.options.config.comments);
      await this.pages.cancelLeaveForm(assignmentId);
    });
  }

  /** Only after a login that worked; never after a refused one, and never throws. */
  async logout(): Promise<void> {
    if (this.refused || !this.loggedInNow) return;
    this.loggedInNow = false;
    try {
      if (!(await this.pages.logOut())) this.options.log.warn('ESR did not confirm the logout');
    } catch (error) {
      this.options.log.warn(`could not log out of ESR: ${(error as Error).message.split('\n')[0]}`);
    }
  }

  /** Keep a screenshot and the trace of the run so far; returns the folder. */
  async captureFailure(step: string): Promise<string | undefined> {
    await this.options.evidence.screenshot(this.pages.page, step);
    await this.options.evidence.saveTrace(this.context);
    return this.options.evidence.hasFiles() ? this.options.evidence.dir : undefined;
  }

  async close(): Promise<void> {
    await this.started.close().catch(() => undefined);
  }
}
