/**
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP while a command works. By default the process ends at once, but
 * first removes the temporary files of outputs being written (so an interrupted `extract --in` leaves no
 * partial file behind), shows the cursor a progress bar hid, and says it was interrupted. A `graceful` job
 * (training) is asked to stop instead: it ends after the batch in flight and says how to resume; a second
 * signal ends the process at once. Either way the exit code is 128 + the signal's number, as a shell gives
 * for a process the signal killed (SIGINT 130, SIGTERM 143, SIGHUP 129): a wrapper tells a user's Ctrl-C
 * from a supervisor's stop.
 */
import { constants } from 'node:os';
import { Interrupted } from '../errors.js';
import { abandonPartialOutputs } from '../data/write.js';
import { drawsOnStderr } from '../train/progress.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The exit code of a command the signal ended. */
const exitCodeForSignal = (signal: NodeJS.Signals): number => 128 + constants.signals[signal];

/** Whether an exit code is that of a command a signal ended (a progress log's or a study's "interrupted"). */
export const isInterruptedExit = (code: number): boolean => SIGNALS.some((s) => exitCodeForSignal(s) === code);

/** The signal that made a graceful job stop, by the Interrupted it threw. */
const stoppedBy = new WeakMap<Interrupted, NodeJS.Signals>();

/** The exit code of a run that ended with `e`: its signal's (SIGINT's when not known). */
export const interruptedExitCode = (e: Interrupted): number => exitCodeForSignal(stoppedBy.get(e) ?? 'SIGINT');

/** Before the process ends under a bar: the cursor and the line wrapping it turned off, back on (none on a dumb terminal). */
export function restoreTerminal(): void {
  if (drawsOnStderr()) process.stderr.write('\x1b[?25h\x1b[?7h\n');
}

/** Runs `work` with the handlers installed; `stopRequested()` names the signal once one came (graceful). */
export async function withInterrupts<T>(work: (stopRequested: () => string | undefined) => Promise<T>, graceful = false): Promise<T> {
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (graceful && received === undefined) {
      received = signal;
      if (process.stderr.isTTY) process.stderr.write(`\nentrel: ${signal}: stopping after this batch (again to stop at once)\n`);
      return;
    }
    const left = abandonPartialOutputs();
    restoreTerminal();
    process.stderr.write(`entrel: interrupted (${signal})\n`);
    for (const what of left) process.stderr.write(`entrel: could not remove the partial output ${what}; the next run writing the same output removes it\n`);
    process.exit(exitCodeForSignal(signal));
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  try {
    return await work(() => received);
  } catch (e) {
    if (e instanceof Interrupted && received !== undefined) stoppedBy.set(e, received);
    throw e;
  } finally {
    for (const s of SIGNALS) process.off(s, onSignal);
  }
}
