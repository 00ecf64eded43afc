// Loaded with --import: writes every module the process loaded (ES and CommonJS), one path a line,
// to RECORD_IMPORTS_FILE at exit, to prove what a command does not load.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const file = process.env.RECORD_IMPORTS_FILE;
if (file) {
  const { port1, port2 } = new MessageChannel();
  const loaded = new Set();
  port1.on('message', (url) => loaded.add(url));
  port1.unref();
  register(
    'data:text/javascript,' +
      encodeURIComponent(`let port;
export function initialize(data) { port = data.port; }
export async function load(url, context, next) { port.postMessage(url); return next(url, context); }`),
    { data: { port: port2 }, transferList: [port2] },
  );
  const require = createRequire(import.meta.url);
  process.on('exit', () => {
    for (const path of Object.keys(require.cache)) loaded.add(path);
    appendFileSync(file, [...loaded].map((u) => u.replace(/^file:\/\//, '')).join('\n') + '\n');
  });
}
