import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shared fixtures folder beside the repository, where CI has it too. */
export const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));
export const FEED_2026 = `${FIXTURES}gov-uk-bank-holidays.2026-02-25.json`;
export const FEED_2022 = `${FIXTURES}gov-uk-bank-holidays.2022-12-29.json`;

export function fixtureText(path: string): string {
  return readFileSync(path, 'utf8');
}

export function fixtureJson(path: string): any {
  return JSON.parse(fixtureText(path));
}
