import type { Locator, Page } from 'playwright';
import type { Config, SelectorKey } from '../config/schema.js';
import { toEsrDate, type IsoDate } from '../planning/dates.js';
import type { Absence } from '../planning/plan.js';
import { CONTRACT_STATUSES, readListPage, type ListRules } from './absence-list.js';
import { EsrRefused, EsrUnavailable, ListUnreadable, LoginRefused, OutcomeUnknown, SelectorError, SessionExpired, TransientEsrError } from './errors.js';
import type { Evidence } from './evidence.js';
import { dashboardUrl } from './browser.js';
import { clickWhenReady, lookStep, type ClickOptions, type ClickQuery, type Ready, type Seen } from './click.js';
import { fillForm, fillResult, fillStep, type FillResult, type FormFill } from './form-fill.js';
import { threw } from './in-page.js';
import { snapshotList, snapshotListCss } from './list-snapshot.js';
import { pageState } from './page-state.js';

/** More pages than any person's absence list has: a "next" link that never ends is a loop, not a list. */
export const MAX_LIST_PAGES = 50;

export interface Credentials {
  username: string;
  password: string;
}

export interface AssignmentInfo {
  id: string;
  label: string;
  selected: boolean;
}

export type SubmitOutcome = 'accepted' | 'overlap';

/**
 * Looked for only inside the leave form: a "Cancel" or "Submit" elsewhere on the page (a list's
 * per-row Cancel) would act on an existing absence.
 */
const IN_LEAVE_FORM: ReadonlySet<SelectorKey> = new Set<SelectorKey>(['submit', 'cancel', 'errorMessage']);


/**
 * ESR's pages, spoken of as a person would ("open the leave form"), every selector and text from
 * config. Each wait watches for the login form too: a session can end on any step.
 */
export class EsrPages {
  private readonly esr: Config['esr'];
  private readonly elementTimeout: number;

