import type { Frame, Page } from 'playwright';
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
        ready = await page.evaluate(inPageReady, { ...query, settleFirst: tries > 0, timeoutMs: Math.max(0, deadline - Date.now()) });
      } catch (error) {
        // The page went to another document while the wait ran (a reload, the login form): look again there.
        if (!GONE.test((error as Error).message ?? '') || Date.now() >= deadline) throw error;
        continue;
      }
      if (ready.unsupported) return undefined;
      if (!ready.ready) return { clicked: false, login: ready.login, why: ready.why };
      if (navigations !== aimedAt) continue;
      await page.mouse.click(ready.x, ready.y);
      if (await page.evaluate(inPageLanded, ready.guard).catch(() => true)) return { clicked: true };
      if (Date.now() >= deadline) return { clicked: false, login: false, why: 'it kept moving, or something else took the click' };
    }
  } finally {
    page.off('framenavigated', counted);
  }
}

/**
 * Runs in the page: did the guarded press reach its element? Its guard is taken down either way. No
 * guard left means the page went to another document since, which only a press that reached it does.
 */
function inPageLanded(guard: string): boolean {
  const guards = (window as unknown as { __ebhGuards?: Record<string, { state: string; done: () => void }> }).__ebhGuards ?? {};
  const seen = guards[guard];
  if (!seen) return true;
  seen.done();
  return seen.state === 'pressed';
}

/** Runs in the page: no closures, everything it needs comes in its argument. */
function inPageReady(query: ClickQuery): Promise<Ready> {
  const isVisible = (el: Element): boolean => {
    const style = getComputedStyle(el);
    if (typeof el.checkVisibility === 'function' && !el.checkVisibility()) return false;
    if (style.visibility !== 'visible') return false;
    const rect = el.getBoundingClientRect();
    return rect.width > 0 && rect.height > 0;
  };
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
  if (Array.from(document.querySelectorAll('*')).some((el) => el.shadowRoot)) return Promise.resolve({ unsupported: true });
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
      // Moving: two animation frames must see the same box (Playwright's "stable"), and no animation
      // or transition be under way on it or around it (one just begun has not moved it yet).
      const animated = document.getAnimations().some((a) => {
        const target = (a.effect as KeyframeEffect | null)?.target;
        return a.playState !== 'finished' && a.playState !== 'idle' && target instanceof Element && target.contains(el);
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
      done({ unsupported: false, ready: true, x, y, guard });
    };
    look();
  });
}
