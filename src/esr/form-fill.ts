import type { Page } from 'playwright';
import { evaluateWithHelpers, type InPageHelpers, type InPageStep } from './in-page.js';
import type { SelectorKey } from '../config/schema.js';

export interface FormFill {
  /** A select, set to the option whose label is this text. */
  select: { key: SelectorKey; selector: string; label: string };
  /** Text fields, set in this order. */
  fields: Array<{ key: SelectorKey; selector: string; value: string }>;
  /** The login form: shown instead of the form, the session ended. */
  login: string;
  timeoutMs: number;
}

export type FillResult =
  | { ok: true }
  /** `missing` not shown, enabled and editable in time; or, with `rewritten`, the page did not keep its value. */
  | { ok: false; missing: SelectorKey; login: boolean; rewritten?: boolean };

type InPage = { unsupported: true } | ({ unsupported: false } & FillResult);

/**
 * Fill the leave form in one round trip: wait in the page until every field is shown, enabled and
 * editable (and the select has its option), then set each one as Playwright's fill and selectOption
 * do (the value, then `input` and `change` events) and read the values back. Four actions with
 * Playwright's checks cost about 150 ms a booking; the clicks that open and submit the form keep theirs.
 * Undefined when a selector is not plain CSS or the page has shadow roots: the caller uses locators.
 */
export async function fillForm(page: Page, form: FormFill): Promise<FillResult | undefined> {
  return fillResult(await evaluateWithHelpers(page, inPageFill, form));
}

/** The same fill as a step of a chain (see evaluateChain); its answer is read with fillResult. */
export function fillStep(form: FormFill): InPageStep {
  return { fn: inPageFill, arg: form, goOn: 'ok' };
}

export function fillResult(answer: unknown): FillResult | undefined {
  const state = answer as InPage;
  return state.unsupported ? undefined : state;
}

/** Runs in the page: no closures, everything it needs comes in its arguments. */
function inPageFill(form: FormFill, helpers: InPageHelpers): Promise<InPage> {
  const { isVisible, hasShadowRoots, settle } = helpers;
  const editable = (el: Element | null): el is HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement =>
    el !== null && isVisible(el) && !el.matches(':disabled') && !(el as HTMLInputElement).readOnly;
  type Found = { select: HTMLSelectElement | null; option: HTMLOptionElement | undefined; fields: Array<HTMLInputElement | null>; login: Element | null };
  const find = (): Found | 'unsupported' => {
    try {
      const select = document.querySelector(form.select.selector) as HTMLSelectElement | null;
      const option = select ? Array.from(select.options).find((o) => o.label === form.select.label) : undefined;
      const fields = form.fields.map((f) => document.querySelector(f.selector) as HTMLInputElement | null);
      if (hasShadowRoots()) return 'unsupported';
      return { select, option, fields, login: document.querySelector(form.login) };
    } catch {
      return 'unsupported';
    }
  };
  /** The first element not ready, by key; undefined when all are. */
  const notReady = (found: Found): SelectorKey | undefined => {
    if (!editable(found.select) || !found.option) return form.select.key;
    const at = found.fields.findIndex((f) => !editable(f));
    return at >= 0 ? form.fields[at]!.key : undefined;
  };
  const fire = (el: Element) => {
    el.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  };
  const fill = (found: Found): InPage => {
    const select = found.select!;
    for (const option of Array.from(select.options)) option.selected = option === found.option;
    fire(select);
    for (const [i, field] of found.fields.entries()) {
      // The prototype's setter: a page framework watching the property sees the change as typed.
      const proto = field instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
      Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(field, form.fields[i]!.value);
      fire(field!);
    }
    // A field the page rewrote or refused is not filled: say which, rather than submit something else.
    if (select.value !== found.option!.value) return { unsupported: false, ok: false, missing: form.select.key, login: false, rewritten: true };
    const wrong = found.fields.findIndex((f, i) => f!.value !== form.fields[i]!.value);
    if (wrong >= 0) return { unsupported: false, ok: false, missing: form.fields[wrong]!.key, login: false, rewritten: true };
    return { unsupported: false, ok: true };
  };
  return settle(
    () => {
      const found = find();
      if (found === 'unsupported') return { unsupported: true };
      return notReady(found) === undefined ? fill(found) : undefined;
    },
    form.timeoutMs,
    () => {
      const found = find();
      if (found === 'unsupported') return { unsupported: true };
      const missing = notReady(found) ?? form.select.key;
      return { unsupported: false, ok: false, missing, login: found.login !== null && isVisible(found.login) };
    },
  );
}
