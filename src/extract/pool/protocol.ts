/**
 * Messages between the Extractor's worker pool (pool.ts, main thread) and each model worker (worker.ts).
 *
 *   main → worker   workerData: WorkerInit; then PredictRequest per batch
 *   worker → main   Ready once the model is loaded (or Failed, and the worker exits);
 *                   then Result or Failed per request, in the order the requests came
 *
 * A batch travels as the model's `Batch` without its `sentences` (the model's forward pass reads only
 * the typed arrays); its buffers are transferred, not copied. Predictions come back without their per-token
 * tag strings, which extraction does not use.
 */
import { UserError, type ErrorLocation, type UserErrorCode } from '../../errors.js';
import type { Batch } from '../../model/encode.js';
import type { SentencePrediction } from '../../model/types.js';

export interface WorkerInit {
  modelDir: string;
  /** The model directory's `checksum` file as the main thread loaded it: a worker refuses another model. */
  checksum: string;
  /** libtorch intra-op threads in the worker (OpenMP's setting is per OS thread, so each worker sets it). */
  threads: number;
}

type WireBatch = Omit<Batch, 'sentences'>;

export interface PredictRequest {
  id: number;
  batch: WireBatch;
  /**
   * Shared flag of the extract call the batch belongs to (element 0 becomes 1 when the call is
   * abandoned): a worker skips a queued batch of an abandoned call instead of computing it.
   */
  cancel?: Int32Array;
}

export const isCancelled = (flag?: Int32Array): boolean => flag !== undefined && Atomics.load(flag, 0) === 1;

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'result'; id: number; predictions: SentencePrediction[] }
  | { type: 'failed'; id?: number; error: WireError };

/** An error as it crosses the thread boundary: UserErrors stay UserErrors (message and location). */
interface WireError {
  message: string;
  user: boolean;
  location?: ErrorLocation;
  code?: UserErrorCode;
}

export function toWireError(e: unknown): WireError {
  if (e instanceof UserError) return { message: e.message, user: true, location: e.location, code: e.code };
  return { message: e instanceof Error ? e.message : String(e), user: false };
}

/** Back into an Error on the main thread: a UserError as it was thrown, anything else named as the worker's. */
export function fromWireError(w: WireError): Error {
  if (!w.user) return new Error(`extraction worker: ${w.message}`);
  const e = new UserError(w.message, {}, w.code);
  Object.defineProperty(e, 'location', { value: w.location ?? {}, enumerable: true });
  return e;
}

/** The batch without `sentences`, and the distinct buffers to transfer with it. */
export function toWire(batch: Batch): { batch: WireBatch; transfer: ArrayBuffer[] } {
  const { sentences: _unused, ...wire } = batch;
  const transfer = new Set<ArrayBuffer>();
  for (const v of Object.values(wire))
    if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) transfer.add(v.buffer);
  return { batch: wire, transfer: [...transfer] };
}
