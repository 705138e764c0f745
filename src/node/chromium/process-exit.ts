/**
 * Clean-up that must run however Node ends: normally (the event loop ran dry, process.exit()) or
 * by SIGINT, SIGTERM or SIGHUP. Each open BrowserSession registers one synchronous clean-up
 * (kill its browser's process group, delete its profile folder); the handlers exist only while
 * something is registered, so a library that has closed everything leaves no listeners behind.
 *
 * On a signal, once the clean-ups have run: when nobody else listens for that signal, the handler
 * removes itself and raises the signal again, so Node ends exactly as it would have without the
 * library (exit status 128 + signal number). When the application has its own handler, ending the
 * process is left to it.
 */
const cleanups = new Set<() => void>();
const kSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function runAll(): void {
  for (const cleanup of [...cleanups]) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // one failed clean-up must not stop the others
    }
  }
  uninstall();
}

function onSignal(signal: NodeJS.Signals): void {
  const alone = process.listenerCount(signal) === 1;
  runAll();
  if (alone) process.kill(process.pid, signal);
}

function install(): void {
  process.on('exit', runAll);
  for (const signal of kSignals) process.on(signal, onSignal);
}

function uninstall(): void {
  process.off('exit', runAll);
  for (const signal of kSignals) process.off(signal, onSignal);
}

/** Registers a synchronous clean-up for the end of the process; returns the function that unregisters it. */
export function onProcessEnd(cleanup: () => void): () => void {
  if (cleanups.size === 0) install();
  cleanups.add(cleanup);
  return () => {
    if (cleanups.delete(cleanup) && cleanups.size === 0) uninstall();
  };
}
