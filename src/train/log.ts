/**
 * The JSONL training log (`train.log.jsonl`): a `start` line with the machine (machine.ts) and the full
 * config, one `epoch` line per epoch (EpochRecord) after its `validation` lines (ValidationRecord, with
 * `validateEvery`), a `resume` line (`after`: the epoch the checkpoint
 * holds, with the machine) where a resumed run goes on, a `warning` line before the end when the selection
 * score was 0 in every epoch, and last an `end` line (`reason`: epochs or patience). Checkpoints record the log's byte length; a resumed run truncates the log back to it, so
 * lines of epochs that a kill discarded do not appear twice, and the `end` of a finished run resumed for
 * more epochs (written after its last checkpoint) gives way to the new one. A log lost or damaged since
 * is rewritten from the checkpoint (`TrainLog.resume`).
 */
import { appendFileSync, existsSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { writeError } from '../data/atomic.js';
import { printableJson } from '../errors.js';

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

  /**
   * The log of a resumed run, cut back to the checkpoint's `offset`. A log that is not the one the
   * checkpoint was written with (deleted, shorter than `offset`, or not whole JSON lines up to it) is
   * written anew from `records` (the checkpoint's own: a start line and its epochs), `rebuilt` true.
   */
  static resume(path: string, offset: number, records: () => readonly object[]): { log: TrainLog; rebuilt: boolean } {
    if (intactUpTo(path, offset)) return { log: TrainLog.open(path, offset), rebuilt: false };
    const log = TrainLog.open(path);
    for (const r of records()) log.write(r);
    return { log, rebuilt: true };
  }

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
    // printableJson: the same JSON, which a terminal following the log (`tail -f`) shows as it is (its start
    // line holds the config: file names and type names, which may carry terminal controls).
    const line = printableJson(JSON.stringify(record)) + '\n';
    try {
      appendFileSync(this.path, line);
    } catch (e) {
      throw writeError('the training log', this.path, e);
    }
    this.bytes += Buffer.byteLength(line);
  }
}

/** A log's records, a line each, for readers of a run's history: lines that are not JSON are skipped, a missing log has none. */
export function readLogRecords(path: string): { type?: unknown; [key: string]: unknown }[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((line) => {
    try {
      const r: unknown = JSON.parse(line);
      return r !== null && typeof r === 'object' ? [r as { type?: unknown }] : [];
    } catch {
      return [];
    }
  });
}

/** Whether the log's first `offset` bytes are whole JSON lines, the first of them a `start` record. */
function intactUpTo(path: string, offset: number): boolean {
  if (!existsSync(path) || statSync(path).size < offset) return false;
  const lines = readFileSync(path).subarray(0, offset).toString('utf8').split('\n');
  if (lines.pop() !== '') return false; // not cut at the end of a line
  try {
    const records = lines.map((l) => JSON.parse(l) as { type?: unknown });
    return records.length > 0 && records[0].type === 'start';
  } catch {
    return false;
  }
}

function truncateOrCreate(path: string): void {
  if (existsSync(path)) truncateSync(path, 0);
  else appendFileSync(path, '');
}
