/**
 * Ctrl-C (or SIGTERM from a scheduler, or SIGHUP from a closed terminal) asks the run to stop at the
 * next safe point: ESR is never left half-way through a request, the session is logged out and the
 * lock released. A second one stops at once.
 */
export function stopOnInterrupt(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const handler = () => {
    if (controller.signal.aborted) {
      process.stderr.write('esr-bank-holidays: stopping now\n');
      process.exit(130);
    }
    controller.abort();
    process.stderr.write('esr-bank-holidays: stopping after the current step (Ctrl-C again to stop at once)\n');
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  process.on('SIGHUP', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      process.off('SIGHUP', handler);
    },
  };
}
