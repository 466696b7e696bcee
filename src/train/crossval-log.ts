/**
 * A cross-validation study's log (`crossval.log.jsonl`), for a machine watching a study that runs for
 * hours: each run of the command appends to it (a stopped study goes on where it stopped, and so does
 * its log):
 *   {"type":"start","folds":5,"seed":1,"kept":[1,2],"time":"…"}      folds done by an earlier run
 *   {"type":"fold","fold":3,"of":5,"eta":1320,"time":"…"}             a fold starts; eta: seconds the study has left
 *   {"type":"result","fold":3,"entityF1":…,"relationStrictF1":…,"relationBoundariesF1":…,"bestEpoch":9,"epochs":12,"resumedAfter":0,"seconds":640,"time":"…"}
 *   {"type":"end","outcome":"done"|"interrupted"|"failed","seconds":1950,"mean":{…},"std":{…},"time":"…"}
 * A result's `seconds` are this run's time on the fold: the epochs after `resumedAfter` (0: all of them)
 * and the scoring. A failed end has the error's message (`"error":…`) instead of the mean and std.
 * Each fold's training has its own log besides (`fold-f/run/train.log.jsonl`, one line an epoch).
 */
import { appendFileSync } from 'node:fs';
import { writeError } from '../data/atomic.js';
import { printableJson } from '../errors.js';

/** What a fold trained in this run took: `seconds` in all, `epochSeconds` of them in its epochs after epoch `resumedAfter`. */
interface FoldTime {
  seconds: number;
  epochs: number;
  resumedAfter: number;
  /** Training and dev scoring, by the epochs' own records; the rest is reading, checkpoints and scoring the test fold. */
  epochSeconds: number;
}

/** The exit codes of a command ended at once by a second SIGINT, SIGTERM or SIGHUP: 128 + the signal (src/cli/interrupt.ts). */
const EXIT_INTERRUPTED = new Set([130, 143, 129]);

export class CrossValLog {
  private readonly t0 = performance.now();
  /** The folds trained by this run, for the ETA. */
  private readonly trained: FoldTime[] = [];
  /**
   * Writes the end line of a study whose process exits under it: a second Ctrl-C ends the process at
   * once (process.exit), and the log would otherwise look like a study still running.
   */
  private readonly onExit = (code: number) => {
    try {
      this.end(EXIT_INTERRUPTED.has(code) ? 'interrupted' : 'failed', EXIT_INTERRUPTED.has(code) ? {} : { error: `the process exited (code ${code}) while the study ran` });
    } catch {
      // The process is ending: nothing is left to tell it to.
    }
  };

  constructor(readonly path: string) {}

  /** The study starts; until its end is written, a process exit writes it (onExit). */
  start(folds: number, seed: number, kept: number[]): void {
    this.write({ type: 'start', folds, seed, kept });
    process.once('exit', this.onExit);
  }

  /** Fold `fold` of `of` starts; `left`: how many folds, this one included, this run has still to train. Returns the ETA written. */
  fold(fold: number, of: number, left: number): number | undefined {
    const perFold = foldSeconds(this.trained);
    const eta = perFold === undefined ? undefined : Math.round(left * perFold);
    this.write({ type: 'fold', fold, of, ...(eta !== undefined && { eta }) });
    return eta;
  }

  result(record: object, time: FoldTime): void {
    this.trained.push(time);
    this.write({ type: 'result', ...record, resumedAfter: time.resumedAfter, seconds: Math.round(time.seconds * 10) / 10 });
  }

  /** The study's last line: `summary` holds the mean and std when done, the error's message when failed. */
  end(outcome: 'done' | 'interrupted' | 'failed', summary: object = {}): void {
    process.off('exit', this.onExit);
    this.write({ type: 'end', outcome, seconds: Math.round((performance.now() - this.t0) / 100) / 10, ...summary });
  }

  private write(record: object): void {
    try {
      // printableJson: the same JSON, which a terminal following the log (`tail -f`) shows as it is.
      appendFileSync(this.path, printableJson(JSON.stringify({ ...record, time: new Date().toISOString() })) + '\n');
    } catch (e) {
      throw writeError("the study's log", this.path, e);
    }
  }
}

/**
 * Seconds a whole fold takes, by the folds this run trained: the mean of those it trained from the start.
 * Before one of them is done, a fold resumed partway stands in, with its earlier epochs added at the pace
 * of those it trained; one resumed after its last epoch (only scored) says nothing.
 */
function foldSeconds(trained: readonly FoldTime[]): number | undefined {
  const whole = trained.filter((t) => t.resumedAfter === 0).map((t) => t.seconds);
  const completed = trained.filter((t) => t.epochs > t.resumedAfter).map((t) => t.seconds + (t.epochSeconds * t.resumedAfter) / (t.epochs - t.resumedAfter));
  const timed = whole.length > 0 ? whole : completed;
  return timed.length > 0 ? timed.reduce((a, b) => a + b, 0) / timed.length : undefined;
}
