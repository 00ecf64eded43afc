import type { Frame, Page } from 'playwright';
import { evaluateWithHelpers, type InPageHelpers } from './in-page.js';
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
  | { clicked: true }
  /** Not clicked: the login form showed instead, or the target was not ready in time and why. */
  | { clicked: false; login: boolean; why: string };

type Ready = { unsupported: true } | { unsupported: false; ready: true; x: number; y: number; guard: string } | { unsupported: false; ready: false; login: boolean; why: string };

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
export async function clickWhenReady(page: Page, query: ClickQuery): Promise<ClickResult | undefined> {
  const deadline = Date.now() + query.timeoutMs;
  await stopStrayPressesIn(page);
  // A press must go to the document it was aimed in: one that came since has no guard in it.
  let navigations = 0;
  const counted = (frame: Frame) => {
    if (frame === page.mainFrame()) navigations += 1;
  };
  page.on('framenavigated', counted);
  try {
    for (let tries = 0; ; tries += 1) {
      const aimedAt = navigations;
      let ready: Ready;
      try {
        ready = await evaluateWithHelpers(page, inPageReady, { ...query, settleFirst: tries > 0, inFlightKey: IN_FLIGHT, timeoutMs: Math.max(0, deadline - Date.now()) });
      } catch (error) {
        if (!GONE.test((error as Error).message ?? '')) throw error;
        // The page went to another document while the wait ran (a reload, the login form): look again there.
        if (Date.now() < deadline) continue;
        return { clicked: false, login: false, why: 'the page kept going to another document' };
      }
      if (ready.unsupported) return undefined;
      if (!ready.ready) return { clicked: false, login: ready.login, why: ready.why };
      if (navigations !== aimedAt) continue;
      await page.mouse.click(ready.x, ready.y);
      if (await landed(page, ready.guard)) return { clicked: true };
      if (Date.now() >= deadline) return { clicked: false, login: false, why: 'it kept moving, or something else took the click' };
    }
  } finally {
    page.off('framenavigated', counted);
  }
}

const IN_FLIGHT = 'esr-bank-holidays-press';
const guarded = new WeakSet<Page>();

/**
 * The page can go to another document between the check and the press, and the press then lands on
 * whatever is there (a list row's Cancel), with no guard in that document. So every document starts
 * with a stop on pressing while a press aimed at an earlier one is in flight (kept in sessionStorage,
 * which the next document of the same site sees); arming a guard, or asking where the press went, ends it.
 */
async function stopStrayPressesIn(page: Page): Promise<void> {
  if (guarded.has(page)) return;
  guarded.add(page);
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
}

/** Where did the press go? Asked in whatever document is on screen now, once more if it changes meanwhile. */
async function landed(page: Page, guard: string): Promise<boolean> {
  for (let tries = 0; ; tries += 1) {
    try {
      return await page.evaluate(inPageLanded, { guard, key: IN_FLIGHT });
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
function inPageLanded(args: { guard: string; key: string }): boolean {
  try {
    sessionStorage.removeItem(args.key);
  } catch {
    // no sessionStorage here: nothing was marked
  }
  const seen = (window as unknown as { __ebhGuards?: Record<string, { state: string; done: () => void }> }).__ebhGuards?.[args.guard];
  if (!seen) return !(window as unknown as { __ebhStoppedStray?: boolean }).__ebhStoppedStray;
  seen.done();
  return seen.state === 'pressed';
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
