import type { Page } from 'playwright';
import { evaluateWithHelpers, type InPageHelpers } from './in-page.js';

/** A condition on one named element: `name` its first match visible, `!name` not visible (or absent). */
export type Condition<K extends string> = K | `!${K}`;

export interface StateQuery<K extends string> {
  /** The elements to look at, by name: plain CSS only (config selectors that are not fall back to locators). */
  selectors: Record<K, string>;
  /** Wait until any one clause holds, every condition in it; without it, the state is read at once. */
  until?: Array<Array<Condition<K>>>;
  /** Elements whose value (inputs, selects) to return. */
  values?: K[];
  /** Elements whose visible text to return. */
  texts?: K[];
  timeoutMs?: number;
}

export interface PageState<K extends string> {
  /** Whether a clause of `until` held (always true without one); false means the wait timed out. */
  met: boolean;
  visible: Record<K, boolean>;
  values: Partial<Record<K, string>>;
  texts: Partial<Record<K, string>>;
}

type InPage = { unsupported: true } | ({ unsupported: false } & PageState<string>);

/** The page went to another document while the state was being read: read again in the new one. */
export const GONE = /Execution context was destroyed|Cannot find context with specified id|navigation|frame was detached/i;

/**
 * The state of several elements in one round trip, waiting in the page (a DOM observer and a short
 * timer) rather than in Playwright's polling, which re-checks only every 100 to 500 ms once a wait
 * has run a while: ESR's answer is then seen when it comes, not up to half a second later.
 *
 * Visibility is Playwright's own rule (a box, no `visibility: hidden`, `checkVisibility()`), so the
 * answer is the one its locators would give. Returns undefined when a selector is not plain CSS or
 * the page has shadow roots: Playwright's selector engines read those differently, so the caller
 * uses its locators instead.
 */
export async function pageState<K extends string>(page: Page, query: StateQuery<K>): Promise<PageState<K> | undefined> {
  const deadline = Date.now() + (query.timeoutMs ?? 0);
  for (;;) {
    try {
      const state = await evaluateWithHelpers(page, inPageState, {
        selectors: query.selectors as Record<string, string>,
        until: (query.until ?? null) as string[][] | null,
        values: (query.values ?? []) as string[],
        texts: (query.texts ?? []) as string[],
        timeoutMs: Math.max(0, deadline - Date.now()),
      });
      if (state.unsupported) return undefined;
      return state as PageState<K>;
    } catch (error) {
      // A reload (ESR may reload the dashboard after a submit) ends this document's wait: go on in the next.
      // page.evaluate waits for the new document's context itself.
      if (!GONE.test((error as Error).message ?? '') || Date.now() >= deadline) throw error;
    }
  }
}

/** Runs in the page: no closures, everything it needs comes in its arguments. */
function inPageState(
  args: { selectors: Record<string, string>; until: string[][] | null; values: string[]; texts: string[]; timeoutMs: number },
  helpers: InPageHelpers,
): Promise<InPage> {
  const names = Object.keys(args.selectors);
  const { isVisible, hasShadowRoots, settle } = helpers;
  const read = (): InPage => {
    const first: Record<string, Element | null> = {};
    try {
      for (const name of names) first[name] = document.querySelector(args.selectors[name]!);
    } catch {
      return { unsupported: true };
    }
    if (hasShadowRoots()) return { unsupported: true };
    const visible: Record<string, boolean> = {};
    for (const name of names) visible[name] = first[name] ? isVisible(first[name]!) : false;
    const holds = (c: string) => (c.startsWith('!') ? !visible[c.slice(1)] : Boolean(visible[c]));
    const met = args.until === null || args.until.some((clause) => clause.every(holds));
    const values: Record<string, string> = {};
    for (const name of args.values) {
      const el = first[name] as HTMLInputElement | null;
      if (el && 'value' in el) values[name] = String(el.value);
    }
    const texts: Record<string, string> = {};
    for (const name of args.texts) {
      const el = first[name] as HTMLElement | null;
      if (el) texts[name] = (el.innerText ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();
    }
    return { unsupported: false, met, visible, values, texts };
  };
  // Without `until` the state is met at once: the state as it is now.
  return settle(() => {
    const state = read();
    return state.unsupported || state.met ? state : undefined;
  }, args.timeoutMs, read);
}
