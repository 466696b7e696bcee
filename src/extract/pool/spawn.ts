/**
 * Starts one model worker thread. From the compiled package (dist/) the entry is worker.js; from the
 * TypeScript sources (tests, benchmarks, `node --import tsx`) a worker thread does not inherit the
 * parent's tsx loader on Node 20, so a two-line bootstrap registers tsx in the thread before importing
 * worker.ts.
 */
import { Worker } from 'node:worker_threads';
import type { WorkerInit } from './protocol.js';

export function spawnModelWorker(init: WorkerInit): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./worker.js', here), { workerData: init, execArgv: workerExecArgv() });
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./worker.ts', here).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: init, execArgv: workerExecArgv() });
}

/**
 * The parent's Node flags minus those about how the main script is given: a thread started from
 * `node --input-type=module -e …` would otherwise inherit `--input-type` and fail to start ("can only be
 * used with string input").
 */
export function workerExecArgv(argv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--input-type=')) continue;
    if (a === '--input-type') {
      i++; // its value is the next argument
      continue;
    }
    out.push(a);
  }
  return out;
}
