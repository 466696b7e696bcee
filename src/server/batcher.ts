import type { ExtractOptions, ExtractedDocument } from '../extract/types.js';
import { HttpError } from './errors.js';

export type ExtractFn = (texts: string[], options: ExtractOptions) => Promise<ExtractedDocument[]>;

export interface BatcherOptions {
  /** Wait this long after the first queued request for others to join its batch. */
  windowMs: number;
  /** Most texts per model call (a single larger request still runs, alone). */
  maxBatchTexts: number;
  /** Most texts waiting; `submit` beyond it throws a 503 `overloaded` error. */
  maxQueuedTexts: number;
}

interface Job {
  texts: string[];
  options: ExtractOptions;
  key: string;
  resolve: (docs: ExtractedDocument[]) => void;
  reject: (err: unknown) => void;
}

/**
 * Collects texts from concurrent requests into one model call and hands each request its own slice.
 * Model calls run one at a time: the model is CPU-bound, and whatever arrives while a call runs forms
 * the next batch, so batches grow with load. Only requests with equal options share a call.
 */
export class MicroBatcher {
  private queue: Job[] = [];
  private queuedTexts = 0;
  private running = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly run: ExtractFn,
    private readonly opts: BatcherOptions,
  ) {}

  /** Texts waiting for the model, not counting the call in progress. */
  get pending(): number {
    return this.queuedTexts;
  }

  submit(texts: string[], options: ExtractOptions): Promise<ExtractedDocument[]> {
    if (texts.length === 0) return Promise.resolve([]);
    if (this.queuedTexts + texts.length > this.opts.maxQueuedTexts) {
      return Promise.reject(
        new HttpError(503, 'overloaded', 'the server is busy; retry shortly', { 'Retry-After': '1' }),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ texts, options, key: optionsKey(options), resolve, reject });
      this.queuedTexts += texts.length;
      this.schedule();
    });
  }

  /** Start a model call once the window has passed, or at once when a full batch is waiting. */
  private schedule(): void {
    if (this.running || this.queue.length === 0) return;
    if (this.queuedTexts >= this.opts.maxBatchTexts) {
      clearTimeout(this.timer);
      this.timer = undefined;
      void this.drain();
    } else {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        void this.drain();
      }, this.opts.windowMs);
    }
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) await this.runBatch(this.takeBatch());
    } finally {
      this.running = false;
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
    try {
      const docs = await this.call(batch.flatMap((j) => j.texts), batch[0].options);
      let at = 0;
      for (const job of batch) {
        job.resolve(docs.slice(at, at + job.texts.length));
        at += job.texts.length;
      }
    } catch (err) {
      if (batch.length === 1) return batch[0].reject(err);
      // One bad text must not fail the requests it happened to share a call with: retry each alone.
      for (const job of batch) await this.runBatch([job]);
    }
  }

  private async call(texts: string[], options: ExtractOptions): Promise<ExtractedDocument[]> {
    const docs = await this.run(texts, options);
    if (!Array.isArray(docs) || docs.length !== texts.length) {
      throw new Error(`extractor returned ${Array.isArray(docs) ? docs.length : typeof docs} documents for ${texts.length} texts`);
    }
    return docs;
  }
}

function optionsKey(o: ExtractOptions): string {
  return JSON.stringify([o.relationThreshold ?? null, o.allowedTriples ?? null, o.maxPairDistance ?? null]);
}
