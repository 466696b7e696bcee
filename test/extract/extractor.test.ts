/** The library API on a tiny model trained here: offsets, ids, scores, options, bad input, bad model dirs. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, it } from 'node:test';
import { Extractor, type ExtractedDocument } from '../../src/extract/index.js';
import { isUserError } from '../../src/errors.js';
import { modelOf } from '../../src/model/model-handle.js';
import { getNumThreads, setNumThreads } from '../../src/tensor/index.js';
import { syntheticSentences } from '../model/fixtures.js';
import { SCHEMA, trainTinyModelDir } from './tiny-model.js';
import { tempDir } from '../temp-dir.js';
import { stopwatch, watchTurns } from '../cpu-clock.js';
import { userErrorAsync } from '../user-error.js';

let dir: string;
let ex: Extractor;
const train = syntheticSentences(20, 3);
const texts = train.map((s) => s.tokens.map((t) => t.text).join(' '));

before(async () => {
  dir = trainTinyModelDir();
  ex = await Extractor.load(dir);
});

/** `[start, end, type]` character spans and `head type rel tail type` strings of a document. */
function summary(doc: ExtractedDocument) {
  const byId = new Map(doc.entities.map((e) => [e.id, e]));
  const sym = new Set(SCHEMA.relationTypes.filter((r) => r.symmetric).map((r) => r.name));
  return {
    entities: doc.entities.map((e) => `${e.text}/${e.type}`),
    relations: doc.relations.map((r) => {
      let [h, t] = [byId.get(r.head)!, byId.get(r.tail)!];
      if (sym.has(r.type) && h.start > t.start) [h, t] = [t, h];
      return `${h.text} ${r.type} ${t.text}`;
    }),
  };
}

/** The message of the UserError `f` throws or rejects with. */
const userError = async (f: () => unknown): Promise<string> => (await userErrorAsync(f)).message;

