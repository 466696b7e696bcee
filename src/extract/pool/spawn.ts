/**
 * Starts one model worker thread, always from a one-line `eval` bootstrap that imports the entry:
 * worker.js from the compiled package (dist/), worker.ts from the TypeScript sources (tests, benchmarks,
 * `node --import tsx`), after registering tsx in the thread, which on Node 20 does not inherit the
 * parent's loader. The thread inherits the parent's Node flags as they are: given as `execArgv`, V8 and
 * process-wide ones (`--max-old-space-size`, `--title`) are refused (ERR_WORKER_INVALID_EXEC_ARGV), and a
 * file entry would fail on an inherited `--input-type` (`node --input-type=module -e …`); an eval entry
 * takes both.
 */
import { Worker } from 'node:worker_threads';
import { ownModuleUrl } from '../../data/package-dir.js';
import type { WorkerInit } from './protocol.js';

export function spawnModelWorker(init: WorkerInit): Worker {
  const here = ownModuleUrl(import.meta.url);
  const entry = new URL(here.endsWith('.ts') ? './worker.ts' : './worker.js', here).href;
  const load = `import(${JSON.stringify(entry)})`;
  const bootstrap = here.endsWith('.ts') ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return ${load}; });` : `${load};`;
  return new Worker(bootstrap, { eval: true, workerData: init });
}
