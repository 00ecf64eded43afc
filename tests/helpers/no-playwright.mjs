// Loaded with --import: fails any import of Playwright, to prove a command never loads it.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (/^playwright(-core)?(\\/|$)/.test(specifier)) throw new Error('playwright was imported: ' + specifier);
  return next(specifier, context);
}`),
);
