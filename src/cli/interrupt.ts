/**
 * Ctrl-C (SIGINT) and SIGTERM while a command works. By default the process ends at once, but first
 * removes the temporary files of outputs being written (so an interrupted `extract --in` leaves no
 * partial file behind), shows the cursor a progress bar hid, and says it was interrupted; exit 130.
 * A `graceful` job (training) is asked to stop instead: it ends after the batch in flight and says how
 * to resume; a second signal ends the process at once.
 */
import { abandonPartialOutputs } from '../data/write.js';

export const EXIT_INTERRUPTED = 130;

/** Runs `work` with the handlers installed; `stopRequested()` names the signal once one came (graceful). */
export async function withInterrupts<T>(work: (stopRequested: () => string | undefined) => Promise<T>, graceful = false): Promise<T> {
  let received: string | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (graceful && received === undefined) {
      received = signal;
      if (process.stderr.isTTY) process.stderr.write(`\nentrel: ${signal}: stopping after this batch (again to stop at once)\n`);
      return;
    }
    const left = abandonPartialOutputs();
    if (process.stderr.isTTY) process.stderr.write('\x1b[?25h\x1b[?7h\n'); // the cursor and the line wrapping a progress bar turned off
    process.stderr.write(`entrel: interrupted (${signal})\n`);
    for (const what of left) process.stderr.write(`entrel: could not remove the partial output ${what}; the next run writing the same output removes it\n`);
    process.exit(EXIT_INTERRUPTED);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(() => received);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
