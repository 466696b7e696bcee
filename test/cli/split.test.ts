/** `entrel split`, run from source as users run the command: files written, summary, split.json, errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitPositions } from '../../src/data/split.js';
import { DATA, FIXTURES, ROOT, collect, counts, shape, tmp } from '../data/helpers.js';

const main = new URL('../../src/cli/main.ts', import.meta.url).href;

function entrel(...args: string[]) {
  const code = `import { run } from ${JSON.stringify(main)}; process.exitCode = await run(['node', 'entrel', ...process.argv.slice(1)]);`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const train04 = join(DATA, 'conll04', 'unified_two_are_better', 'train.CoNLL04.json');

test('CoNLL04 train splits into three files that hold every sentence once, as split.json records', async () => {
  const out = tmp();
  const r = entrel('split', train04, '--out', out, '--dev', '0.1', '--test', '100', '--seed', '5', '--json');
  assert.equal(r.code, 0, r.err);
  const summary = JSON.parse(r.out);
  assert.deepEqual(summary.parts.map((p: { part: string; documents: number }) => [p.part, p.documents]), [['train', 730], ['dev', 92], ['test', 100]]);
  const source = (await collect(train04)).docs;
  const record = JSON.parse(readFileSync(join(out, 'split.json'), 'utf8'));
  assert.equal(record.seed, 5);
  const positions: number[] = [];
  for (const part of ['train', 'dev', 'test']) {
    const { docs } = await collect(join(out, `${part}.json`));
    const p: number[] = record.parts[part].positions;
    assert.equal(docs.length, p.length);
    // Each written document is the source document at its recorded position, in corpus order.
    docs.forEach((d, k) => assert.deepEqual(shape(d), shape(source[p[k]]), `${part} ${k}`));
    assert.deepEqual(counts(docs).relations, summary.parts.find((s: { part: string }) => s.part === part).relations);
    positions.push(...p);
  }
  assert.deepEqual(positions.sort((a, b) => a - b), source.map((_, i) => i));
});

test('the same seed writes the same files; another seed another split', () => {
  const [a, b, c] = [tmp(), tmp(), tmp()];
  for (const [dir, seed] of [[a, '2'], [b, '2'], [c, '3']]) assert.equal(entrel('split', train04, '--out', dir, '--seed', seed, '--json').code, 0);
  const file = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
  assert.equal(file(a, 'dev.json'), file(b, 'dev.json'));
  assert.notEqual(file(a, 'dev.json'), file(c, 'dev.json'));
});

test('a brat directory splits into brat directories with the label schema; --to converts; --test 0 writes no test part', async () => {
  const out = tmp();
  const r = entrel('split', join(FIXTURES, 'brat', 'simple'), '--out', out, '--dev', '1', '--test', '0');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^part\s+documents\s+sentences\s+entities\s+relations\s+written to\n/);
  assert.deepEqual(readdirSync(out).sort(), ['dev', 'split.json', 'train']);
  assert.ok(existsSync(join(out, 'train', 'annotation.conf')), 'existsSync(join(out, \'train\', \'annotation.conf\'))');
  const [train, dev] = [(await collect(join(out, 'train'))).docs, (await collect(join(out, 'dev'))).docs];
  assert.equal(train.length + dev.length, 2);
  assert.equal(dev.length, 1);

  const jsonl = tmp();
  const json = entrel('split', join(FIXTURES, 'brat', 'simple'), '--out', jsonl, '--dev', '1', '--test', '0', '--to', 'jsonl', '--json');
  assert.equal(json.code, 0);
  // --json holds every warning on stderr, as stats --json does: reading the brat files', and label coverage.
  const codes = JSON.parse(json.out).warnings.map((w: { code: string }) => w.code);
  assert.ok(codes.includes('brat-discontinuous-entity-dropped') && codes.includes('type-not-in-train'), codes.join(' '));
  assert.deepEqual(readdirSync(jsonl).sort(), ['dev.jsonl', 'dev_types.json', 'split.json', 'train.jsonl', 'train_types.json']);
});

test('bad values and impossible splits are one-line errors naming the flag or file', () => {
  const out = tmp();
  const cases: [string[], RegExp][] = [
    [['--dev', 'abc'], /option '--dev <size>' argument 'abc' is invalid\. expected a fraction in \[0, 1\) or a count of documents/],
    [['--test', '2.5'], /argument '2\.5' is invalid\. expected a fraction in \[0, 1\) or a whole count of documents/],
    [['--seed', '1.5'], /option '--seed <n>' argument '1\.5' is invalid\. expected an integer/],
    [['--to', 'nyt'], /option '--to <format>' argument 'nyt' is invalid/],
    [['--dev', '900', '--test', '100'], /has 922 documents, too few for 900 dev and 100 test/],
    [['--dev', '0', '--test', '0'], /both 0: nothing to split off/],
  ];
  for (const [flags, message] of cases) {
    const r = entrel('split', train04, '--out', out, ...flags);
    assert.equal(r.code, 1, flags.join(' '));
    assert.match(r.err, message);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
  }
  // Refused before the corpus is read: no warnings of reading it come first.
  const nyt = entrel('split', join(DATA, 'nyt_cotype', 'test.json'), '--out', out);
  assert.equal(nyt.code, 1);
  assert.match(nyt.err, /^entrel: .*test\.json: entrel cannot write nyt, the input's format; name an output format with --to/);
  assert.equal(nyt.err.trim().split('\n').length, 1, nyt.err);
  // The corpus too small for the parts asked: the file is named.
  const one = join(tmp(), 'one.jsonl');
  writeFileSync(one, JSON.stringify({ id: 'a', text: 'A b', sentences: [{ tokens: [[0, 1], [2, 3]], entities: [], relations: [] }] }) + '\n');
  const small = entrel('split', one, '--out', out);
  assert.equal(small.code, 1);
  assert.equal(small.err, `entrel: ${one}: the corpus has 1 document, too few for 1 dev and 1 test and at least one for train (the split is by whole documents; give smaller --dev/--test)\n`);
  // The output directory holding the input: the input would be overwritten.
  const src = tmp();
  assert.equal(entrel('convert', '--to', 'unified', train04, join(src, 'train.json')).code, 0);
  const over = entrel('split', join(src, 'train.json'), '--out', src);
  assert.equal(over.code, 1);
  assert.match(over.err, /train\.json: the output is the input .*choose another output path/);
});

test('a split replaces the one before it in DIR: parts it does not write are removed, anything else kept', async () => {
  const out = tmp();
  assert.equal(entrel('split', train04, '--out', out, '--to', 'jsonl').code, 0);
  writeFileSync(join(out, 'notes.txt'), 'mine');
  // No test part now: the earlier test.jsonl (documents now in train) must not stay beside the new parts.
  const r = entrel('split', train04, '--out', out, '--to', 'jsonl', '--test', '0', '--seed', '2');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(readdirSync(out).sort(), ['dev.jsonl', 'dev_types.json', 'notes.txt', 'split.json', 'train.jsonl', 'train_types.json']);
  // split.json names each part's file within DIR, wherever the command ran.
  const record = JSON.parse(readFileSync(join(out, 'split.json'), 'utf8'));
  assert.deepEqual(Object.keys(record.parts), ['train', 'dev']);
  assert.equal(record.parts.train.file, 'train.jsonl');
  // Another format: the earlier jsonl parts go.
  assert.equal(entrel('split', train04, '--out', out, '--to', 'brat').code, 0);
  assert.deepEqual(readdirSync(out).sort(), ['dev', 'notes.txt', 'split.json', 'test', 'train']);
  // An earlier part read as this split's input stays.
  const again = entrel('split', join(out, 'test'), '--out', out, '--test', '0', '--dev', '5');
  assert.equal(again.code, 0, again.err);
  assert.deepEqual(readdirSync(out).sort(), ['dev', 'notes.txt', 'split.json', 'test', 'train']);
  assert.equal((await collect(join(out, 'test'))).docs.length, 92);
});

test('a split that fails half-way (or is interrupted) leaves the earlier one whole, and names outputs by their place in DIR', () => {
  const work = tmp();
  const corpus = join(work, 'corpus.jsonl');
  assert.equal(entrel('convert', '--from', 'unified', '--to', 'jsonl', train04, corpus).code, 0);
  const out = join(work, 'split');
  assert.equal(entrel('split', corpus, '--out', out, '--to', 'brat').code, 0);
  const snapshot = () => readdirSync(out, { recursive: true, encoding: 'utf8' }).sort().map((f) => [f, statSync(join(out, f)).isFile() ? readFileSync(join(out, f), 'utf8') : '']);
  const before = snapshot();
  // brat cannot hold a type with a space: give one to a test document, the part written last.
  const docs = readFileSync(corpus, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const { test: held } = splitPositions(docs.length, { dev: { fraction: 0.1 }, test: { fraction: 0.1 }, seed: 1 });
  docs[held[0]].sentences[0].entities[0].type = 'Two words';
  writeFileSync(corpus, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
  const r = entrel('split', corpus, '--out', out, '--to', 'brat');
  assert.equal(r.code, 1);
  assert.match(r.err, /Two words/);
  assert.doesNotMatch(r.err, /staging/);
  assert.deepEqual(snapshot(), before);
});

test('brat into brat: the parts are copies of the files, so attributes, notes, discontinuous and cross-sentence annotations stay (they were removed)', async () => {
  const src = join(tmp(), 'project');
  mkdirSync(join(src, 'sub'), { recursive: true });
  const ann = 'T1\tPeop 0 10\tJohn Smith\nT2\tOrg 21 24\tIBM\nR1\tWork_For Arg1:T1 Arg2:T2\nA1\tNegated T1\n#1\tAnnotatorNotes T2\tcheck this one\nT3\tLoc 28 31;32 36\tNew York\nT4\tLoc 28 36\tNew York\n';
  const docs = ['d1', 'd2', 'd3', 'd4'];
  for (const d of [...docs, 'sub/d5']) {
    writeFileSync(join(src, `${d}.txt`), 'John Smith works for IBM in New York. He left.\n');
    // R2 joins entities the sentence splitter puts in two sentences: not read, but kept in the part
    writeFileSync(join(src, `${d}.ann`), `${ann}T5\tPeop 38 40\tHe\nR2\tWork_For Arg1:T5 Arg2:T2\n`);
  }
  // the parts inside the collection: a natural layout (split data --out data/split)
  const out = join(src, 'parts');
  const r = entrel('split', src, '--out', out, '--dev', '1', '--test', '1', '--json');
  assert.equal(r.code, 0, r.err);
  const codes = JSON.parse(r.out).warnings.map((w: { code: string }) => w.code);
  assert.ok(['brat-attribute-dropped', 'brat-note-dropped', 'cross-sentence-relation-dropped', 'brat-subcollection-not-read'].every((c) => codes.includes(c)), codes.join(' '));
  const record = JSON.parse(readFileSync(join(out, 'split.json'), 'utf8'));
  const written = ['train', 'dev', 'test'].flatMap((p) => record.parts[p].ids.map((id: string) => [p, id]));
  assert.deepEqual(written.map(([, id]) => id).sort(), docs);
  for (const [part, id] of written)
    for (const ext of ['.ann', '.txt']) assert.equal(readFileSync(join(out, part, id + ext), 'utf8'), readFileSync(join(src, id + ext), 'utf8'), `${part}/${id}${ext}`);
  // read back, each part is the documents split.json names
  for (const p of ['train', 'dev', 'test']) assert.deepEqual((await collect(join(out, p))).docs.map((d) => d.id), record.parts[p].ids);
  // and a split again replaces them, of the same documents: its earlier parts are not read as more of them
  // (they were: the corpus grew on each run, and copies of train documents went to test)
  assert.equal(entrel('split', src, '--out', out, '--dev', '1', '--test', '1', '--seed', '2').code, 0);
  const again = JSON.parse(readFileSync(join(out, 'split.json'), 'utf8'));
  assert.deepEqual(['train', 'dev', 'test'].flatMap((p) => again.parts[p].ids).sort(), docs);
});

test('brat into brat with --ace05: each part, a copy of LSTM-ER\'s files, records the ACE05 layout and reads without --ace05 as the split read it (it read otherwise without a word)', async () => {
  const src = join(tmp(), 'ace');
  mkdirSync(src);
  const ace = join(FIXTURES, 'brat', 'ace05', 'CNN_TEST.split');
  for (const d of ['a', 'b', 'c']) for (const ext of ['.txt', '.ann']) writeFileSync(join(src, `${d}.split${ext}`), readFileSync(ace + ext));
  const out = join(tmp(), 'parts');
  const r = entrel('split', src, '--ace05', '--out', out, '--dev', '1', '--test', '1', '--json');
  assert.equal(r.code, 0, r.err);
  const summary = JSON.parse(r.out);
  // read without --ace05, each part is what the split reported
  for (const part of summary.parts) {
    const { docs, diagnostics } = await collect(join(out, part.part));
    assert.deepEqual([docs.length, docs.reduce((n, d) => n + d.sentences.length, 0)], [part.documents, part.sentences], part.part);
    // its header entity and the relation dropped with it, as with --ace05
    assert.deepEqual(diagnostics.summary(), (await collect(join(out, part.part), { ace05: true })).diagnostics.summary(), part.part);
  }
});
