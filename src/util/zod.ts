import { createRequire } from 'node:module';
import type { z as zod, ZodType } from 'zod';

// require, not import: zod's ES build is 95 modules, and Node's ES loader takes about 165 ms over
// them where its CommonJS loader takes about 110, all of it before a command can start.
const { z } = createRequire(import.meta.url)('zod') as { z: typeof zod };

// A command validates its config and its feed once each: compiling zod's fast path costs more than it saves.
z.config({ jitless: true });

/** The type a schema parses to (zod's z.infer, which a value loaded by require cannot carry). */
export type Infer<T extends ZodType> = zod.infer<T>;

export { z };
