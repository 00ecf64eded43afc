import type { Browser, BrowserContext } from 'playwright';
import type { Config } from '../config/schema.js';
import type { IsoDate } from '../planning/dates.js';
import { bankHolidayBookingOn, type Absence, type AbsenceTexts } from '../planning/plan.js';
import type { Logger } from '../util/logger.js';
import { launchBrowser, type BrowserChoice } from './browser.js';
import { EsrUnavailable, SessionExpired, TransientEsrError } from './errors.js';
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

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One logged-in ESR session: read what is booked, book or rehearse one bank holiday. Transient
 * failures are retried with backoff; an expired session is logged in again once per step. Before
 * every booking the absence list is read again, so a retry never books a day twice.
 */
export class EsrSession {
  /** The list as read right after the last booking: the next booking's check, saving a read. */
  private lastRead: { assignmentId: string; absences: Absence[] } | undefined;
  /** After a failed try the page on screen may not show what ESR holds: load it afresh. */
  private stale = false;

  private constructor(
    private readonly browser: Browser,
    private readonly context: BrowserContext,
    readonly pages: EsrPages,
    readonly choice: BrowserChoice,
    private readonly options: SessionOptions,
  ) {}

  static async open(options: SessionOptions): Promise<EsrSession> {
    const { browser, choice } = await launchBrowser(options.config.browser, options.headless);
    options.log.debug({ browser: choice.description }, 'browser started');
    const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/London' });
    const page = await context.newPage();
    return new EsrSession(browser, context, new EsrPages(page, options.config, options.evidence), choice, options);
  }

  private get texts(): AbsenceTexts {
    return this.options.config.esr.texts;
  }

  /** Log in (or find the session still good), tracing only once the password is off the page. */
  async login(): Promise<void> {
    await this.options.evidence.pauseTrace(this.context);
    await this.retrying(() => this.pages.openDashboard());
    if (await this.pages.loginFormShown()) {
      if (this.options.login.kind === 'manual') {
        this.options.log.warn(`log in to ESR in the browser window; waiting up to ${this.options.config.esr.timeouts.manualLoginSeconds} s`);
        await this.pages.awaitManualLogin(this.options.config.esr.timeouts.manualLoginSeconds * 1000);
      } else {
        await this.pages.logIn(this.options.login.credentials);
      }
    }
    this.stale = false;
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
  private async step<T>(name: string, run: () => Promise<T>): Promise<T> {
    return this.retrying(async () => {
      try {
        return await run();
      } catch (error) {
        if (!(error instanceof SessionExpired)) throw error;
        this.options.log.warn(`ESR session ended during "${name}"; logging in again`);
        await this.login();
        try {
          return await run();
        } catch (again) {
          if (again instanceof SessionExpired) throw new EsrUnavailable(`ESR ended the session again right after logging in, during "${name}"`);
          throw again;
        }
      }
    });
  }

  private async onDashboard(assignmentId?: string): Promise<void> {
    if (this.stale || !(await this.pages.page.locator(this.options.config.esr.selectors.assignment).first().isVisible())) {
      this.lastRead = undefined;
      await this.pages.openDashboard();
      this.stale = false;
      if (await this.pages.loginFormShown()) throw new SessionExpired('ESR showed the login form');
    }
    if (assignmentId) await this.pages.selectAssignment(assignmentId);
  }

  assignments(): Promise<AssignmentInfo[]> {
    return this.step('list assignments', async () => {
      await this.onDashboard();
      return this.pages.assignments();
    });
  }

  get loggedIn(): boolean {
    return true;
  }

  get loginRefused(): boolean {
    return false;
  }

  absences(assignmentId: string, _options: { fresh?: boolean } = {}): Promise<Absence[]> {
    this.stale = _options.fresh ?? false;
    return this.step('read absences', async () => {
      await this.onDashboard(assignmentId);
      return this.pages.absences();
    });
  }

  /** Book one day as a bank holiday, and confirm it shows in ESR's list. */
  book(assignmentId: string, date: IsoDate, hooks: { onAccepted?: () => void } = {}): Promise<BookOutcome> {
    let submitted = false;
    return this.step(`book ${date}`, async () => {
      // A reload in onDashboard drops the list kept from the last booking, so take it only after.
      await this.onDashboard(assignmentId);
      const fresh = this.lastRead?.assignmentId === assignmentId ? this.lastRead.absences : undefined;
      this.lastRead = undefined;
      // Read before every write: after a retry or a new login, the last try may have gone through.
      const before = fresh ?? (await this.pages.absences());
      if (bankHolidayBookingOn(before, date, this.texts)) return submitted ? 'booked' : 'already-booked';
      await this.pages.openLeaveForm(assignmentId);
      await this.pages.fillLeaveForm(assignmentId, date, this.options.config.comments);
      const submittedBefore = submitted;
      submitted = true;
      // "Overlaps" after our own earlier try means that try went through.
      if ((await this.pages.submitLeaveForm(assignmentId)) === 'overlap') return submittedBefore ? 'booked' : 'already-booked';
      hooks.onAccepted?.();
      const after = await this.pages.absences();
      if (!bankHolidayBookingOn(after, date, this.texts)) {
        throw new TransientEsrError(`ESR closed the form but ${date} does not show in the absence list`);
      }
      this.lastRead = { assignmentId, absences: after };
      return 'booked';
    });
  }

  /** Fill the form for one day and Cancel it: proves the form works, books nothing. */
  rehearse(assignmentId: string, date: IsoDate): Promise<void> {
    return this.step(`rehearse ${date}`, async () => {
      await this.onDashboard(assignmentId);
      await this.pages.openLeaveForm(assignmentId);
      await this.pages.fillLeaveForm(assignmentId, date, this.options.config.comments);
      await this.pages.cancelLeaveForm(assignmentId);
    });
  }

  async logout(): Promise<void> {
    try {
      if (!(await this.pages.logOut())) this.options.log.warn('ESR did not confirm the logout');
    } catch (error) {
      this.options.log.warn(`could not log out of ESR: ${(error as Error).message}`);
    }
  }

  /** Keep a screenshot and the trace of the run so far; returns the folder. */
  async captureFailure(step: string): Promise<string | undefined> {
    await this.options.evidence.screenshot(this.pages.page, step);
    await this.options.evidence.saveTrace(this.context);
    return this.options.evidence.hasFiles() ? this.options.evidence.dir : undefined;
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
  }
}
