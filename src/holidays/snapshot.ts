import type { Feed } from './feed.js';

/** The date GOV.UK served the bundled copy of its feed. */
export const SNAPSHOT_DATE = '2026-02-25';

/** The bundled feed, loaded only when it is needed: most runs never touch it. */
export async function loadSnapshot(): Promise<Feed> {
  const module = await import('./snapshot-2026-02-25.json', { with: { type: 'json' } });
  return module.default as Feed;
}
