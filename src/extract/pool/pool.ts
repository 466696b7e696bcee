/**
 * A pool of model worker threads (worker.ts), each with the model loaded and 1 libtorch intra-op thread:
 * inter-op parallelism for extraction, where libtorch's own intra-op threads gain nothing (the ops are
 * small) and spin destructively on a busy machine.
 *
 * The workers start at construction (`ready` tells when all have loaded the model). `predict` sends a
 * batch to the worker with the fewest batches in flight; each worker answers in order. The workers are
 * always unref'd, so a pool that is never closed does not keep the process alive once idle; while the
 * workers start and while any batch is in flight one ref'd timer keeps it alive, so a process awaiting
 * `ready` or an answer does not exit early (toggling each worker's own ref with its queue once let the
 * event loop empty with an answer still owed). A worker that fails or exits rejects its batches in
 * flight with a clear error and leaves the pool (UserErrors thrown in a worker, such as a model directory
 * that disappeared, arrive as UserErrors); `close` ends every worker and rejects what was in flight with
 * a UserError, once the workers still starting have started (see there).
 */
import type { Worker } from 'node:worker_threads';
import { UserError } from '../../errors.js';
import type { Batch } from '../../model/encode.js';
import type { SentencePrediction } from '../../model/types.js';
import { fromWireError, toWire, type PredictRequest, type WorkerInit, type WorkerMessage } from './protocol.js';
import { spawnModelWorker } from './spawn.js';

interface Pending {
  resolve: (p: SentencePrediction[]) => void;
  reject: (e: Error) => void;
}

interface Slot {
  thread: Worker;
  pending: Map<number, Pending>;
  alive: boolean;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private closing = false;
  /** The start-up and the batches in flight, and the timer that keeps the process alive meanwhile. */
  private inFlight = 0;
  private keepAlive?: ReturnType<typeof setInterval>;
  private state: 'starting' | 'ready' | 'failed' = 'starting';
  private failure?: Error;
  /** Resolves when every worker has loaded the model; rejects with the first load error (the pool then closes). */
  readonly ready: Promise<void>;
  /** Settles when every worker has loaded the model or failed: what `close` waits for (see there). */
  private readonly started: Promise<unknown>;

  /** Starts `size` workers at once; see `ready`. */
  constructor(init: WorkerInit, size: number) {
    this.hold();
    const spawned = Array.from({ length: size }, () => this.spawn(init));
    this.started = Promise.allSettled(spawned);
    this.ready = Promise.all(spawned).then(
      () => {
        this.state = 'ready';
        this.release();
      },
      (e: Error) => {
        this.state = 'failed';
        this.failure = e;
        this.release();
        // Closed in the background: the caller learns of the failure at once, not once the other workers
        // have finished starting (which close waits for).
        void this.close();
        throw e;
      },
    );
    this.ready.catch(() => undefined); // reported through `ready` / `error` to whoever asks
  }

  get isReady(): boolean {
    return this.state === 'ready' && this.alive > 0;
  }

  /** Why the workers could not start, once that is known. */
  get error(): Error | undefined {
    return this.failure;
  }

  /** Workers still running (or starting). */
  get alive(): number {
    return this.slots.filter((s) => s.alive).length;
  }

  /** The model's predictions for `batch`; `cancel` (protocol.ts) lets the worker skip it once its call is abandoned. */
  predict(batch: Batch, cancel?: Int32Array): Promise<SentencePrediction[]> {
    if (this.closing) return Promise.reject(closedError());
    let slot: Slot | undefined;
    for (const s of this.slots) if (s.alive && (!slot || s.pending.size < slot.pending.size)) slot = s;
    if (!slot) return Promise.reject(this.failure ?? new Error('extraction worker pool: no worker is running'));
    const target = slot;
    const id = this.nextId++;
    const { batch: wire, transfer } = toWire(batch);
    return new Promise((resolve, reject) => {
      this.hold();
      target.pending.set(id, {
        resolve: (p) => {
          this.release();
          resolve(p);
        },
        reject: (e) => {
          this.release();
          reject(e);
        },
      });
      const request: PredictRequest = { id, batch: wire, cancel };
      target.thread.postMessage(request, transfer);
    });
  }

  /**
   * Ends every worker; batches in flight reject with a UserError. A worker still starting is let finish
   * first (at most START_WAIT_MS): one terminated inside its module imports leaves the files Node's
   * loader was reading open for good, 5 or so per worker, so a process that loads and closes Extractors
   * would run out of file descriptors.
   */
  async close(): Promise<void> {
    this.closing = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bound = new Promise((resolve) => (timer = setTimeout(resolve, START_WAIT_MS)));
    await Promise.race([this.started, bound]);
    clearTimeout(timer);
    await Promise.all(this.slots.map((s) => s.thread.terminate()));
  }

  /** One more thing the process must stay alive for (the start-up, a batch in flight). */
  private hold(): void {
    if (this.inFlight++ === 0) this.keepAlive = setInterval(() => undefined, 1 << 30);
  }

  private release(): void {
    if (--this.inFlight === 0) clearInterval(this.keepAlive);
  }

  private spawn(init: WorkerInit): Promise<void> {
    return new Promise((resolve, reject) => {
      const thread = spawnModelWorker(init);
      const slot: Slot = { thread, pending: new Map(), alive: true };
      this.slots.push(slot);
      let ready = false;
      const settle = (id: number, f: (p: Pending) => void) => {
        const p = slot.pending.get(id);
        if (!p) return;
        slot.pending.delete(id);
        f(p);
      };
      const fail = (err: Error) => {
        if (!slot.alive) return;
        slot.alive = false;
        for (const p of slot.pending.values()) p.reject(err);
        slot.pending.clear();
        if (!ready) reject(err);
        void thread.terminate();
      };
      thread.on('message', (m: WorkerMessage) => {
        if (m.type === 'ready') {
          ready = true;
          resolve();
        } else if (m.type === 'result') settle(m.id, (p) => p.resolve(m.predictions));
        else if (m.id === undefined) fail(fromWireError(m.error));
        else settle(m.id, (p) => p.reject(fromWireError(m.error)));
      });
      thread.on('error', (e) => fail(new Error(`extraction worker failed: ${e.message}`)));
      thread.on('messageerror', (e) => fail(new Error(`extraction worker: a message could not be read: ${e.message}`)));
      thread.on('exit', (code) => fail(this.closing ? closedError() : new Error(`extraction worker exited unexpectedly (exit code ${code})`)));
      // After the listeners: adding a 'message' listener refs the worker's port again (nodejs/node#53036).
      thread.unref();
    });
  }
}

/** How long `close` waits for starting workers before ending them anyway. */
const START_WAIT_MS = 30_000;

/** What calls get once their Extractor (and so its pool) was closed. */
export const closedError = () => new UserError('the Extractor was closed (Extractor.close()); load a new one to extract', {}, 'ENTREL_CLOSED');
