import type { ExtractControl, ExtractInput, ExtractOptions, ExtractedDocument } from '../extract/types.js';
import { HttpError } from './errors.js';

const MAX_TIMER_MS = 2 ** 31 - 1;

type ExtractFn = (texts: ExtractInput[], options: ExtractOptions, control: ExtractControl) => Promise<ExtractedDocument[]>;

interface BatcherOptions {
  /** Wait this long after the first queued request for others to join its batch. */
  windowMs: number;
  /** Most texts per model call (a single larger request still runs, alone). */
  maxBatchTexts: number;
  /** Most texts waiting; `submit` beyond it throws a 503 `overloaded` error. */
  maxQueuedTexts: number;
  /** Model calls running at once (the extractor's worker threads). Default 1. */
  maxConcurrent?: number;
  /** Most time one submission may take, queue included, in ms; then it fails with 503 `timeout`. Default 0 (none). */
  timeoutMs?: number;
}

/** How one submission may end early. */
interface SubmitControl {
  /** Its time limit in ms instead of `timeoutMs` (what is left of a request that submits in parts). */
  withinMs?: number;
  /** Abandons it (its client went away): it leaves the queue, or its model call stops if no one else needs it. */
  signal?: AbortSignal;
}

interface Job {
  texts: ExtractInput[];
  options: ExtractOptions;
  key: string;
  resolve: (docs: ExtractedDocument[]) => void;
  reject: (err: unknown) => void;
  /** Answered, timed out or abandoned: nothing more is owed to it. */
  settled: boolean;
  timer?: NodeJS.Timeout;
  /** Stops listening to its signal. */
  unlisten?: () => void;
  /** The model call it is part of, once it runs. */
  call?: Call;
}

interface Call {
  jobs: Job[];
  abort: AbortController;
}

/**
 * Collects texts from concurrent requests into one model call and hands each request its own slice.
 * Up to `maxConcurrent` model calls run at once (one per worker thread of the extractor); whatever
 * arrives while they run forms the next batch, so batches grow with load. Only requests with equal
 * options share a call.
 *
 * Time limit: a submission not answered within `timeoutMs` (waiting included) is rejected with a 503
 * `timeout`; if it still waits it leaves the queue, and once every request of a running call has been
 * answered, timed out or abandoned (its signal aborted), the call is aborted (the extractor starts no
 * further model batch for it).
 */
