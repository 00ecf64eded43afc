import type { Locator, Page } from 'playwright';
import type { ListSnapshot } from './absence-list.js';
import { TransientEsrError } from './errors.js';
import { DATE_LIKE } from './list-dates.js';
import { GONE } from './page-state.js';

export interface ListSelectors {
  absenceRows: string;
  absenceHeaders: string;
  absenceCells: string;
}

/**
 * What one page of the list shows, in one round trip: headers, the matched rows' cells, and what
 * the row selector missed. Rows and cells are found with Playwright's selectors (config may use its
 * extensions), then handed to the page as elements.
 */
export async function snapshotList(list: Locator, selectors: ListSelectors): Promise<ListSnapshot> {
  const rows = list.locator(selectors.absenceRows);
  const [rowEls, cellEls, headerEls] = await Promise.all([
    rows.elementHandles(),
    rows.locator(selectors.absenceCells).elementHandles(),
    list.locator(selectors.absenceHeaders).elementHandles(),
  ]);
  try {
    const root = await list.elementHandle();
    const snapshot = await list.page().evaluate(snapshotInPage, { root, rowEls, cellEls, headerEls, dateLike: DATE_LIKE });
    return snapshot as ListSnapshot;
  } finally {
    await Promise.all([...rowEls, ...cellEls, ...headerEls].map((h) => h.dispose()));
  }
}

/**
 * The same snapshot in one round trip, the elements found by the page itself: for plain CSS
 * selectors on a page without shadow roots, where the browser and Playwright find the same elements.
 * Undefined otherwise, or when the list is not on screen (the caller then waits for it and uses snapshotList).
 * Read only once the document is parsed whole (DOMContentLoaded), waited for in the page for up to
 * `parsedWithinMs`: a list read while its document is still arriving could be read short.
 */
export async function snapshotListCss(page: Page, list: string, selectors: ListSelectors, parsedWithinMs: number): Promise<ListSnapshot | undefined> {
  const deadline = Date.now() + parsedWithinMs;
  for (;;) {
    let answer;
    try {
      answer = await page.evaluate(snapshotInPage, { css: { list, ...selectors }, dateLike: DATE_LIKE, parsedWithinMs: Math.max(0, deadline - Date.now()) });
    } catch (error) {
      // The page went to another document while it was read or awaited: read that one, once it is parsed.
      if (GONE.test((error as Error).message ?? '') && Date.now() < deadline) continue;
      throw error;
    }
    if (answer && 'loading' in answer) throw new TransientEsrError(`ESR's page was still loading after ${Math.round(parsedWithinMs / 1000)} s`);
    return answer;
  }
}

interface SnapshotArgs {
  root?: Element | null;
  rowEls?: Node[];
  cellEls?: Node[];
  headerEls?: Node[];
  css?: ListSelectors & { list: string };
  dateLike: string;
  /** Wait this long for the document to be parsed whole; past it, answer `loading`. */
  parsedWithinMs?: number;
}

