/**
 * A cross-validation study's log (`crossval.log.jsonl`), for a machine watching a study that runs for
 * hours: each run of the command appends to it (a stopped study goes on where it stopped, and so does
 * its log):
 *   {"type":"start","folds":5,"seed":1,"kept":[1,2],"time":"…"}      folds done by an earlier run
 *   {"type":"fold","fold":3,"of":5,"eta":1320,"time":"…"}             a fold starts; eta: seconds the study has left
 *   {"type":"result","fold":3,"entityF1":…,"relationStrictF1":…,"relationBoundariesF1":…,"bestEpoch":9,"epochs":12,"seconds":640,"time":"…"}
 *   {"type":"end","outcome":"done"|"interrupted"|"failed","seconds":1950,"mean":{…},"std":{…},"time":"…"}
 * Each fold's training has its own log besides (`fold-f/run/train.log.jsonl`, one line an epoch).
 */
import { appendFileSync } from 'node:fs';
import { writeError } from '../data/atomic.js';

export class CrossValLog {
  private readonly t0 = performance.now();
  /** Seconds of the folds trained by this run, for the ETA. */
  private readonly trained: number[] = [];

  constructor(readonly path: string) {}

  start(folds: number, seed: number, kept: number[]): void {
    this.write({ type: 'start', folds, seed, kept });
  }

  /** Fold `fold` of `of` starts; `left`: how many folds, this one included, this run has still to train. Returns the ETA written. */
  fold(fold: number, of: number, left: number): number | undefined {
    const eta = this.trained.length > 0 ? Math.round((left * this.trained.reduce((a, b) => a + b, 0)) / this.trained.length) : undefined;
    this.write({ type: 'fold', fold, of, ...(eta !== undefined && { eta }) });
    return eta;
  }

  result(record: object, seconds: number): void {
    this.trained.push(seconds);
    this.write({ type: 'result', ...record, seconds: Math.round(seconds * 10) / 10 });
  }

  end(outcome: 'done' | 'interrupted' | 'failed', summary: object = {}): void {
    this.write({ type: 'end', outcome, seconds: Math.round((performance.now() - this.t0) / 100) / 10, ...summary });
  }

  private write(record: object): void {
    try {
      appendFileSync(this.path, JSON.stringify({ ...record, time: new Date().toISOString() }) + '\n');
    } catch (e) {
      throw writeError("the study's log", this.path, e);
    }
  }
}
