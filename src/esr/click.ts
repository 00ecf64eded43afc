import type { Page } from 'playwright';
import { evaluateChain, evaluateWithHelpers, threw, type InPageHelpers, type InPageStep } from './in-page.js';
import { GONE } from './page-state.js';

export interface ClickQuery {
  /** The element to click: plain CSS only (a selector that is not makes this return undefined). */
  target: string;
  /** See it still over a frame before the pointer moves (a press stopped once asks for this). */
  settleFirst?: boolean;
  /** The login form: shown instead of the target, the session ended. */
  login: string;
  timeoutMs: number;
}

export type ClickResult =
  /** `then`: the answers of the steps run after the press, and the document count when they were sent (see ClickOptions). */
  | { clicked: true; then?: { answers: unknown[]; aimedAt: number } }
  /** Not clicked: the login form showed instead, or the target was not ready in time and why. */
  | { clicked: false; login: boolean; why: string };

export type Ready = { unsupported: true } | { unsupported: false; ready: true; x: number; y: number; guard: string } | { unsupported: false; ready: false; login: boolean; why: string };

/** A look at a later click's target taken by an earlier click's `then` (lookStep), and the document count when it was sent. */
export interface Seen {
  answer: Ready;
  aimedAt: number;
}

export interface ClickOptions {
  /**
   * Steps to run in the page once the press has landed, in the round trip that asks where it went
   * (filling the form the press opened); not run if it did not land, or if the page went on to
   * another document, when the caller runs them itself.
   */
  then?: readonly InPageStep[];
  /** The target as lookStep saw it, for the first try: used only if no document came since. */
  seen?: Seen;
}

/**
 * Click as a person would, with Playwright's checks and without its round trips: wait in the page
 * until the element is visible, enabled, not animated, inside the window and the element at its own
 * centre (nothing covers it), then move the mouse there and press. A guard in the page judges the
 * press as it starts: on that element, with the box it was found with (the pointer's move lets a
 * frame pass, so an element moving by script shows a new box), all of it reaches the page; otherwise
 * none of it does, not even the browser's click, and it is tried again once the element has kept its
 * box over a frame (Playwright's "stable"). A press that reached the page is never tried again, so a
 * click never sends a request twice. Playwright's locator click does the same in about ten round
 * trips, and after every reload first loads its own script into the page.
 * Undefined when a selector is not plain CSS or the page has shadow roots: the caller uses a locator.
 */
export async function clickWhenReady(page: Page, query: ClickQuery, options: ClickOptions = {}): Promise<ClickResult | undefined> {
  const deadline = Date.now() + query.timeoutMs;
  const shown = await track(page);
  for (let tries = 0; ; tries += 1) {
    // A press must go to the document it was aimed in: one that came since has no guard in it.
    let aimedAt = shown.documents;
    let ready: Ready;
    if (tries === 0 && options.seen) {
      ({ answer: ready, aimedAt } = options.seen);
    } else {
      try {
        ready = await evaluateWithHelpers(page, inPageReady, lookArgs(query, tries > 0, deadline));
      } catch (error) {
        if (!GONE.test((error as Error).message ?? '')) throw error;
        // The page went to another document while the wait ran (a reload, the login form): look again there.
        if (Date.now() < deadline) continue;
        return { clicked: false, login: false, why: 'the page kept going to another document' };
      }
    }
    if (ready.unsupported) return undefined;
    if (!ready.ready) return { clicked: false, login: ready.login, why: ready.why };
    if (shown.documents !== aimedAt) continue;
    await page.mouse.click(ready.x, ready.y);
    const sentAt = shown.documents;
    const after = await landedThen(page, ready.guard, options.then);
    if (after.landed) return { clicked: true, ...(after.answers ? { then: { answers: after.answers, aimedAt: sentAt } } : {}) };
    if (Date.now() >= deadline) return { clicked: false, login: false, why: 'it kept moving, or something else took the click' };
  }
}

/** The first look of a click, as a step for an earlier click's `then`: its answer is the later click's `seen`. */
export function lookStep(query: ClickQuery): InPageStep {
  return { fn: inPageReady, arg: lookArgs(query, false, Date.now() + query.timeoutMs), goOn: 'ready' };
}

function lookArgs(query: ClickQuery, settleFirst: boolean, deadline: number): ClickQuery & { inFlightKey: string } {
  return { ...query, settleFirst, inFlightKey: IN_FLIGHT, timeoutMs: Math.max(0, deadline - Date.now()) };
}