/** Runs in the page: one function for both ways of finding the elements, so both read the list alike. */
async function snapshotInPage(args: SnapshotArgs): Promise<ListSnapshot | { loading: true } | undefined> {
  if (args.parsedWithinMs !== undefined && document.readyState === 'loading') {
    await new Promise<void>((resolve) => {
      document.addEventListener('DOMContentLoaded', () => resolve(), { once: true });
      setTimeout(resolve, args.parsedWithinMs);
    });
    if (document.readyState === 'loading') return { loading: true };
  }
  let { root, rowEls, cellEls, headerEls } = args;
  if (args.css) {
    try {
      const lists = document.querySelectorAll(args.css.list);
      // More than one match is for the caller's count check, not for the first to be read as the list.
      if (lists.length !== 1) return undefined;
      root = lists[0]!;
      if (Array.from(document.querySelectorAll('*')).some((el) => el.shadowRoot)) return undefined;
      // Only a list on screen (Playwright's rule of visible): one hidden or still coming is waited for by the caller.
      const box = root.getBoundingClientRect();
      if (!root.checkVisibility() || getComputedStyle(root).visibility !== 'visible' || box.width === 0 || box.height === 0) return undefined;
      rowEls = Array.from(root.querySelectorAll(args.css.absenceRows));
      const rowSet = rowEls;
      // Cells of the matched rows, each once, in document order: as Playwright's rows.locator(cells).
      cellEls = Array.from(root.querySelectorAll(args.css.absenceCells)).filter((c) => rowSet.some((r) => r !== c && r.contains(c)));
      headerEls = Array.from(root.querySelectorAll(args.css.absenceHeaders));
    } catch {
      return undefined;
    }
  }
  if (!root || !rowEls || !cellEls || !headerEls) return undefined;
  const matched = rowEls;
  const cells = cellEls;
  const text = (el: Node) => ((el as HTMLElement).innerText ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();
  const inRow = (node: Node) => matched.some((r) => r === node || r.contains(node));
  const rows = matched.map((r) => ({ text: text(r), cells: cells.filter((c) => r.contains(c)).map(text) }));
  const strays: string[] = [];
  // A data row outside the matched ones, or a matched row's ancestor (the selector hit a cell's inner row).
  for (const tr of Array.from(root.querySelectorAll('tr'))) {
    if (inRow(tr) || matched.some((r) => tr.contains(r)) || !tr.querySelector('td')) continue;
    const t = text(tr);
    if (t) strays.push(t);
  }
  const date = new RegExp(args.dateLike);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!inRow(node) && date.test(node.textContent ?? '')) strays.push((node.textContent ?? '').replace(/\s+/g, ' ').trim());
  }
  /**
   * A visible control or text that says the list goes on, in the list or beside it (its parent);
   * never inside a data row, where a "More" link or a comment is the row's own.
   */
  const pagerNear = (list: Element, inDataRow: (node: Node) => boolean): string | undefined => {
    const scope = list.parentElement ?? list;
    const shown = (el: Element) => {
      const box = el.getBoundingClientRect();
      return el.checkVisibility() && getComputedStyle(el).visibility === 'visible' && box.width > 0 && box.height > 0;
    };
    const flat = (t: string) => t.replace(/\s+/g, ' ').trim();
    const controls = scope.querySelectorAll('a, button, [role=button], [role=link], input[type=button], input[type=submit]');
    for (const el of Array.from(controls)) {
      const t = flat(el instanceof HTMLInputElement ? el.value : ((el as HTMLElement).innerText ?? el.textContent ?? ''));
      if (/^(next( ?(>|›|»))?|>|>>|›|»|more)$/i.test(t) && !inDataRow(el) && shown(el)) return t;
    }
    const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const t = flat(node.textContent ?? '');
      const page = /\bpage (\d+) of (\d+)\b/i.exec(t);
      const range = /\b(\d+) ?[-–] ?(\d+) of (\d+)\b/.exec(t);
      // "Page 1 of 1" and "1 - 3 of 3" are the whole list.
      const more = (page && Number(page[2]) > 1) || (range && Number(range[2]) < Number(range[3]));
      if (more && !inDataRow(node) && node.parentElement && shown(node.parentElement)) return t;
    }
    return undefined;
  };
  const pager = pagerNear(root, inRow);
  return { headers: headerEls.map(text), rows, strays, ...(pager ? { pager } : {}) };
}

/** The page's tables that hold dates, as selectors a person could put in config, for doctor. */
export async function tablesWithDates(page: Page): Promise<string[]> {
  return page.locator('table').evaluateAll(
    (tables, dateLike) => {
      const date = new RegExp(dateLike);
      return (tables as HTMLTableElement[]).flatMap((table, index) => {
        // Cell by cell: a row's textContent runs its cells' dates together, and a word boundary no longer finds them.
        const rows = Array.from(table.querySelectorAll('tr')).filter((tr) => Array.from(tr.cells).some((c) => date.test(c.textContent ?? ''))).length;
        if (rows === 0) return [];
        const name = table.id
          ? `table#${table.id}`
          : table.classList.length > 0
            ? `table.${Array.from(table.classList).join('.')}`
            : `table >> nth=${index}`;
        return [`${name} (${rows} row${rows === 1 ? '' : 's'} with dates)`];
      });
    },
    DATE_LIKE,
  );
}