describe('Extractor on a tiny trained model', () => {
  it('finds the training sentences\' entities and relations with offsets, token spans and probabilities', async () => {
    const docs = await ex.extract(texts);
    assert.equal(docs.length, texts.length);
    docs.forEach((doc, i) => {
      const s = train[i];
      const gold = {
        entities: s.entities.map((e) => `${texts[i].slice(s.tokens[e.start].start, s.tokens[e.end - 1].end)}/${e.type}`),
        relations: s.relations.map((r) => {
          const [h, t] = [s.entities.find((e) => e.id === r.head)!, s.entities.find((e) => e.id === r.tail)!];
          const text = (e: typeof h) => texts[i].slice(s.tokens[e.start].start, s.tokens[e.end - 1].end);
          return r.type === 'Kin' && h.start > t.start ? `${text(t)} Kin ${text(h)}` : `${text(h)} ${r.type} ${text(t)}`;
        }),
      };
      assert.deepEqual(summary(doc), gold, texts[i]);
      assert.equal(doc.text, texts[i]);
      const tokens = doc.sentences.flatMap((x) => x.tokens);
      doc.entities.forEach((e, k) => {
        assert.equal(e.id, `T${k + 1}`);
        assert.equal(e.text, doc.text.slice(e.start, e.end));
        assert.equal(e.start, tokens[e.tokenStart][0]);
        assert.equal(e.end, tokens[e.tokenEnd - 1][1]);
        assert.equal(e.sentence, 0);
        // Products of argmax tag probabilities, each above uniform over the 13 tags (relations: 7 labels).
        assert.ok(e.score > (1 / 13) ** (e.tokenEnd - e.tokenStart) && e.score <= 1, `entity score ${e.score}`);
      });
      for (const r of doc.relations) assert.ok(r.score > 1 / 7 && r.score <= 1, `relation score ${r.score}`);
    });
  });

  it('takes one string or many; empty and blank texts give empty documents', async () => {
    const one = await ex.extract(texts[0]);
    assert.ok(!Array.isArray(one), '!Array.isArray(one)');
    assert.deepEqual(one, (await ex.extract([texts[0]]))[0]);
    assert.deepEqual(await ex.extract(''), { text: '', sentences: [], entities: [], relations: [] });
    const many = await ex.extract(['', ' \n\t ', texts[1]]);
    assert.deepEqual(many.map((d) => d.sentences.length), [0, 0, 1]);
    assert.deepEqual(await ex.extract([]), []);
  });

  it('keeps UTF-16 offsets after emoji, combining marks and control characters; several sentences', async () => {
    const prefix = '😀🇫🇷 e\u0301\u0007\u0000 \u200b. ';
    const text = `${prefix}${texts[0]}\n\n${texts[1]}`;
    const doc = await ex.extract(text);
    const plain = await ex.extract(texts[0]);
    assert.ok(doc.sentences.length >= 2, 'doc.sentences.length >= 2');
    const shifted = plain.entities.map((e) => [e.start + prefix.length, e.end + prefix.length, e.type]);
    // The prefix is a sentence of its own (the tiny model may tag its odd tokens); the next one is texts[0].
    const after = doc.entities.filter((e) => e.start >= prefix.length).slice(0, plain.entities.length);
    assert.deepEqual(after.map((e) => [e.start, e.end, e.type]), shifted);
    for (const e of doc.entities) assert.equal(text.slice(e.start, e.end), e.text);
    const last = doc.entities[doc.entities.length - 1];
    assert.equal(last.sentence, doc.sentences.length - 1);
  });

  it('handles 1 MB of text without sentence punctuation in bounded sentences', async () => {
    const unit = `${'the quick brown fox jumps over the lazy dog '.repeat(5)}Dan works for Acme Corp `;
    const text = unit.repeat(Math.ceil(1_000_000 / unit.length));
    const t0 = performance.now();
    const doc = await ex.extract(text);
    const ms = performance.now() - t0;
    const tokens = doc.sentences.reduce((n, s) => n + s.tokens.length, 0);
    assert.equal(tokens, (text.length / unit.length) * 50);
    assert.ok(doc.sentences.every((s) => s.tokens.length <= 100), 'doc.sentences.every((s) => s.tokens.length <= 100)');
    assert.ok(doc.entities.filter((e) => e.text === 'Acme Corp').length > 1000, `${doc.entities.length} entities`);
    for (const e of doc.entities) assert.equal(text.slice(e.start, e.end), e.text);
    console.log(`1 MB, ${doc.sentences.length} sentences: ${ms.toFixed(0)} ms`);
  });

  it('splits a text in time slices: the event loop gets turns meanwhile, and an abort stops the call before the model', async () => {
    // The tokenizer asks ICU about 200,000 of the junctions of this text: about a second, which held a
    // server's event loop (review 12b H2: no other request, no time limit, nothing ran meanwhile).
    const slow = `Ann met Bob. ${'\u0600.'.repeat(200_000)}`;
    // Everything on this thread (no workers, one libtorch thread), so that the process's CPU time between
    // two turns is this thread's: the time it held the loop, whatever other processes do (cpu-clock.ts).
    const solo = await Extractor.load(dir, { workers: 0, threads: 1 });
    const clock = stopwatch();
    const watch = watchTurns(2);
    const doc = await solo.extract(slow).finally(() => watch.stop());
    const { turns, longestMs, longestWallMs } = watch.stop();
    assert.equal(doc.text, slow);
    assert.ok(
      turns >= 5 && longestMs < 300,
      `${turns} turns of the event loop in ${clock.ms().toFixed(0)} ms, the longest wait ${longestMs.toFixed(0)} ms (${longestWallMs.toFixed(0)} ms of wall time)`,
    );
    const stop = new AbortController();
    const reason = new Error('the client left');
    setTimeout(() => stop.abort(reason), 30);
    const aborted = stopwatch();
    await assert.rejects(solo.extract(slow, {}, { signal: stop.signal }), (e) => e === reason);
    assert.ok(aborted.ms() < 500, `stopped after ${aborted.ms().toFixed(0)} ms (${aborted.wallMs().toFixed(0)} ms of wall time)`);
  });

  it('newlines: "line" ends a sentence at every line break, so no relation joins two lines', async () => {
    const text = 'Dan works for\nAcme Corp';
    const wrapped = await ex.extract(text);
    assert.equal(wrapped.sentences.length, 1);
    assert.deepEqual(summary(wrapped).relations, ['Dan Work_For Acme Corp']);
    const lines = await ex.extract(text, { newlines: 'line' });
    assert.deepEqual(lines.sentences.map((s) => text.slice(s.start, s.end)), ['Dan works for', 'Acme Corp']);
    assert.deepEqual(lines.relations, []);
    assert.equal((await ex.extract('Dan works for\n\nAcme Corp')).sentences.length, 2);
    assert.equal((await ex.extract('Dan works for\n\nAcme Corp', { newlines: 'none' })).sentences.length, 1);
    assert.match(await userError(() => ex.extract('x', { newlines: 'lines' as never })), /^newlines: must be "paragraph", "line" or "none", got "lines"$/);
    assert.match(await userError(() => ex.extract('x', { newlines: null } as never)), /^newlines: must be .*got null$/);
  });

  it('marks a sentence cut at 100 tokens ("cut": true), and it stays marked where given entities move the cut', async () => {
    const words = (n: number) => Array.from({ length: n }, () => 'the').join(' ');
    const text = `${words(96)} Dan works for Acme Corp ${words(30)}`;
    const doc = await ex.extract(text);
    // Cut before `Acme`, not inside `Acme Corp` (was cut after exactly 100 tokens, between the two).
    assert.deepEqual(doc.sentences.map((s) => [s.tokens.length, s.cut]), [[99, true], [32, undefined]]);
    assert.deepEqual(JSON.parse(JSON.stringify(doc)).sentences.map((s: object) => 'cut' in s), [true, false]);
    // A given span over the cut (`for Acme`) moves it to the span's start: still a cut.
    const start = text.indexOf('for Acme');
    const given = await ex.extract({ text, entities: [{ start, end: start + 8, type: 'ORG' }] });
    assert.deepEqual(given.sentences.map((s) => [s.tokens.length, s.cut]), [[98, true], [33, undefined]]);
    assert.equal((await ex.extract(texts[0])).sentences[0].cut, undefined);
  });

  it('relationThreshold keeps the relations at or above it', async () => {
    const all = (await ex.extract(texts)).flatMap((d) => d.relations.map((r) => r.score)).sort();
    const t = all[Math.floor(all.length / 2)];
    const kept = (await ex.extract(texts, { relationThreshold: t })).flatMap((d) => d.relations);
    assert.equal(kept.length, all.filter((s) => s >= t).length);
    assert.ok(kept.every((r) => r.score >= t), 'kept.every((r) => r.score >= t)');
    assert.equal((await ex.extract(texts, { relationThreshold: 1 })).flatMap((d) => d.relations.filter((r) => r.score < 1)).length, 0);
  });

  it('allowedTriples keeps the listed (head type, relation, tail type) only, symmetric types either way', async () => {
    const docs = await ex.extract(texts, { allowedTriples: [['PER', 'Work_For', 'ORG'], ['PER', 'Kin', 'PER']] });
    const types = new Set(docs.flatMap((d) => d.relations.map((r) => r.type)));
    assert.deepEqual([...types].sort(), ['Kin', 'Work_For']);
    assert.equal((await ex.extract(texts, { allowedTriples: [] })).flatMap((d) => d.relations).length, 0);
  });

  it('maxPairDistance drops pairs further apart (start of the right entity − last token of the left)', async () => {
    const doc = await ex.extract('Umbrella employs Alice in New York');
    assert.ok(doc.relations.length >= 2, 'doc.relations.length >= 2');
    const near = await ex.extract('Umbrella employs Alice in New York', { maxPairDistance: 2 });
    assert.ok(near.relations.length < doc.relations.length, 'near.relations.length < doc.relations.length');
    const pos = new Map(near.entities.map((e) => [e.id, e]));
    for (const r of near.relations) {
      const [a, b] = [pos.get(r.head)!, pos.get(r.tail)!].sort((x, y) => x.tokenStart - y.tokenStart);
      assert.ok(b.tokenStart - a.tokenEnd + 1 <= 2, 'b.tokenStart - a.tokenEnd + 1 <= 2');
    }
  });

  it('rejects bad options and inputs with a UserError naming the field', async () => {
    assert.match(await userError(() => ex.extract('x', { allowedTriples: [['Person', 'Work_For', 'ORG']] })), /^allowedTriples\[0\]: unknown entity type "Person" \(the model's entity types are PER, ORG, LOC\)$/);
    assert.match(await userError(() => ex.extract('x', { allowedTriples: [['PER', 'Works', 'ORG']] })), /unknown relation type "Works"/);
    assert.match(await userError(() => ex.extract('x', { allowedTriples: [['PER', 'Kin'] as never] })), /allowedTriples\[0\]: must be \[head type, relation, tail type\]/);
    assert.match(await userError(() => ex.extract('x', { relationThreshold: 2 })), /^relationThreshold: must be a number in \[0, 1\]/);
    assert.match(await userError(() => ex.extract('x', { maxPairDistance: 0 })), /^maxPairDistance: must be a positive integer/);
    assert.match(await userError(() => ex.extract(['a', 5 as never])), /^texts\[1\]: must be a string or an object \{text, entities\?\}, got 5$/);
    assert.match(await userError(() => ex.extract(null as never)), /^extract expects a string, a \{text, entities\?\} object or an array of them, got null$/);
  });

  it('rejects unknown option names and options that are not an object; NaN is named as such', async () => {
    assert.match(await userError(() => ex.extract('x', { threshold: 0.9 } as never)), /^options: unknown option "threshold" \(allowed: relationThreshold, allowedTriples, maxPairDistance, newlines\)$/);
    assert.match(await userError(() => ex.extract('x', 0.9 as never)), /^options: must be an object/);
    assert.match(await userError(() => ex.extract('x', [] as never)), /^options: must be an object .*got an array$/);
    assert.match(await userError(() => ex.extract('x', { relationThreshold: NaN })), /^relationThreshold: must be a number in \[0, 1\], got NaN$/);
    assert.match(await userError(() => ex.extract('x', { maxPairDistance: -Infinity })), /got -Infinity$/);
    // null is no number: refused, not read as the default.
    assert.match(await userError(() => ex.extract('x', { relationThreshold: null } as never)), /^relationThreshold: must be a number in \[0, 1\], got null$/);
    assert.match(await userError(() => ex.extract('x', { maxPairDistance: null } as never)), /^maxPairDistance: must be a positive integer \(tokens\), got null$/);
  });

  it('rejects misuse of the call control, load and fromModel with a UserError naming the argument', async () => {
    assert.match(await userError(() => ex.extract('x', {}, { signal: 'x' } as never)), /^signal: must be an AbortSignal .*got "x"$/);
    assert.match(await userError(() => ex.extract('x', {}, { signal: { aborted: false } } as never)), /^signal: must be an AbortSignal/);
    assert.match(await userError(() => ex.extract('x', {}, 'x' as never)), /^control: must be an object \{signal\}, got "x"$/);
    assert.match(await userError(() => ex.extract('x', {}, { relationThreshold: 0.5 } as never)), /^control: unknown option "relationThreshold" \(allowed: signal\)$/);
    // null is "none given", as for the extract options.
    assert.deepEqual(await ex.extract(texts[0], {}, null as never), await ex.extract(texts[0]));
    assert.deepEqual(await ex.extract(texts[0], null as never, { signal: new AbortController().signal }), await ex.extract(texts[0]));
    assert.match(await userError(() => Extractor.load(5 as never)), /^modelDir: must be a model directory \(a path or file: URL\) or an installed model package's name, got 5$/);
    assert.match(await userError(() => Extractor.load('')), /^modelDir: is empty: name a model directory or package \(or leave it out for the bundled model\)$/);
    assert.match(await userError(() => Extractor.load('file://host/x')), /^modelDir: must be a file: URL of a model directory, got "file:\/\/host\/x"/);
    // Read as paths, they would name something else: a relative file: URL (npm's file:../x), another scheme.
    for (const ref of ['file:../model', 'https://example.org/model'])
      assert.match(await userError(() => Extractor.load(ref)), new RegExp(`^modelDir: must be a path, a package name or a file:// URL, got "${ref.replace(/[.]/g, '\\.')}"$`));
    assert.match(await userError(() => Extractor.load({ workers: 0 } as never)), /^modelDir: .*got an object \{"workers":0\}$/);
    assert.match(await userError(() => Extractor.load(dir, 3 as never)), /^options: must be an object \{batchSize, threads, workers\}, got 3$/);
    assert.match(await userError(() => Extractor.load(dir, { worker: 0 } as never)), /^options: unknown option "worker" \(allowed: batchSize, threads, workers\)$/);
    assert.match(await userError(() => Extractor.fromModel(ex.model, ex.schema, {}, 'x' as never)), /^options: must be an object/);
    assert.match(await userError(() => Extractor.fromModel(ex.model, ex.schema, 7 as never)), /^meta: must be an object, got 7$/);
  });

  it('many concurrent calls do not warn of an AbortSignal listener leak', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      await Promise.all(Array.from({ length: 30 }, () => ex.extract(texts[0])));
      // One caller's signal shared by all of them, as a server's shutdown signal would be.
      const shared = new AbortController().signal;
      await Promise.all(Array.from({ length: 30 }, () => ex.extract(texts[0], {}, { signal: shared })));
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(warnings.filter((w) => w === 'MaxListenersExceededWarning'), []);
  });

  it('each Extractor extracts with its own thread count, though libtorch has one for the process', async () => {
    const [two, one] = [await Extractor.load(dir, { threads: 2, workers: 0 }), await Extractor.load(dir, { threads: 1, workers: 0 })];
    const seen: number[] = [];
    for (const ex of [two, one, two]) {
      const model = modelOf(ex.model);
      const predict = model.predict.bind(model);
      model.predict = (batch) => (seen.push(getNumThreads()), predict(batch));
      await ex.extract(texts[0]);
      model.predict = predict;
    }
    assert.deepEqual(seen, [2, 1, 2]);
    // The process's own count is back after each call (a training run in the process keeps its threads).
    const process = getNumThreads();
    setNumThreads(3);
    await one.extract(texts[0]);
    assert.equal(getNumThreads(), 3);
    setNumThreads(process);
    await Promise.all([two.close(), one.close()]);
  });

  it('info() reports the labels and what the model directory says about itself', () => {
    assert.deepEqual(ex.info(), {
      name: 'tiny', version: '9.9.9', entityTypes: ['PER', 'ORG', 'LOC'], relationTypes: SCHEMA.relationTypes,
      tokenizer: 'ptb', metrics: { train: 1 }, trainedOn: 'synthetic',
      checksum: createHash('sha256').update(readFileSync(join(dir, 'checksum'), 'utf8')).digest('hex'),
    });
  });

  it('a missing or corrupt model directory is a UserError naming the file', async () => {
    const tmp = tempDir('entrel-bad-model-');
    assert.match(await userError(() => Extractor.load(join(tmp, 'nope'))), /nope: model directory not found$/);
    // A directory that holds no model at all is not found, not a corrupt model.
    await assert.rejects(Extractor.load(tmp), (e: unknown) => isUserError(e) && e.code === 'ENTREL_MODEL_NOT_FOUND' && /config\.json: missing model file/.test(e.message));
    // As Node's fs takes them: a file: URL, as an object (`new URL('./model', import.meta.url)`) or a string.
    for (const url of [pathToFileURL(dir), pathToFileURL(dir).href]) assert.deepEqual((await Extractor.load(url, { workers: 0 })).info().name, 'tiny');
    // A file is not a model directory; one of the model's files names its directory.
    assert.match(await userError(() => Extractor.load(join(dir, 'config.json'))), new RegExp(`config\\.json: is a file, not a model directory: the model directory is ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    const copy = (name: string) => {
      const d = join(tmp, name);
      cpSync(dir, d, { recursive: true });
      return d;
    };
    const missing = copy('missing');
    rmSync(join(missing, 'vocab.json'));
    assert.match(await userError(() => Extractor.load(missing)), /missing[/\\]vocab\.json: missing model file/);
    const corrupt = copy('corrupt');
    const w = readFileSync(join(corrupt, 'weights.safetensors'));
    w[w.length - 3] ^= 0xff;
    writeFileSync(join(corrupt, 'weights.safetensors'), w);
    assert.match(await userError(() => Extractor.load(corrupt)), /corrupt[/\\]weights\.safetensors: checksum mismatch/);
    const notJson = copy('notjson');
    copyFileSync(join(notJson, 'weights.safetensors'), join(notJson, 'schema.json'));
    assert.match(await userError(() => Extractor.load(notJson)), /notjson[/\\]schema\.json: checksum mismatch/);
  });
});
