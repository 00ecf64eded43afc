import { existsSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, join } from 'node:path';
import type { z as zod } from 'zod/mini';

const require = createRequire(import.meta.url);

/**
 * zod loads all 64 of its message locales for `z.locales`, half its start-up (about 50 ms of every
 * command), and this tool uses only the English one, loaded by itself below. Their index stands in
 * as an object that loads them on first use. Should zod move the file, nothing is deferred and nothing breaks.
 */
function deferZodLocales(): void {
  const index = join(dirname(require.resolve('zod')), 'v4', 'locales', 'index.cjs');
  if (require.cache[index] || !existsSync(index)) return;
  let real: Record<PropertyKey, unknown> | undefined;
  const loaded = () => {
    if (!real) {
      delete require.cache[index];
      real = require(index) as Record<PropertyKey, unknown>;
    }
    return real;
  };
  const standIn = new Module(index);
  standIn.filename = index;
  standIn.loaded = true;
  // __esModule answered without loading: zod's __importStar asks it, and takes the object as it is.
  standIn.exports = new Proxy({}, { get: (_target, key) => (key === '__esModule' ? true : loaded()[key]), has: (_target, key) => key in loaded() });
  require.cache[index] = standIn;
}

deferZodLocales();

// require, not import: zod's ES build is 95 modules, and Node's ES loader takes about 165 ms over
// them where its CommonJS loader takes about 110, all of it before a command can start. zod/mini:
// the same schemas and parsing as zod's classic API, whose every schema is built with some forty
// methods of its own; loading it, building the config's and the feed's schemas and parsing both
// take about 15 ms less.
const { z } = require('zod/mini') as { z: typeof zod };

// A command validates its config and its feed once each: compiling zod's fast path costs more than it saves.
// English messages ("expected boolean, received string"), as zod's classic API sets them; zod/mini sets none.
type Locale = () => Parameters<typeof z.config>[0];
const english = require('zod/v4/locales/en.cjs') as Locale | { default: Locale };
z.config({ jitless: true, ...(typeof english === 'function' ? english : english.default)() });

/** The type a schema parses to (zod's z.infer, which a value loaded by require cannot carry). */
export type Infer<T extends zod.ZodMiniType> = zod.infer<T>;

export { z };
