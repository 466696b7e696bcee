/**
 * The library API as a JavaScript caller misuses it (the bundled model): bad option values and inputs
 * are UserErrors that name them and show them as given, before any work or any reading of a source.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isUserError } from '../../src/errors.js';
import { DEFAULT_MODEL_DIR, Extractor, toBratAnn, type ExtractedDocument } from '../../src/extract/index.js';
import { extractStream } from '../../src/extract/stream.js';
import { loadModelDir, saveModelDir } from '../../src/model/public-io.js';
import { tempDir } from '../temp-dir.js';
import { userErrorAsync } from '../user-error.js';

let ex: Extractor;
before(async () => {
  ex = await Extractor.load(undefined, { workers: 0 });
});
after(() => ex.close());

/** The message of the UserError `f` throws or rejects with. */
const userError = async (f: () => unknown): Promise<string> => (await userErrorAsync(f)).message;

test('a bad load option is shown as given (NaN, not null), and threads is bounded as ENTREL_THREADS is', async () => {
  assert.match(await userError(() => Extractor.load(undefined, { batchSize: NaN })), /^batchSize: must be a positive integer, got NaN$/);
  assert.match(await userError(() => Extractor.load(undefined, { workers: NaN })), /^workers: must be an integer from 0 to 64, got NaN$/);
  // libtorch wrapped 2³² + 1 to 1 thread, and 10⁵ hung the process.
  assert.match(await userError(() => Extractor.load(undefined, { threads: 2 ** 32 + 1 })), /^threads: must be an integer from 1 to 1024, got 4294967297$/);
  assert.match(await userError(() => Extractor.load(undefined, { threads: 1025 })), /^threads: must be an integer from 1 to 1024, got 1025$/);
  // A caller reading the error's location finds the option there, as for every other argument.
  for (const [options, field] of [[{ batchSize: 0 }, 'batchSize'], [{ workers: -1 }, 'workers'], [{ threads: 0 }, 'threads']] as const)
    await assert.rejects(Extractor.load(undefined, options), (e: unknown) => isUserError(e) && e.location.field === field);
});

test('fromModel checks workers though a model in memory runs on this thread', async () => {
  const { model, schema, meta } = loadModelDir(DEFAULT_MODEL_DIR);
  assert.match(await userError(() => Extractor.fromModel(model, schema, meta, { workers: -1 })), /^workers: must be an integer from 0 to 64, got -1$/);
  assert.match(await userError(() => Extractor.fromModel(model, schema, meta, { workers: '2' as never })), /^workers: must be an integer from 0 to 64, got "2"$/);
  assert.equal(Extractor.fromModel(model, schema, meta, { workers: 2 }).maxWorkers, 0);
});

test('a model is an opaque handle: loadModelDir, an Extractor and saveModelDir pass it on, and refuse anything else (review 31c finding 3)', async () => {
  const { model, schema, meta } = loadModelDir(DEFAULT_MODEL_DIR);
  const out = join(tempDir('entrel-handle-'), 'copy');
  saveModelDir(out, Extractor.fromModel(model, schema, meta).model, schema, meta);
  assert.deepEqual((await Extractor.load(out, { workers: 0 })).info().entityTypes, schema.entityTypes);
  const bad = /^model: must be a model from loadModelDir or Extractor\.model, got an object /;
  assert.match(await userError(() => Extractor.fromModel({} as never, schema)), bad);
  assert.match(await userError(() => saveModelDir(join(out, '..', 'other'), { parameters: [] } as never, schema)), bad);
});

test('ENTREL_THREADS is read by the rule the native loader and training read it by: a bad value is refused (was 1 thread, or 1000 for 1e3)', async () => {
  const { model, schema, meta } = loadModelDir(DEFAULT_MODEL_DIR);
  const saved = process.env.ENTREL_THREADS;
  try {
    for (const bad of ['two', '1e3', '0x4', '0', '1025']) {
      process.env.ENTREL_THREADS = bad;
      assert.equal(await userError(() => Extractor.fromModel(model, schema, meta)), `ENTREL_THREADS: must be an integer from 1 to 1024, got "${bad}"`);
    }
    process.env.ENTREL_THREADS = ' 3 ';
    Extractor.fromModel(model, schema, meta);
  } finally {
    if (saved === undefined) delete process.env.ENTREL_THREADS;
    else process.env.ENTREL_THREADS = saved;
  }
});

test('a hole in an array of texts is a missing text, not one skipped (the answer had a hole); a non-array is shown as given', async () => {
  assert.match(await userError(() => ex.extract([, 'Tom lives in Ohio.'] as never)), /^texts\[0\]: must be a string or an object \{text, entities\?\}, got undefined$/);
  assert.match(await userError(() => ex.extract(new Array(2) as never)), /^texts\[0\]: must be a string or an object \{text, entities\?\}, got undefined$/);
  assert.match(await userError(() => ex.extract(new Set(['a']) as never)), /^extract expects a string, a \{text, entities\?\} object or an array of them, got an object \{\}$/);
  assert.match(await userError(() => ex.extract(null as never)), /^extract expects a string, a \{text, entities\?\} object or an array of them, got null$/);
});

test('extractStream checks the options against the model before it reads the source', async () => {
  let pulled = 0;
  function* source() {
    for (let i = 0; i < 1000; i++) {
      pulled++;
      yield 'Tom lives in Ohio.';
    }
  }
  const first = (options: object) => extractStream(ex, source(), options).next();
  assert.match(await userError(() => first({ relationThreshold: 5 })), /^relationThreshold: must be a number in \[0, 1\], got 5$/);
  assert.match(await userError(() => first({ allowedTriples: [['Peop', 'Live_In', 'City']] })), /^allowedTriples\[0\]: unknown entity type "City"/);
  assert.match(await userError(() => first({ threshold: 0.5 })), /^options: unknown option "threshold"/);
  assert.equal(pulled, 0);
  const { value } = await extractStream(ex, source(), { relationThreshold: 0.5 }).next();
  assert.equal(value?.doc.entities.length, 2);
});

test('toBratAnn refuses an entity without a type or outside the text, and a relation without a type', async () => {
  const text = 'Tom lives in Ohio.';
  const tom = { id: 'T1', text: 'Tom', type: 'Peop', start: 0, end: 3, sentence: 0, tokenStart: 0, tokenEnd: 1, score: 1 };
  const doc = (entities: unknown[], relations: unknown[] = []) => ({ text, sentences: [], entities, relations }) as ExtractedDocument;
  assert.equal(toBratAnn(doc([tom])), 'T1\tPeop 0 3\tTom\n');
  assert.match(await userError(() => toBratAnn(doc([{ id: 'T1', start: 0, end: 3 }]))), /^doc\.entities\[0\]: must be an entity \{id, type, start, end\} within the text \(18 code units\), got an object/);
  // Written before as `T1 Peop 5 100`: offsets past the text, which brat rejects.
  assert.match(await userError(() => toBratAnn(doc([tom, { ...tom, id: 'T2', start: 5, end: 100 }]))), /^doc\.entities\[1\]: must be an entity/);
  assert.match(await userError(() => toBratAnn(doc([{ ...tom, start: 3, end: 2 }]))), /^doc\.entities\[0\]: /);
  assert.match(await userError(() => toBratAnn(doc([tom], [{ head: 'T1', tail: 'T1' }]))), /^doc\.relations\[0\]: must be a relation \{type, head, tail\}, got an object/);
});
