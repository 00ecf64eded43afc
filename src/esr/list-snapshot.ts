import type { Locator, Page } from 'playwright';
import type { ListSnapshot } from './absence-list.js';
import { DATE_LIKE } from './list-dates.js';

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
    return await list.evaluate(
      (root, { rowEls, cellEls, headerEls, dateLike }) => {
        const text = (el: Node) => ((el as HTMLElement).innerText ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();
        const inRow = (node: Node) => rowEls.some((r) => r === node || r.contains(node));
        const rows = rowEls.map((r) => ({ text: text(r), cells: cellEls.filter((c) => r.contains(c)).map(text) }));
        const strays: string[] = [];
        // A data row outside the matched ones, or a matched row's ancestor (the selector hit a cell's inner row).
        for (const tr of Array.from(root.querySelectorAll('tr'))) {
          if (inRow(tr) || rowEls.some((r) => tr.contains(r)) || !tr.querySelector('td')) continue;
          const t = text(tr);
          if (t) strays.push(t);
        }
        const date = new RegExp(dateLike);
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (!inRow(node) && date.test(node.textContent ?? '')) strays.push((node.textContent ?? '').replace(/\s+/g, ' ').trim());
        }
        return { headers: headerEls.map(text), rows, strays };
      },
      { rowEls, cellEls, headerEls, dateLike: DATE_LIKE },
    );
  } finally {
    await Promise.all([...rowEls, ...cellEls, ...headerEls].map((h) => h.dispose()));
  }
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