export class MicroBatcher {
  private queue: Job[] = [];
  private queuedTexts = 0;
  private running = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly run: ExtractFn,
    private readonly opts: BatcherOptions,
  ) {}

  /** Texts waiting for the model, not counting the calls in progress. */
  get pending(): number {
    return this.queuedTexts;
  }

  private get maxConcurrent(): number {
    return Math.max(1, this.opts.maxConcurrent ?? 1);
  }

  /**
   * Queues `texts` for the model; the answer comes within the time limit (`timeoutMs`, or `withinMs`),
   * else a 503 `timeout`. Once `signal` aborts, the promise rejects with its reason.
   */
  submit(texts: ExtractInput[], options: ExtractOptions, { withinMs, signal }: SubmitControl = {}): Promise<ExtractedDocument[]> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (texts.length === 0) return Promise.resolve([]);
    if (this.queuedTexts + texts.length > this.opts.maxQueuedTexts) {
      return Promise.reject(
        new HttpError(503, 'overloaded', 'the server is busy; retry shortly', { 'Retry-After': '1' }),
      );
    }
    return new Promise((resolve, reject) => {
      const job: Job = { texts, options, key: optionsKey(options), resolve, reject, settled: false };
      const limit = withinMs ?? this.opts.timeoutMs ?? 0;
      // setTimeout fires at once beyond 2^31 - 1 ms (≈ 24.8 days): a limit that long is no limit.
      if (limit > 0 && limit <= MAX_TIMER_MS) job.timer = setTimeout(() => this.drop(job, this.timeoutError(limit)), limit);
      if (signal) {
        const abandon = () => this.drop(job, signal.reason);
        signal.addEventListener('abort', abandon, { once: true });
        job.unlisten = () => signal.removeEventListener('abort', abandon);
      }
      this.queue.push(job);
      this.queuedTexts += texts.length;
      this.schedule();
    });
  }

  /** Start model calls once the window has passed, or at once when a full batch is waiting. */
  private schedule(): void {
    if (this.running >= this.maxConcurrent || this.queue.length === 0) return;
    if (this.queuedTexts >= this.opts.maxBatchTexts) this.startCalls();
    else
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.startCalls();
      }, this.opts.windowMs);
  }

  private startCalls(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.running < this.maxConcurrent && this.queue.length > 0) {
      const batch = this.takeBatch();
      this.running++;
      void this.runBatch(batch).finally(() => {
        this.running--;
        // What queued meanwhile runs at once: it has waited at least as long as the window.
        if (this.queue.length > 0) this.startCalls();
      });
    }
  }

  /** The oldest job plus later ones with the same options, up to `maxBatchTexts` texts. */
  private takeBatch(): Job[] {
    const first = this.queue[0];
    const batch: Job[] = [];
    let count = 0;
    this.queue = this.queue.filter((job) => {
      const fits = job === first || (job.key === first.key && count + job.texts.length <= this.opts.maxBatchTexts);
      if (!fits) return true;
      batch.push(job);
      count += job.texts.length;
      return false;
    });
    this.queuedTexts -= count;
    return batch;
  }

  private async runBatch(batch: Job[]): Promise<void> {
    const call: Call = { jobs: batch, abort: new AbortController() };
    for (const job of batch) job.call = call;
    try {
      const docs = await this.call(batch.flatMap((j) => j.texts), batch[0].options, call.abort.signal);
      let at = 0;
      for (const job of batch) {
        const mine = docs.slice(at, (at += job.texts.length));
        settle(job, () => job.resolve(mine));
      }
    } catch (err) {
      const open = batch.filter((j) => !j.settled);
      if (open.length === 0) return; // aborted: every request had timed out or been abandoned
      if (batch.length === 1) return settle(batch[0], () => batch[0].reject(err));
      // One bad text must not fail the requests it happened to share a call with: retry each alone.
      for (const job of open) if (!job.settled) await this.runBatch([job]);
    }
  }

  private async call(texts: ExtractInput[], options: ExtractOptions, signal: AbortSignal): Promise<ExtractedDocument[]> {
    const docs = await this.run(texts, options, { signal });
    if (!Array.isArray(docs) || docs.length !== texts.length) {
      throw new Error(`extractor returned ${Array.isArray(docs) ? docs.length : typeof docs} documents for ${texts.length} texts`);
    }
    return docs;
  }

  private timeoutError(limit: number): HttpError {
    return new HttpError(
      503,
      'timeout',
      `the request was not done within the server's time limit${limit === this.opts.timeoutMs ? ` of ${limit / 1000} s` : ` (${((this.opts.timeoutMs ?? 0) / 1000)} s for the whole request)`}; send less text per request (or ask the operator for a longer --request-timeout)`,
    );
  }

  /** Settles `job` with `err` (timed out or abandoned): out of the queue, and its call stopped if no one else needs it. */
  private drop(job: Job, err: unknown): void {
    if (job.settled) return;
    if (!job.call) {
      const i = this.queue.indexOf(job);
      if (i >= 0) {
        this.queue.splice(i, 1);
        this.queuedTexts -= job.texts.length;
      }
    }
    settle(job, () => job.reject(err));
    if (job.call && job.call.jobs.every((j) => j.settled)) job.call.abort.abort(err);
  }
}

function settle(job: Job, f: () => void): void {
  if (job.settled) return;
  job.settled = true;
  clearTimeout(job.timer);
  job.unlisten?.();
  f();
}

function optionsKey(o: ExtractOptions): string {
  return JSON.stringify([o.relationThreshold ?? null, o.allowedTriples ?? null, o.maxPairDistance ?? null, o.newlines ?? 'paragraph']);
}