const IN_FLIGHT = 'esr-bank-holidays-press';
const tracked = new WeakMap<Page, { documents: number }>();

/**
 * Per page, once: count the documents its main frame has shown, and stop stray presses in each new
 * one. The page can go to another document between the check and the press, and the press then
 * lands on whatever is there (a list row's Cancel), with no guard in that document. So every
 * document starts with a stop on pressing while a press aimed at an earlier one is in flight (kept
 * in sessionStorage, which the next document of the same site sees); arming a guard, or asking where
 * the press went, ends it.
 */
async function track(page: Page): Promise<{ documents: number }> {
  const known = tracked.get(page);
  if (known) return known;
  const shown = { documents: 0 };
  tracked.set(page, shown);
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) shown.documents += 1;
  });
  await page.addInitScript((key: string) => {
    let aimed: string | null;
    try {
      aimed = sessionStorage.getItem(key);
    } catch {
      return;
    }
    if (!aimed) return;
    const stop = (event: Event) => {
      if (!event.isTrusted || sessionStorage.getItem(key) !== aimed) return;
      (window as unknown as { __ebhStoppedStray?: boolean }).__ebhStoppedStray = true;
      event.preventDefault();
      event.stopImmediatePropagation();
    };
    for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click']) window.addEventListener(type, stop, true);
  }, IN_FLIGHT);
  return shown;
}

/**
 * Where did the press go, and, if it landed, the `then` steps in the same round trip (a step that
 * threw answers StepThrew, and the caller does its work itself). Should the page go on to another
 * document before answering, it is asked there on its own, as `landed` does.
 */
async function landedThen(page: Page, guard: string, then: readonly InPageStep[] | undefined): Promise<{ landed: boolean; answers?: unknown[] }> {
  if (!then?.length) return { landed: await landed(page, guard) };
  let first: unknown;
  let answers: unknown[];
  try {
    [first, ...answers] = await evaluateChain(page, [{ fn: inPageLanded, arg: { guard, key: IN_FLIGHT }, goOn: 'landed' }, ...then]);
  } catch (error) {
    // Unanswered for any other reason: taken as landed, so that a press that may have acted is never repeated.
    if (!GONE.test((error as Error).message ?? '')) return { landed: true };
    // In the later document the guard is gone; what that document saw is the answer.
    return { landed: await landed(page, guard) };
  }
  // The question itself cannot throw; should it somehow, the press is taken as landed.
  const landedHere = threw(first) || (first as { landed: boolean }).landed;
  return landedHere ? { landed: true, answers } : { landed: false };
}

/** Where did the press go? Asked in whatever document is on screen now, once more if it changes meanwhile. */
async function landed(page: Page, guard: string): Promise<boolean> {
  for (let tries = 0; ; tries += 1) {
    try {
      return (await page.evaluate(inPageLanded, { guard, key: IN_FLIGHT })).landed;
    } catch (error) {
      // Unanswered: taken as landed, so that a press that may have acted is never repeated.
      if (!GONE.test((error as Error).message ?? '') || tries > 0) return true;
    }
  }
}

/**
 * Runs in the page: did the guarded press reach its element? Its guard and the in-flight mark are
 * taken down either way. In a later document, without the guard: stopped if that document stopped
 * a press, else it reached the earlier one, which only a press that acted there can have sent away.
 */
function inPageLanded(args: { guard: string; key: string }): { landed: boolean } {
  try {
    sessionStorage.removeItem(args.key);
  } catch {
    // no sessionStorage here: nothing was marked
  }
  const seen = (window as unknown as { __ebhGuards?: Record<string, { state: string; done: () => void }> }).__ebhGuards?.[args.guard];
  if (!seen) return { landed: !(window as unknown as { __ebhStoppedStray?: boolean }).__ebhStoppedStray };
  seen.done();
  return { landed: seen.state === 'pressed' };
}

/**
 * Runs in the page: no closures, everything it needs comes in its arguments. `inFlightKey`: where the
 * page keeps the mark of a press in flight (see stopStrayPressesIn).
 */
