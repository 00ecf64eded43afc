import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ZOD = fileURLToPath(new URL('../../dist/util/zod.js', import.meta.url));

/** Run in a fresh Node, where nothing else has loaded zod yet (as in the CLI). */
function inFreshNode(body: string): unknown {
  const script = `const { z } = await import(${JSON.stringify(ZOD)}); const { createRequire } = await import('node:module');
const cache = createRequire(import.meta.url).cache; const locales = () => Object.keys(cache).filter((f) => f.includes('/locales/') && !f.endsWith('/index.cjs')).length;
${body}`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
}

describe('zod, as the tool loads it', () => {
  it('speaks English without its other locales loaded, and still has them when asked', () => {
    const seen = inFreshNode(`
const message = z.object({ a: z.string() }).safeParse({ a: 1 }).error.issues[0].message;
const before = locales();
const french = z.config(z.locales.fr()) && z.string().safeParse(1).error.issues[0].message;
console.log(JSON.stringify({ message, before, french, after: locales() }));`) as { message: string; before: number; french: string; after: number };
    expect(seen.message).toBe('Invalid input: expected string, received number');
    // English only, which zod itself configures.
    expect(seen.before).toBe(1);
    expect(seen.french).toMatch(/Entrée invalide/);
    expect(seen.after).toBeGreaterThan(60);
  });
});
