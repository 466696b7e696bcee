/**
 * The JSONL training log (`train.log.jsonl`): a `start` line with the machine (machine.ts) and the full
 * config, one `epoch` line per epoch (EpochRecord) after its `validation` lines (ValidationRecord, with
 * `validateEvery`), a `resume` line (`after`: the epoch the checkpoint
 * holds, with the machine) where a resumed run goes on, and last an `end` line (`reason`: epochs or
 * patience). Checkpoints record the log's byte length; a resumed run truncates the log back to it, so
 * lines of epochs that a kill discarded do not appear twice, and the `end` of a finished run resumed for
 * more epochs (written after its last checkpoint) gives way to the new one.
 */
import { appendFileSync, existsSync, statSync, truncateSync } from 'node:fs';
import { writeError } from '../data/atomic.js';

export interface EpochRecord {
  type: 'epoch';
  epoch: number;
  /** Mean losses over the epoch's batches (total and parts, e.g. ent, rel). */
  loss: Record<string, number>;
  dev: { entF1: number; relF1: number };
  best: boolean;
  seconds: number;
  evalSeconds: number;
  sentencesPerSecond: number;
  pairsPerBatch: number;
  /** Factor on the configured learning rate in this epoch (only with a schedule: `lrDecay` < 1 or `lrTimeDecay` > 0). */
  lrScale?: number;
}

/** A dev score taken within an epoch (`validateEvery`), after `sentences` of its training sentences. */
export interface ValidationRecord {
  type: 'validation';
  epoch: number;
  sentences: number;
  dev: { entF1: number; relF1: number };
  best: boolean;
}

export class TrainLog {
  constructor(
    readonly path: string,
    private bytes = 0,
  ) {}

  /** Opens the log; `offset` (from a checkpoint) truncates what came after it, undefined starts over. */
  static open(path: string, offset?: number): TrainLog {
    try {
      if (offset === undefined) truncateOrCreate(path);
      else if (existsSync(path) && statSync(path).size > offset) truncateSync(path, offset);
    } catch (e) {
      throw writeError('the training log', path, e);
    }
    return new TrainLog(path, offset ?? 0);
  }

  get offset(): number {
    return this.bytes;
  }

  write(record: object): void {
    const line = JSON.stringify(record) + '\n';
    try {
      appendFileSync(this.path, line);
    } catch (e) {
      throw writeError('the training log', this.path, e);
    }
    this.bytes += Buffer.byteLength(line);
  }
}

function truncateOrCreate(path: string): void {
  if (existsSync(path)) truncateSync(path, 0);
  else appendFileSync(path, '');
}
