import { z } from 'zod';

// A command validates its config and its feed once each: compiling zod's fast path costs more than it saves.
z.config({ jitless: true });

export { z };