  constructor(
    readonly page: Page,
    config: Config,
    private readonly evidence: Evidence,
    /** Where the page was sent as the browser started (see startBrowser); taken up by openDashboard. */
    private firstUrl?: string,
  ) {
    this.esr = config.esr;
    this.baseUrl = config.esrUrl.replace(/\/+$/, '');
    this.elementTimeout = config.esr.timeouts.elementSeconds * 1000;
    // What the page showed stays true until the main frame goes to another document: the login form,
    // a reload after a submit, the next page of the list all come that way.
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) this.navigations += 1;
    });
    page.on('domcontentloaded', () => (this.parsedAt = this.navigations));
    page.on('load', () => (this.loadedAt = this.navigations));
  }

  /** Documents the main frame has shown; a number, so "has anything changed since" is one comparison. */
  private navigations = 0;
  private parsedAt = -1;
  private loadedAt = -1;
  /** The dashboard, this assignment chosen, seen in the document still on screen. */
  private confirmed: { assignmentId: string; at: number } | undefined;
  /** Submit as openAndFillLeaveForm last saw it, for submitLeaveForm's first try. */
  private submitSeen: Seen | undefined;

  /** The dashboard was seen with this assignment chosen, and nothing has navigated since. */
  unchangedOn(assignmentId: string): boolean {
    return !this.awayFromDashboard && this.confirmed?.assignmentId === assignmentId && this.confirmed.at === this.navigations;
  }

  private confirm(assignmentId: string): void {
    this.confirmed = { assignmentId, at: this.navigations };
  }

  readonly baseUrl: string;
  /** The key of the element last looked for: what a stray Playwright timeout is about. */
  lastKey: SelectorKey = 'username';
  /** The page shows something other than the dashboard's first list page (another page, or page 2 on). */
  awayFromDashboard = false;
  /** How many pages the last read of the list went through. */
  listPagesRead = 0;

  /** The selector as configured, for messages. */
  configured(key: SelectorKey, assignmentId = ''): string {
    return (this.esr.selectors[key] ?? '').replaceAll('{assignmentId}', assignmentId);
  }

  /**
   * The selector to look for: for the form's own controls, the one inside esr.selectors.leaveForm,
   * as one CSS selector (pageState's fast path; one that is not CSS makes it fall back to locate()).
   */
  selector(key: SelectorKey, assignmentId = ''): string {
    const own = this.configured(key, assignmentId);
    // :not(:not(x)) is :is(x) without its forgiving parse: inside :is() the browser drops what it cannot
    // read and matches nothing, where a Playwright-only selector must fail, to fall back to locators.
    if (!IN_LEAVE_FORM.has(key)) return own;
    // :scope means the form to Playwright's chained locator and the page's root here: past ">>", no
    // browser reads it, so it falls back too.
    const joined = `:not(:not(${this.esr.selectors.leaveForm})) :not(:not(${own}))`;
    return /:scope\b/i.test(own) ? `${joined} >> :scope` : joined;
  }

  /** Every element the key names; the form's own controls only inside the leave form. */
  locator(key: SelectorKey, assignmentId?: string): Locator {
    const own = this.configured(key, assignmentId);
    return IN_LEAVE_FORM.has(key) ? this.page.locator(this.esr.selectors.leaveForm).locator(own) : this.page.locator(own);
  }

  private locate(key: SelectorKey, assignmentId?: string): Locator {
    this.lastKey = key;
    return this.locator(key, assignmentId).first();
  }

  /** `why`: the element was there but could not be clicked (covered, still moving, disabled). */
  private async selectorError(key: SelectorKey, assignmentId?: string, why?: string): Promise<SelectorError> {
    const shot = await this.evidence.screenshot(this.page, `missing-${key}`);
    const where = IN_LEAVE_FORM.has(key) ? ` inside esr.selectors.leaveForm (${this.esr.selectors.leaveForm})` : '';
    return new SelectorError(key, `${this.configured(key, assignmentId)}${where}`, this.page.url(), shot, why);
  }

  /** Wait for an element, or learn that the session ended, or fail naming the config key. */
  private async shown(key: SelectorKey, assignmentId?: string): Promise<Locator> {
    const target = this.locate(key, assignmentId);
    const state = await pageState(this.page, {
      selectors: { target: this.selector(key, assignmentId), login: this.selector('username') },
      until: [['target'], ['login']],
      timeoutMs: this.elementTimeout,
    });
    if (state) {
      this.lastKey = key;
      if (!state.met) throw await this.selectorError(key, assignmentId);
      if (key !== 'username' && state.visible.login && !state.visible.target) throw new SessionExpired('ESR showed the login form');
      return target;
    }
    const login = this.locate('username');
    try {
      await target.or(login).filter({ visible: true }).first().waitFor({ state: 'visible', timeout: this.elementTimeout });
    } catch {
      throw await this.selectorError(key, assignmentId);
    }
    if (key !== 'username' && (await login.isVisible()) && !(await target.isVisible())) throw new SessionExpired('ESR showed the login form');
    return target;
  }

  /** One action on an element that must be there; the form's own fields need no session check. */
  private async act(key: SelectorKey, action: (target: Locator) => Promise<unknown>, assignmentId?: string): Promise<void> {
    try {
      await action(this.locate(key, assignmentId));
    } catch (error) {
      if ((error as Error).name !== 'TimeoutError') throw error;
      // The session can end on any step: a missing element with the login form on screen is that, not a bad selector.
      if (key !== 'username' && (await this.locate('username').isVisible())) throw new SessionExpired('ESR showed the login form');
      this.lastKey = key;
      throw await this.selectorError(key, assignmentId);
    }
  }

  private clickQuery(key: SelectorKey, assignmentId?: string): ClickQuery {
    return { target: this.selector(key, assignmentId), login: this.selector('username'), timeoutMs: this.elementTimeout };
  }

  /**
   * Click with Playwright's checks (visible, enabled, still, not covered); see clickWhenReady. Returns
   * the answers of the options' `then` steps if they ran; if not, the caller does what they would have.
   */
  private async click(key: SelectorKey, assignmentId?: string, options: ClickOptions = {}): Promise<{ answers: unknown[]; aimedAt: number } | undefined> {
    this.lastKey = key;
    const result = await clickWhenReady(this.page, this.clickQuery(key, assignmentId), options);
    if (!result) {
      await this.act(key, (t) => t.click({ timeout: this.elementTimeout }), assignmentId);
      return undefined;
    }
    if (result.clicked) return result.then;
    if (result.login && key !== 'username') throw new SessionExpired('ESR showed the login form');
    throw await this.selectorError(key, assignmentId, result.why === 'not shown' ? undefined : result.why);
  }

  private async open(path: string): Promise<void> {
    let response;
    try {
      response = await this.page.goto(`${this.baseUrl}${path}`, { waitUntil: 'load', timeout: this.elementTimeout * 2 });
    } catch (error) {
      throw new TransientEsrError(`ESR at ${this.baseUrl} cannot be reached: ${(error as Error).message.split('\n')[0]}`);
    }
    if (response && response.status() >= 500) throw new TransientEsrError(`ESR answered HTTP ${response.status()} for ${path}`);
  }

  async openDashboard(): Promise<void> {
    const path = this.esr.paths.dashboard;
    const first = this.firstUrl === dashboardUrl({ esrUrl: this.baseUrl, esr: this.esr });
    this.firstUrl = undefined;
    if (!(first && (await this.arrived()))) await this.open(path);
    this.awayFromDashboard = false;
  }

  /**
   * The browser's page was sent on to the dashboard as it started: wait for that as for a
   * goto, and use what it loaded if it is ESR's own page, answered below HTTP 500, less than a
   * minute ago (a login form left longer may have gone stale). Else, or on anything odd, false:
   * the dashboard is loaded afresh, as every later time.
   */
  private async arrived(): Promise<boolean> {
    try {
      await this.page.waitForURL((url) => url.href !== 'about:blank', { waitUntil: 'load', timeout: this.elementTimeout * 2 });
    } catch (error) {
      throw new TransientEsrError(`ESR at ${this.baseUrl} cannot be reached: ${(error as Error).message.split('\n')[0]}`);
    }
    try {
      const seen = await this.page.evaluate(() => {
        const navigation = performance.getEntriesByType('navigation')[0] as (PerformanceEntry & { responseStatus?: number }) | undefined;
        return { origin: location.origin, status: navigation?.responseStatus ?? 0, ageMs: Date.now() - performance.timeOrigin };
      });
      return seen.origin === new URL(this.baseUrl).origin && seen.status > 0 && seen.status < 500 && seen.ageMs < 60_000;
    } catch {
      return false;
    }
  }

  /** The list's own page (esr.paths.absences), for the assignment last chosen on the dashboard. */
  async openAbsencesPage(): Promise<void> {
    const path = this.esr.paths.absences;
    if (!path) return;
    this.awayFromDashboard = true;
    await this.open(path);
  }

  /** On the dashboard, or on the login form? */
  async loginFormShown(): Promise<boolean> {
    const dashboard = this.locate('assignment');
    const login = this.locate('username');
    try {
      await dashboard.or(login).filter({ visible: true }).first().waitFor({ state: 'visible', timeout: this.elementTimeout });
    } catch {
      throw await this.selectorError('assignment');
    }
    return login.isVisible();
  }

  async logIn(credentials: Credentials): Promise<void> {
    const username = await this.shown('username');
    await username.fill(credentials.username);
    const password = this.locate('password');
    await password.fill(credentials.password);
    // The form posts and a page loads; which page it is can only be told once it has.
    const loaded = this.page.waitForEvent('load', { timeout: this.elementTimeout * 2 }).then(
      () => true,
      () => false,
    );
    await password.press('Enter');
    await loaded;
    const dashboard = this.locate('assignment');
    const failed = this.page.getByText(this.esr.texts.loginFailed).first();
    const form = this.locate('username');
    try {
      await dashboard.or(failed).or(form).filter({ visible: true }).first().waitFor({ state: 'visible', timeout: this.elementTimeout * 2 });
    } catch {
      throw await this.selectorError('assignment');
    }
    if (await dashboard.isVisible()) return;
    // Refused, whatever the words (a lock notice, a new supplier's wording): the login form came back.
    if (await failed.isVisible()) throw new LoginRefused();
    throw new LoginRefused(
      'ESR showed its login form again after the login, without the dashboard: taken as a refused login; not retrying, ESR locks accounts after repeated failures',
    );
  }

  /** Wait for the person to log in themselves: smartcard, authenticator, passkey. */
  async awaitManualLogin(timeoutMs: number): Promise<void> {
    try {
      await this.locate('assignment').waitFor({ state: 'visible', timeout: timeoutMs });
    } catch {
      throw new EsrUnavailable(`nobody logged in to ESR within ${Math.round(timeoutMs / 1000)} s`);
    }
  }

  async assignments(): Promise<AssignmentInfo[]> {
    const select = await this.shown('assignment');
    return select.locator('option').evaluateAll((options) =>
      (options as HTMLOptionElement[]).map((o) => ({ id: o.value, label: (o.textContent ?? '').trim(), selected: o.selected })),
    );
  }

  /** The dashboard is on screen now with this assignment chosen (plain CSS selectors only; false is "look again"). */
  async showsAssignment(id: string): Promise<boolean> {
    const state = await pageState(this.page, { selectors: { assignment: this.selector('assignment') }, values: ['assignment'] });
    if (!state?.visible.assignment || state.values.assignment !== id) return false;
    this.confirm(id);
    return true;
  }

  async selectAssignment(id: string): Promise<void> {
    const state = await pageState(this.page, {
      selectors: { assignment: this.selector('assignment'), login: this.selector('username') },
      until: [['assignment'], ['login']],
      values: ['assignment'],
      timeoutMs: this.elementTimeout,
    });
    if (state?.met && state.visible.assignment && state.values.assignment === id) return this.confirm(id);
    const select = await this.shown('assignment');
    if ((await select.inputValue()) === id) return this.confirm(id);
    // Choosing an assignment reloads the dashboard; reading before the reload would read the old one.
    const reloaded = this.page.waitForEvent('load', { timeout: this.elementTimeout }).then(
      () => true,
      () => false,
    );
    await select.selectOption(id);
    await reloaded;
    const now = await this.shown('assignment');
    // Not EsrRefused: that lets a run go on to the next day, and no day can be booked on the wrong assignment.
    if ((await now.inputValue()) !== id) throw new EsrUnavailable(`ESR did not switch to assignment ${id}; nothing was booked on it`);
    this.confirm(id);
  }

  private listRules(): ListRules {
    const { selectors, texts, columns } = this.esr;
    return {
      columns,
      selectors: { absenceRows: selectors.absenceRows, absenceCells: selectors.absenceCells, absenceHeaders: selectors.absenceHeaders },
      emptyList: texts.emptyList,
      knownStatuses: [...CONTRACT_STATUSES, ...texts.inactiveStatuses],
    };
  }

  /** The list on screen, or the empty-list text (null), or the login form; else a SelectorError. */
  private async listShown(): Promise<Locator | null> {
    const table = this.locate('absenceTable');
    const area = this.esr.selectors.absenceArea;
    // The schema asks for both; without the area the text is not looked for, so a missing list stays an error.
    const emptyText = area ? this.esr.texts.emptyList : undefined;
    if (!emptyText) {
      const state = await pageState(this.page, {
        selectors: { table: this.selector('absenceTable'), login: this.selector('username') },
        until: [['table'], ['login']],
        timeoutMs: this.elementTimeout,
      });
      if (state) {
        if (!state.met) throw await this.selectorError('absenceTable');
        if (!state.visible.table) throw new SessionExpired('ESR showed the login form');
        await this.onlyOneList();
        return table;
      }
    }
    const login = this.locate('username');
    const empty = emptyText && area ? this.emptyTextIn(area, emptyText) : undefined;
    try {
      await (empty ? table.or(login).or(empty) : table.or(login)).filter({ visible: true }).first().waitFor({ state: 'visible', timeout: this.elementTimeout });
    } catch {
      throw await this.selectorError('absenceTable');
    }
    if (await table.isVisible()) {
      await this.onlyOneList();
      return table;
    }
    if (await login.isVisible()) throw new SessionExpired('ESR showed the login form');
    if (empty && (await empty.isVisible())) return null;
    throw await this.selectorError('absenceTable');
  }

  /**
   * The empty-list text where the list would be: the area's whole text, or a whole child's. Anywhere
   * else (a comment cell, a banner) it says nothing about the list, and a missing list read as empty
   * books again what is already there.
   */
  private emptyTextIn(area: string, emptyText: string): Locator {
    const words = emptyText.trim().split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    const whole = new RegExp(`^\\s*${words.join('\\s+')}\\s*$`);
    return this.page.locator(area).locator('xpath=self::*|./*').filter({ hasText: whole, visible: true }).first();
  }

  /** Several matches (Oracle's `table.xcg`) would leave it to chance which one is read as the list. */
  private async onlyOneList(): Promise<void> {
    const count = await this.locator('absenceTable').count();
    if (count > 1) {
      throw new ListUnreadable(
        `esr.selectors.absenceTable ("${this.configured('absenceTable')}") matches ${count} elements, and only one can be the absence list; ` +
          'override esr.selectors.absenceTable in your config so it names the list alone. Nothing was booked',
      );
    }
  }

  /**
   * The absence list, every row of every page, or an error: never a list read in part. Pages are
   * followed through esr.selectors.absenceNextPage while it shows.
   */
  async absences(): Promise<Absence[]> {
    const rules = this.listRules();
    const nextKey = this.esr.selectors.absenceNextPage;
    const all: Absence[] = [];
    let previous: string | undefined;
    for (let pageNo = 1; ; pageNo += 1) {
      this.listPagesRead = pageNo;
      // The list already on screen is read in one round trip, once its document is parsed; otherwise waited for, as it may still be coming.
      let snapshot = await snapshotListCss(this.page, this.selector('absenceTable'), this.esr.selectors, this.elementTimeout);
      // A list read while its document is still arriving could be read short: Playwright's way waits for it too.
      if (!snapshot && this.parsedAt !== this.navigations) await this.page.waitForLoadState('domcontentloaded', { timeout: this.elementTimeout });
      const table = snapshot ? this.locate('absenceTable') : await this.listShown();
      snapshot ??= table
        ? ((await snapshotListCss(this.page, this.selector('absenceTable'), this.esr.selectors, this.elementTimeout)) ?? (await snapshotList(table, this.esr.selectors)))
        : { headers: [], rows: [], strays: [] };
      const seen = JSON.stringify(snapshot);
      if (previous !== undefined && seen === previous) {
        throw new ListUnreadable(
          `following esr.selectors.absenceNextPage ("${nextKey}") showed the same page of the absence list again (page ${pageNo}); nothing was booked`,
        );
      }
      previous = seen;
      all.push(...readListPage(snapshot, rules));
      if (!nextKey) {
        // Read as the whole list, page 1 of several would look like free days.
        if (snapshot.pager) {
          throw new ListUnreadable(
            `the absence list shows a page control ("${snapshot.pager}") but esr.selectors.absenceNextPage is not set, so only its first page could be read; ` +
              'set esr.selectors.absenceNextPage in your config to the "next page" control. Nothing was booked',
          );
        }
        return all;
      }
      const next = this.locate('absenceNextPage');
      if (!(await next.isVisible())) return all;
      if (pageNo >= MAX_LIST_PAGES) {
        throw new ListUnreadable(`the absence list still shows esr.selectors.absenceNextPage ("${nextKey}") after ${MAX_LIST_PAGES} pages; nothing was booked`);
      }
      await this.followNextPage(next, table);
    }
  }

  /** Click "next" and wait until the list is another one: a new document, or the list replaced or changed in place. */
  private async followNextPage(next: Locator, table: Locator | null): Promise<void> {
    const mark = `${Date.now()}-${Math.random()}`;
    if (table) {
      await table.evaluate((el, m) => {
        (window as unknown as { __ebhList?: unknown }).__ebhList = { el, text: (el as HTMLElement).innerText, m };
      }, mark);
    }
    this.awayFromDashboard = true;
    await next.click({ timeout: this.elementTimeout });
    try {
      await this.page.waitForFunction(
        (m) => {
          const seen = (window as unknown as { __ebhList?: { el: HTMLElement; text: string; m: string } }).__ebhList;
          return !seen || seen.m !== m || !seen.el.isConnected || seen.el.innerText !== seen.text;
        },
        mark,
        { timeout: this.elementTimeout },
      );
    } catch (error) {
      if ((error as Error).name !== 'TimeoutError') throw error;
      throw new ListUnreadable(
        `clicked esr.selectors.absenceNextPage ("${this.esr.selectors.absenceNextPage}") but no new page of the absence list came within ${this.elementTimeout / 1000} s; nothing was booked`,
      );
    }
  }

  /**
   * Click the create link, with Playwright's checks that it is visible and still. The form's fields
   * are waited for when filled. On the dashboard as last confirmed, nothing is looked at again.
   */
  async openLeaveForm(): Promise<void> {
    await this.scriptsLoaded();
    await this.click('createLeave');
  }

  /** A link shown before the page's script has loaded does nothing when clicked. */
  private async scriptsLoaded(): Promise<void> {
    if (this.loadedAt !== this.navigations) await this.page.waitForLoadState('load', { timeout: this.elementTimeout });
  }

  /**
   * openLeaveForm, then fillLeaveForm, in fewer round trips: the fill, and with `readySubmit` the
   * first look at Submit (kept for submitLeaveForm), run in the page as soon as the press that opens
   * the form is seen to have landed, in the same round trip.
   */
  async openAndFillLeaveForm(assignmentId: string, date: IsoDate, comments: string, readySubmit = false): Promise<void> {
    this.submitSeen = undefined;
    await this.scriptsLoaded();
    const form = this.leaveForm(assignmentId, date, comments);
    const then = await this.click('createLeave', undefined, { then: [fillStep(form), ...(readySubmit ? [lookStep(this.clickQuery('submit'))] : [])] });
    const [filled, look] = then?.answers ?? [];
    // Not run, or it threw (the page's own script in the way): filled on its own, which says what went wrong.
    if (filled === undefined || threw(filled)) return this.fillLeaveForm(assignmentId, date, comments);
    await this.filled(fillResult(filled), form, assignmentId);
    if (look !== undefined && !threw(look)) this.submitSeen = { answer: look as Ready, aimedAt: then!.aimedAt };
  }

  /** The leave form is open (for doctor): its reason select shown. */
  async leaveFormShown(assignmentId: string): Promise<void> {
    await this.shown('leaveReason', assignmentId);
  }

  async fillLeaveForm(assignmentId: string, date: IsoDate, comments: string): Promise<void> {
    const form = this.leaveForm(assignmentId, date, comments);
    await this.filled(await fillForm(this.page, form), form, assignmentId);
  }

  private leaveForm(assignmentId: string, date: IsoDate, comments: string): FormFill {
    const day = toEsrDate(date);
    return {
      select: { key: 'leaveReason', selector: this.selector('leaveReason', assignmentId), label: this.esr.texts.bankHolidayReason },
      fields: [
        { key: 'comments', selector: this.selector('comments'), value: comments },
        { key: 'startDate', selector: this.selector('startDate'), value: day },
        { key: 'endDate', selector: this.selector('endDate'), value: day },
      ],
      login: this.selector('username'),
      timeoutMs: this.elementTimeout,
    };
  }

  /** What the in-page fill answered: done, or an error; undefined (selectors it cannot use) fills with locators. */
  private async filled(filled: FillResult | undefined, form: FormFill, assignmentId: string): Promise<void> {
    const timeout = this.elementTimeout;
    if (filled?.ok) return;
    if (filled) {
      this.lastKey = filled.missing;
      if (filled.login) throw new SessionExpired('ESR showed the login form');
      if (filled.rewritten) throw new EsrUnavailable(`the leave form did not keep the value put in esr.selectors.${filled.missing}; nothing was submitted`);
      throw await this.selectorError(filled.missing, assignmentId);
    }
    await this.act('leaveReason', (t) => t.selectOption({ label: form.select.label }, { timeout }), assignmentId);
    for (const field of form.fields) await this.act(field.key, (t) => t.fill(field.value, { timeout }));
  }

  async cancelLeaveForm(assignmentId: string): Promise<void> {
    const reason = this.locate('leaveReason', assignmentId);
    if (!(await reason.isVisible())) return;
    await this.click('cancel');
    await reason.waitFor({ state: 'hidden', timeout: this.elementTimeout });
  }

  /**
   * Submit, then wait for ESR to finish: the processing modal gone and the form closed (accepted),
   * a refusal in the form, or the login form. Closing the browser before this returns can lose the
   * request. Whatever does not show ESR's answer is OutcomeUnknown: the request may have been saved.
   */
  async submitLeaveForm(assignmentId: string, date: IsoDate): Promise<SubmitOutcome> {
    const seen = this.submitSeen;
    this.submitSeen = undefined;
    await this.click('submit', undefined, seen ? { seen } : {});
    const timeout = this.esr.timeouts.processingSeconds * 1000;
    const unanswered = (why: string) => new OutcomeUnknown(date, why);
    let state;
    try {
      // ESR's answer in one wait: a refusal, the login form, or the form closed and the modal gone.
      state = await pageState(this.page, {
        selectors: {
          alert: this.selector('errorMessage'),
          login: this.selector('username'),
          create: this.selector('createLeave'),
          form: this.selector('leaveReason', assignmentId),
          modal: this.selector('processingModal'),
        },
        until: [['alert'], ['login', '!create'], ['create', '!form', '!modal']],
        texts: ['alert'],
        timeoutMs: timeout,
      });
    } catch (error) {
      throw unanswered(`the page went away: ${(error as Error).message.split('\n')[0]}`);
    }
    if (!state) return this.submitAnswerByLocators(assignmentId, date);
    if (!state.met) throw unanswered(`still processing after ${timeout / 1000} s`);
    if (state.visible.alert) return this.refusal(assignmentId, date, state.texts.alert ?? '');
    if (state.visible.login && !state.visible.create) throw unanswered('ESR showed the login form after the submit');
    return 'accepted';
  }

  /**
   * ESR answered the request with this message: the form is cancelled and the message classified. A
   * "try again later" after the click does not say whether ESR saved the request, so it is not sent again.
   */
  private async refusal(assignmentId: string, date: IsoDate, message: string): Promise<SubmitOutcome> {
    await this.cancelLeaveForm(assignmentId);
    if (message.toLowerCase().includes(this.esr.texts.overlap.toLowerCase())) return 'overlap';
    if (this.esr.texts.transient.some((t) => message.toLowerCase().includes(t.toLowerCase()))) {
      throw new OutcomeUnknown(date, `ESR answered "${message}", which does not say whether it saved the request`);
    }
    throw new EsrRefused(message);
  }

  /** The same wait with Playwright's locators, for selectors that are not plain CSS. */
  private async submitAnswerByLocators(assignmentId: string, date: IsoDate): Promise<SubmitOutcome> {
    const alert = this.locate('errorMessage');
    const login = this.locate('username');
    const create = this.locate('createLeave');
    const timeout = this.esr.timeouts.processingSeconds * 1000;
    const unanswered = (why: string) => new OutcomeUnknown(date, why);
    try {
      // One wait on all three ends: separate racing waits would each poll the page until their timeout.
      await alert.or(login).or(create).filter({ visible: true }).first().waitFor({ state: 'visible', timeout });
    } catch (error) {
      throw unanswered(
        (error as Error).name === 'TimeoutError' ? `still processing after ${timeout / 1000} s` : `the page went away: ${(error as Error).message.split('\n')[0]}`,
      );
    }
    if (await alert.isVisible()) return this.refusal(assignmentId, date, (await alert.innerText()).replace(/\s+/g, ' ').trim());
    if ((await login.isVisible()) && !(await create.isVisible())) throw unanswered('ESR showed the login form after the submit');
    try {
      await this.locate('leaveReason', assignmentId).waitFor({ state: 'hidden', timeout });
      await this.locate('processingModal').waitFor({ state: 'hidden', timeout });
    } catch {
      throw unanswered(`the form or the processing modal was still shown after ${timeout / 1000} s`);
    }
    return 'accepted';
  }

  /** Log out with the session's cookies; nothing needs rendering, so no page load is waited for. */
  async logOut(): Promise<boolean> {
    const response = await this.page.context().request.get(`${this.baseUrl}${this.esr.paths.logout}`, { timeout: this.elementTimeout });
    return response.ok() && (await response.text()).includes(this.esr.texts.loggedOut);
  }
}
