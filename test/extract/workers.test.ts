/**
 * Extraction on worker threads (src/extract/pool) with a tiny model trained here: the same documents as
 * on the calling thread, in input order; errors from inside a worker; close(); a process that never
 * closes its Extractor still exits.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { getEventListeners } from 'node:events';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import { Extractor } from '../../src/extract/index.js';
import { WorkerPool } from '../../src/extract/pool/pool.js';
import { isUserError } from '../../src/errors.js';
import { buildBatch, encodeSentence } from '../../src/model/encode.js';
import { modelOf } from '../../src/model/model-handle.js';
import { syntheticSentences } from '../model/fixtures.js';
import { trainTinyModelDir } from './tiny-model.js';
import { tempDir } from '../temp-dir.js';

let dir: string;
/** 150 texts, 300+ sentences: one to three sentences each, an empty one, a long unpunctuated one, emoji. */
const sentences = syntheticSentences(300, 7).map((s) => s.tokens.map((t) => t.text).join(' '));
const texts: string[] = [];
for (let i = 0; i < sentences.length; i += 1 + (texts.length % 3)) texts.push(sentences.slice(i, i + 1 + (texts.length % 3)).join('\n\n'));
texts.splice(7, 0, '', `😀 ${sentences.slice(0, 40).join(' ').replace(/ \./g, '')}`, ' \n ');
const threads = () => Number(/Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]);

before(() => {
  dir = trainTinyModelDir();
});

/** The texts 5 times: a call of many batches. */
const many = Array.from({ length: 5 }, () => texts).flat();

/**
 * close() while a call is running: the call rejects with a UserError. Closed right after it starts, with
 * no wait to tune: its batches need turns of the event loop, so it cannot have finished yet.
 */
async function assertCloseStopsCall(ex: Extractor): Promise<void> {
  const inFlight = ex.extract(many).then(
    () => 'finished',
    (e: unknown) => e,
  );
  await ex.close();
  const e = await inFlight;
  assert.ok(isUserError(e) && /the Extractor was closed/.test(e.message), String(e));
  assert.equal(e.code, 'ENTREL_CLOSED');
}