function inPageReady(query: ClickQuery & { inFlightKey: string }, helpers: InPageHelpers): Promise<Ready> {
  const { isVisible, hasShadowRoots } = helpers;
  // What moves or resizes things: an animation of anything else (a colour pulse, for ever) moves nothing.
  const geometry = /^(transform|translate|rotate|scale|top|left|right|bottom|inset|width|height|margin|padding|offset[A-Z]\w*|font|lineHeight|border\w*Width|flex|grid|zoom|display|position)/;
  const find = (selector: string): Element | null | 'unsupported' => {
    try {
      return document.querySelector(selector);
    } catch {
      return 'unsupported';
    }
  };
  const boxOf = (el: Element) => {
    const r = el.getBoundingClientRect();
    return `${r.left},${r.top},${r.width},${r.height}`;
  };
  if (hasShadowRoots()) return Promise.resolve({ unsupported: true });
  return new Promise((resolve) => {
    let last: { el: Element; box: string } | undefined;
    let why = 'not shown';
    let frame = 0;
    const timer = setTimeout(() => {
      cancelAnimationFrame(frame);
      const login = find(query.login);
      resolve({ unsupported: false, ready: false, login: login instanceof Element && isVisible(login), why });
    }, query.timeoutMs);
    const done = (result: Ready) => {
      clearTimeout(timer);
      cancelAnimationFrame(frame);
      resolve(result);
    };
    const look = () => {
      const el = find(query.target);
      const login = find(query.login);
      if (el === 'unsupported' || login === 'unsupported') return done({ unsupported: true });
      if (!el || !isVisible(el)) {
        last = undefined;
        why = 'not shown';
        if (login && isVisible(login)) return done({ unsupported: false, ready: false, login: true, why: 'the login form is shown' });
        return (frame = requestAnimationFrame(look));
      }
      if (el.matches(':disabled') || el.closest('[aria-disabled="true"]')) {
        last = undefined;
        why = 'disabled';
        return (frame = requestAnimationFrame(look));
      }
      const box = boxOf(el);
      // Moving: an animation or transition under way on it or around it (one just begun has not moved it yet).
      const animated = document.getAnimations().some((a) => {
        const effect = a.effect as KeyframeEffect | null;
        const target = effect?.target;
        if (a.playState !== 'running' || !(target instanceof Element) || !target.contains(el)) return false;
        return effect!.getKeyframes().some((frame) => Object.keys(frame).some((property) => geometry.test(property)));
      });
      // A first look on a first try goes on: the guard checks the box again as the press starts. A box
      // seen to change, or a press stopped before, waits for one that stays the same over a frame.
      const seenStill = last?.el === el && last.box === box;
      if (animated || (!seenStill && (query.settleFirst || last))) {
        last = { el, box };
        why = 'still moving';
        return (frame = requestAnimationFrame(look));
      }
      const r = el.getClientRects()[0] ?? el.getBoundingClientRect();
      const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
      const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
      if (r.bottom <= 0 || r.top >= innerHeight || r.right <= 0 || r.left >= innerWidth) {
        el.scrollIntoView({ block: 'center', inline: 'center' });
        last = undefined;
        why = 'outside the window';
        return (frame = requestAnimationFrame(look));
      }
      const hit = document.elementFromPoint(x, y);
      if (!hit || !(hit === el || el.contains(hit))) {
        why = `covered by <${hit ? hit.tagName.toLowerCase() : 'nothing'}>`;
        return (frame = requestAnimationFrame(look));
      }
      // Armed until the press is over. The press is judged once, as it starts (pointerdown): on the
      // element, with the box it was found with, all of it reaches the page; else none of it does, not
      // even the click the browser fires after a stopped pointerdown.
      const holder = window as unknown as { __ebhGuards?: Record<string, { state: string; done: () => void }> };
      const guards = (holder.__ebhGuards ??= {});
      for (const old of Object.values(guards)) old.done();
      const guard = `${Date.now()}-${Math.random()}`;
      const entry = { state: 'armed', done: () => undefined as void };
      const events = ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click'];
      const check = (event: Event) => {
        if (!event.isTrusted) return;
        if (event.type === 'pointerdown' && entry.state === 'armed') {
          const target = event.target as Node | null;
          entry.state = target && (target === el || el.contains(target)) && boxOf(el) === box ? 'pressed' : 'stray';
        }
        if (entry.state === 'pressed') return;
        event.preventDefault();
        event.stopImmediatePropagation();
      };
      entry.done = () => {
        for (const type of events) window.removeEventListener(type, check, true);
        delete guards[guard];
      };
      guards[guard] = entry;
      for (const type of events) window.addEventListener(type, check, true);
      try {
        sessionStorage.setItem(query.inFlightKey, guard);
      } catch {
        // no sessionStorage here (an opaque origin): a later document cannot be told
      }
      done({ unsupported: false, ready: true, x, y, guard });
    };
    look();
  });
}
