/**
 * A worker pool's resources over an Extractor's life: close() while the workers are still starting
 * leaves no file descriptor behind (a worker terminated inside its module imports leaks the loader's
 * open files, in Node), and an Extractor dropped without close() has its workers ended when collected.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';
import { Extractor } from '../../src/extract/index.js';
import { trainTinyModelDir } from './tiny-model.js';

let dir: string;
before(() => {
  dir = trainTinyModelDir();
});

/** 200 one-sentence texts: an input large enough to start the workers (POOL_MIN_SENTENCES). */
const texts = Array.from({ length: 200 }, (_, i) => `Mary Smith${i} works for Acme Corp in Boston.`);
const fds = () => readdirSync('/proc/self/fd').length;

test('close() right after an input started the workers leaves no file descriptor open', { timeout: 300_000 }, async () => {
  // The bundled model: its extraction of 200 sentences ends while the worker is still importing modules
  // (the tiny model's ends before the worker has started reading them).
  const cycle = async () => {
    const ex = await Extractor.load(undefined, { workers: 1 });
    await ex.extract(texts); // starts the pool without waiting for it; runs here meanwhile
    await ex.close();
  };
  await cycle(); // whatever a first load keeps open for good (the addon, caches)
  const before = fds();
  for (let i = 0; i < 6; i++) await cycle();
  // Descriptors a closed worker held may be released a moment later (longer on a busy machine): waited for,
  // up to 20 s, where a leak (5 or so per worker) stays for good.
  for (let waited = 0; fds() - before > 1 && waited < 20_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  assert.ok(fds() - before <= 1, `${fds() - before} more file descriptors after 6 load/extract/close cycles`);
});

test('an Extractor dropped without close() has its worker threads ended once it is collected', () => {
  const index = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
  const code = `
    import { readFileSync } from 'node:fs';
    import { Extractor } from ${JSON.stringify(index)};
    const threads = () => Number(/Threads:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
    const texts = ${JSON.stringify(texts)};
    async function use() {
      const ex = await Extractor.load(${JSON.stringify(dir)}, { workers: 2 });
      await ex.warmUp();
      await ex.extract(texts);
    }
    const idle = threads();
    await use();
    const busy = threads();
    // Collected, the workers end a moment later (longer on a busy machine): up to 30 s.
    for (let i = 0; i < 300 && threads() > idle; i++) {
      globalThis.gc();
      await new Promise((r) => setTimeout(r, 100));
    }
    process.stdout.write(JSON.stringify({ idle, busy, after: threads() }));
  `;
  const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 180_000, killSignal: 'SIGKILL' });
  assert.equal(r.signal, null, `the child ran over 180 s: ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  const { idle, busy, after } = JSON.parse(r.stdout) as Record<string, number>;
  assert.ok(busy >= idle + 2, `the workers ran (${idle} → ${busy} threads)`);
  assert.ok(after <= idle, `${after - idle} threads left after the Extractor was collected`);
});
