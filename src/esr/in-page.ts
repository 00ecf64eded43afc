import type { Page } from 'playwright';

/**
 * What the functions run in the page share. Runs in the page: no closures. Visibility is Playwright's
 * own rule (a box, no `visibility: hidden`, `checkVisibility()`, `display: contents` by its children),
 * so the answer is the one its locators would give.
 */
export function inPageHelpers() {
  const isVisible = (el: Element): boolean => {
    const style = getComputedStyle(el);
    if (style.display === 'contents') {
      for (let child = el.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === 1 && isVisible(child as Element)) return true;
        if (child.nodeType === 3) {
          const range = document.createRange();
          range.selectNode(child);
          const box = range.getBoundingClientRect();
          if (box.width > 0 && box.height > 0) return true;
        }
      }
      return false;
    }
    if (typeof el.checkVisibility === 'function' && !el.checkVisibility()) return false;
    if (style.visibility !== 'visible') return false;
    const rect = el.getBoundingClientRect();
    return rect.width > 0 && rect.height > 0;
  };
  /** Playwright's selector engines read shadow roots that CSS does not: with any, its locators decide. */
  const hasShadowRoots = () => Array.from(document.querySelectorAll('*')).some((el) => el.shadowRoot);
  /**
   * `attempt` now, then on every change to the page until it gives an answer; `onTimeout`'s answer
   * after timeoutMs. Waiting in the page sees an answer when it comes, not at Playwright's next poll.
   */
  const settle = <T,>(attempt: () => T | undefined, timeoutMs: number, onTimeout: () => T): Promise<T> => {
    const first = attempt();
    if (first !== undefined) return Promise.resolve(first);
    if (timeoutMs <= 0) return Promise.resolve(onTimeout());
    return new Promise((resolve) => {
      const finish = (answer: T) => {
        observer.disconnect();
        clearInterval(poll);
        clearTimeout(timer);
        resolve(answer);
      };
      const look = () => {
        const answer = attempt();
        if (answer !== undefined) finish(answer);
      };
      const observer = new MutationObserver(look);
      observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
      // Styles and layout change without a DOM mutation (a stylesheet loads, an animation ends): look often as well.
      const poll = setInterval(look, 16);
      const timer = setTimeout(() => finish(onTimeout()), timeoutMs);
    });
  };
  return { isVisible, hasShadowRoots, settle };
}

export type InPageHelpers = ReturnType<typeof inPageHelpers>;

/**
 * page.evaluate for a function that takes the shared helpers as its second argument. A function given
 * to page.evaluate travels as its source, so the helpers travel the same way; the argument as JSON.
 */
export function evaluateWithHelpers<A, R>(page: Page, fn: (arg: A, helpers: InPageHelpers) => R | Promise<R>, arg: A): Promise<R> {
  return page.evaluate(`(${fn.toString()})(${JSON.stringify(arg)}, (${inPageHelpers.toString()})())`) as Promise<R>;
}

/** A function run in the page as for evaluateWithHelpers; in a chain, the next step runs only if its answer's `goOn` property is true. */
export interface InPageStep {
  fn: (arg: never, helpers: InPageHelpers) => unknown;
  arg: unknown;
  goOn: string;
}

/** The answer of a chain's step that threw in the page: the chain ended there. */
export interface StepThrew {
  threw: string;
}

export const threw = (answer: unknown): answer is StepThrew => typeof (answer as StepThrew | undefined)?.threw === 'string';

/**
 * Steps run in the page one after another in one round trip, each only if the one before said go
 * on: the answers of those that ran. A step that waits in the page (a field to show) is followed at
 * once, where separate calls would each cost a round trip. A step that throws ends the chain with
 * a StepThrew, so the answers before it still come back.
 */
export function evaluateChain(page: Page, steps: readonly InPageStep[]): Promise<unknown[]> {
  const list = steps.map((step) => `[${step.fn.toString()}, ${JSON.stringify(step.arg)}, ${JSON.stringify(step.goOn)}]`).join(', ');
  return page.evaluate(
    `(async (helpers) => { const answers = []; for (const [fn, arg, goOn] of [${list}]) { let answer; ` +
      `try { answer = await fn(arg, helpers); } catch (error) { answers.push({ threw: String(error && error.message || error) }); break; } ` +
      `answers.push(answer); if (!answer || answer[goOn] !== true) break; } return answers; })((${inPageHelpers.toString()})())`,
  ) as Promise<unknown[]>;
}