describe('Extractor on worker threads', () => {
  it('gives the same documents as the calling thread, in input order, with 1 and 2 workers', async () => {
    const here = await Extractor.load(dir, { workers: 0 });
    const want = await here.extract(texts);
    assert.ok(want.reduce((n, d) => n + d.sentences.length, 0) >= 300, 'want.reduce((n, d) => n + d.sentences.length, 0) >= 300');
    for (const workers of [1, 2]) {
      const ex = await Extractor.load(dir, { workers });
      const idle = threads();
      try {
        // A large first input does not wait for the workers: it starts them and hands them what is left.
        assert.deepEqual(await ex.extract(texts), want);
        await ex.warmUp();
        assert.ok(threads() >= idle + workers, `${threads() - idle} more threads with ${workers} workers`);
        assert.deepEqual(await ex.extract(texts), want);
        assert.deepEqual(await ex.extract(texts[3]), await here.extract(texts[3]), 'a small input goes to the running workers');
        const reversed = [...texts].reverse();
        const [a, b] = await Promise.all([ex.extract(reversed), ex.extract(texts)]);
        assert.deepEqual(a, await here.extract(reversed), 'concurrent calls each keep their order');
        assert.deepEqual(b, want);
      } finally {
        await ex.close();
      }
      assert.ok(threads() <= idle + 1, 'close() ended the worker threads');
    }
  });

  it('runs small inputs on this thread without starting workers', async () => {
    const ex = await Extractor.load(dir, { workers: 2 });
    const idle = threads();
    await ex.extract(texts.slice(0, 20));
    assert.equal(threads(), idle);
    await ex.close();
  });

  it('rejects with a UserError once closed, also for a call in flight', async () => {
    const ex = await Extractor.load(dir, { workers: 2 });
    await ex.warmUp();
    await assertCloseStopsCall(ex);
    await assert.rejects(ex.extract('Dan works for Acme Corp .'), (e) => isUserError(e) && /closed/.test((e as Error).message));
    await ex.close(); // twice is fine
  });

  it('close() also stops a call running on this thread, and calls leave no listeners behind', async () => {
    const ex = await Extractor.load(dir, { workers: 0 });
    const lifetime = (ex as unknown as { lifetime: AbortController }).lifetime.signal;
    for (let i = 0; i < 20; i++) await ex.extract(texts.slice(0, 5), {}, { signal: new AbortController().signal });
    assert.equal(getEventListeners(lifetime, 'abort').length, 0);
    await assertCloseStopsCall(ex);
  });

  it('stops an aborted call, rejecting with the signal\'s reason', async () => {
    const ex = await Extractor.load(dir, { workers: 2 });
    try {
      await ex.warmUp();
      const abort = new AbortController();
      const reason = new Error('enough');
      const call = ex.extract(many, {}, { signal: abort.signal });
      abort.abort(reason); // while the call runs, as in assertCloseStopsCall
      await assert.rejects(call, (e) => e === reason);
      assert.equal((await ex.extract(texts[0])).text, texts[0], 'extracts again afterwards');
    } finally {
      await ex.close();
    }
  });

  it('a worker that cannot load the model gives its UserError, naming the file', async () => {
    const tmp = tempDir('entrel-worker-model-');
    const copy = join(tmp, 'model');
    cpSync(dir, copy, { recursive: true });
    const ex = await Extractor.load(copy, { workers: 2 });
    const weights = join(copy, 'weights.safetensors');
    const w = readFileSync(weights);
    w[w.length - 3] ^= 0xff;
    writeFileSync(weights, w);
    await assert.rejects(ex.warmUp(), (e) => isUserError(e) && /weights\.safetensors: checksum mismatch/.test((e as Error).message));
    // The same directory, now another valid model: refused as well, since it is not the one loaded here.
    cpSync(trainTinyModelDir(), copy, { recursive: true });
    writeFileSync(join(copy, 'config.json'), readFileSync(join(copy, 'config.json')));
    const other = readFileSync(join(copy, 'checksum'), 'utf8');
    if (other !== readFileSync(join(dir, 'checksum'), 'utf8'))
      await assert.rejects(ex.warmUp(), (e) => isUserError(e) && /changed after the Extractor loaded it/.test((e as Error).message));
    assert.deepEqual(await ex.extract(texts[0]), await (await Extractor.load(dir, { workers: 0 })).extract(texts[0]), 'small inputs still run here');
    await ex.close();
  });

  it('a batch that fails inside a worker rejects with the worker\'s error; the worker goes on', async () => {
    const model = modelOf((await Extractor.load(dir, { workers: 0 })).model);
    const pool = new WorkerPool({ modelDir: dir, checksum: readFileSync(join(dir, 'checksum'), 'utf8'), threads: 1 }, 1);
    try {
      await pool.ready;
      const tokens = [{ text: 'Dan', start: 0, end: 3 }, { text: 'works', start: 4, end: 9 }];
      const good = () => buildBatch([encodeSentence({ tokens, entities: [], relations: [] }, model.vocab, { gold: false })], model.vocab.words.size);
      const bad = good();
      bad.words[0] = 1e6; // no such word
      await assert.rejects(pool.predict(bad), (e) => !isUserError(e) && /^extraction worker: embedding/.test((e as Error).message));
      assert.equal((await pool.predict(good())).length, 1);
      assert.equal(pool.alive, 1);
    } finally {
      await pool.close();
    }
  });

  it('starts its workers from `node --input-type=module -e` too, and with V8 and process-wide flags (--max-old-space-size, --title)', () => {
    const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
    const code =
      `import { Extractor } from ${JSON.stringify(dist)};\n` +
      `const ex = await Extractor.load(${JSON.stringify(dir)}, { workers: 1 });\n` +
      `await ex.warmUp();\n` +
      `const docs = await ex.extract(${JSON.stringify(texts)});\n` +
      `await ex.close();\n` +
      `process.stdout.write('done ' + docs.length + '\\n');\n`;
    for (const flags of [['--input-type=module'], ['--max-old-space-size=2048', '--stack-size=900', '--title=entrel-test', '--expose-gc', '--input-type=module']]) {
      const r = spawnSync(process.execPath, [...flags, '-e', code], { encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL' });
      assert.equal(r.signal, null, `${flags.join(' ')}: still running after 120 s (about 2 s on an idle machine): ${r.stderr}`);
      assert.equal(r.status, 0, `${flags.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout.trim(), `done ${texts.length}`);
    }
  });

  it('a process that never closes its Extractor exits when its work is done', { timeout: 300_000 }, async () => {
    const script = join(tempDir('entrel-exit-'), 'run.mts');
    const src = fileURLToPath(new URL('../../src/extract/index.js', import.meta.url));
    writeFileSync(
      script,
      `import { Extractor } from ${JSON.stringify(src)};\n` +
        `const ex = await Extractor.load(${JSON.stringify(dir)}, { workers: 2 });\n` +
        `await ex.warmUp();\n` +
        `const docs = await ex.extract(${JSON.stringify(texts)});\n` +
        `process.stdout.write('done ' + docs.length + '\\n');\n`,
    );
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'], cwd: fileURLToPath(new URL('../..', import.meta.url)) });
    let out = '';
    let err = '';
    let doneAt = 0;
    child.stdout.on('data', (b: Buffer) => {
      out += b;
      if (!doneAt && out.includes('done')) doneAt = performance.now();
    });
    child.stderr.on('data', (b: Buffer) => (err += b));
    // Killed after 180 s (it takes 3 s on an idle machine): a pool that keeps the process alive fails the test.
    const killer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    const { code, signal } = await new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const after = performance.now() - doneAt;
    clearTimeout(killer);
    assert.equal(signal, null, `still running after 180 s, ${doneAt ? `${Math.round(after / 1000)} s after its work` : 'its work not done'}: ${err}`);
    assert.equal(code, 0, err);
    assert.equal(out.trim(), `done ${texts.length}`);
    // Its exit takes a fraction of a second, about 1 s beside 4 busy processes on 2 cores, which made the
    // work 5 times as long too: so the bound is 2 s, or half the time its work took if that is more. (With
    // its workers ref'd, it exited 20 s after its work, once the Extractor was collected.)
    const work = doneAt - started;
    assert.ok(after < Math.max(2000, work / 2), `exited ${Math.round(after)} ms after its work, which took ${Math.round(work)} ms`);
  });
});
