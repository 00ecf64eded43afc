import type { Locator, Page } from 'playwright';
import type { Config, SelectorKey } from '../config/schema.js';
import { toEsrDate, type IsoDate } from '../planning/dates.js';
import type { Absence } from '../planning/plan.js';
import { parseAbsenceRows } from './absence-rows.js';
import { EsrRefused, EsrUnavailable, LoginRefused, SelectorError, SessionExpired, TransientEsrError } from './errors.js';
import type { Evidence } from './evidence.js';

export interface Credentials {
  username: string;
  password: string;
}

export interface AssignmentInfo {
  id: string;
  label: string;
  selected: boolean;
}

export type SubmitOutcome = 'submitted' | 'overlap';

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
  ) {
    this.esr = config.esr;
    this.baseUrl = config.esrUrl.replace(/\/+$/, '');
    this.elementTimeout = config.esr.timeouts.elementSeconds * 1000;
  }

  readonly baseUrl: string;

  private selector(key: SelectorKey, assignmentId = ''): string {
    return this.esr.selectors[key].replaceAll('{assignmentId}', assignmentId);
  }

  private locate(key: SelectorKey, assignmentId?: string): Locator {
    return this.page.locator(this.selector(key, assignmentId)).first();
  }

  private async selectorError(key: SelectorKey, assignmentId?: string): Promise<SelectorError> {
    const shot = await this.evidence.screenshot(this.page, `missing-${key}`);
    return new SelectorError(key, this.selector(key, assignmentId), this.page.url(), shot);
  }

  /** Wait for an element, or learn that the session ended, or fail naming the config key. */
  private async shown(key: SelectorKey, assignmentId?: string): Promise<Locator> {
    const target = this.locate(key, assignmentId);
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
      throw await this.selectorError(key, assignmentId);
    }
  }

  async openDashboard(): Promise<void> {
    const path = this.esr.paths.dashboard;
    let response;
    try {
      response = await this.page.goto(`${this.baseUrl}${path}`, { waitUntil: 'load', timeout: this.elementTimeout * 2 });
    } catch (error) {
      throw new TransientEsrError(`ESR at ${this.baseUrl} cannot be reached: ${(error as Error).message.split('\n')[0]}`);
    }
    if (response && response.status() >= 500) throw new TransientEsrError(`ESR answered HTTP ${response.status()} for ${path}`);
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
    await password.press('Enter');
    const failed = this.page.getByText(this.esr.texts.loginFailed).first();
    try {
      await this.locate('assignment').or(failed).filter({ visible: true }).first().waitFor({ state: 'visible', timeout: this.elementTimeout * 2 });
    } catch {
      throw await this.selectorError('assignment');
    }
    if (await failed.isVisible()) throw new LoginRefused();
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

  async selectAssignment(id: string): Promise<void> {
    const select = await this.shown('assignment');
    if ((await select.inputValue()) === id) return;
    // Choosing an assignment reloads the dashboard; reading before the reload would read the old one.
    const reloaded = this.page.waitForEvent('load', { timeout: this.elementTimeout }).then(
      () => true,
      () => false,
    );
    await select.selectOption(id);
    await reloaded;
    const now = await this.shown('assignment');
    if ((await now.inputValue()) !== id) throw new EsrRefused(`ESR did not switch to assignment ${id}`);
  }

  async absences(): Promise<Absence[]> {
    await this.shown('absenceTable');
    const texts = await this.page.locator(this.selector('absenceRows')).allInnerTexts();
    return parseAbsenceRows(texts, [this.esr.texts.bankHolidayReason], this.esr.texts.inactiveStatuses);
  }

  async openLeaveForm(assignmentId: string): Promise<void> {
    const create = await this.shown('createLeave');
    // A link shown before the page's script has loaded does nothing when clicked.
    await this.page.waitForLoadState('load');
    await create.click();
    await this.shown('leaveReason', assignmentId);
  }

  async fillLeaveForm(assignmentId: string, date: IsoDate, comments: string): Promise<void> {
    const timeout = this.elementTimeout;
    const day = toEsrDate(date);
    await this.act('leaveReason', (t) => t.selectOption({ label: this.esr.texts.bankHolidayReason }, { timeout }), assignmentId);
    await this.act('comments', (t) => t.fill(comments, { timeout }));
    await this.act('startDate', (t) => t.fill(day, { timeout }));
    await this.act('endDate', (t) => t.fill(day, { timeout }));
  }

  async cancelLeaveForm(assignmentId: string): Promise<void> {
    const reason = this.locate('leaveReason', assignmentId);
    if (!(await reason.isVisible())) return;
    await this.act('cancel', (t) => t.click({ timeout: this.elementTimeout }));
    await reason.waitFor({ state: 'hidden', timeout: this.elementTimeout });
  }

  /**
   * Submit, then wait for ESR to finish: the processing modal gone and the form closed, a refusal
   * in the form, or the login form. Closing the browser before this returns can lose the request.
   */
  async submitLeaveForm(assignmentId: string): Promise<SubmitOutcome> {
    const alert = this.locate('errorMessage');
    const login = this.locate('username');
    const create = this.locate('createLeave');
    await this.act('submit', (t) => t.click({ timeout: this.elementTimeout }));
    const timeout = this.esr.timeouts.processingSeconds * 1000;
    // One wait on all three ends: separate racing waits would each poll the page until their timeout.
    try {
      await alert.or(login).or(create).filter({ visible: true }).first().waitFor({ state: 'visible', timeout });
    } catch {
      throw new TransientEsrError(`ESR did not finish processing within ${timeout / 1000} s`);
    }
    if (await alert.isVisible()) {
      const message = (await alert.innerText()).replace(/\s+/g, ' ').trim();
      await this.cancelLeaveForm(assignmentId);
      if (message.toLowerCase().includes(this.esr.texts.overlap.toLowerCase())) return 'overlap';
      if (this.esr.texts.transient.some((t) => message.toLowerCase().includes(t.toLowerCase()))) throw new TransientEsrError(message);
      throw new EsrRefused(message);
    }
    if ((await login.isVisible()) && !(await create.isVisible())) throw new SessionExpired('ESR showed the login form after submitting');
    // The form is closed and the processing modal gone before anything else is done.
    await this.locate('leaveReason', assignmentId).waitFor({ state: 'hidden', timeout });
    await this.locate('processingModal').waitFor({ state: 'hidden', timeout });
    return 'submitted';
  }

  /** Log out with the session's cookies; nothing needs rendering, so no page load is waited for. */
  async logOut(): Promise<boolean> {
    const response = await this.page.context().request.get(`${this.baseUrl}${this.esr.paths.logout}`, { timeout: this.elementTimeout });
    return response.ok() && (await response.text()).includes(this.esr.texts.loggedOut);
  }
}
