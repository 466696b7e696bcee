/**
 * One model worker (a worker_threads thread, started by pool.ts): loads the model directory with its own
 * libtorch intra-op thread count, then answers each batch with the model's predictions. Everything the
 * model does here is thread-local in libtorch (grad mode, OpenMP's thread count) or read-only and shared
 * safely (the addon's code, OpenBLAS and oneDNN); tensors belong to this thread's JS context and are freed
 * with it when the worker ends.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../../errors.js';
import type { WorkerInit, PredictRequest, WorkerMessage } from './protocol.js';
import { isCancelled, toWireError } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('src/extract/pool/worker.ts runs as a worker thread');
const init = workerData as WorkerInit;
const send = (m: WorkerMessage) => port.postMessage(m);

// The native loader reads ENTREL_THREADS when it first loads (this thread's copy of the environment).
process.env.ENTREL_THREADS = String(init.threads);

try {
  const { loadModelDir } = await import('../../model/io.js');
  const { setNumThreads } = await import('../../tensor/index.js');
  setNumThreads(init.threads);
  const { model } = loadModelDir(init.modelDir); // UserErrors name the missing or corrupt file
  if (readFileSync(join(init.modelDir, 'checksum'), 'utf8') !== init.checksum)
    throw new UserError('the model directory changed after the Extractor loaded it; load it again', { file: init.modelDir }, 'ENTREL_MODEL_CORRUPT');
  port.on('message', ({ id, batch, cancel }: PredictRequest) => {
    if (isCancelled(cancel)) return send({ type: 'failed', id, error: { message: 'cancelled', user: false } });
    try {
      const predictions = model.predict({ ...batch, sentences: [] });
      for (const p of predictions) p.tags = [];
      send({ type: 'result', id, predictions });
    } catch (e) {
      send({ type: 'failed', id, error: toWireError(e) });
    }
  });
  send({ type: 'ready' });
} catch (e) {
  send({ type: 'failed', error: toWireError(e) });
  port.close();
}
