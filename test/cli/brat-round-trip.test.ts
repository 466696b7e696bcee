/**
 * `extract --format brat` output, corrected in brat and used again, reads back as extract made it: the
 * bundled model's tokenizer (conll04) recorded in annotation.conf, entities over a line break written as
 * brat's fragments and read back whole, a text of spaces only skipped rather than written unreadable.
 * Runs the CLI in this process, with the bundled model.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { entrel } from './in-process.js';
import { tempDir } from '../temp-dir.js';
import { CHILD_LIMIT } from '../child-limit.js';

interface JsonlDoc {
  id: string;
  text: string;
  sentences: { tokens: [number, number][]; entities?: { start: number; end: number; type: string }[] }[];
  entities: { start: number; end: number; type: string }[];
  relations: unknown[];
}

const bin = fileURLToPath(new URL('../../bin/entrel.js', import.meta.url));
const readJsonl = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as JsonlDoc);
const tokens = (d: JsonlDoc) => d.sentences.map((s) => s.tokens.map(([a, b]) => d.text.slice(a, b)));

test('extract --format brat reads back with the sentences, tokens and entities extract made', async () => {
  const dir = tempDir('entrel-brat-trip-');
  const input = join(dir, 'in.jsonl');
  const text2 = 'Mary\nSmith of Acme Corp. paid $300 to IBM.';
  writeFileSync(input, [
    JSON.stringify('Mary Smith, who works for Acme Corp. in Boston, paid $300 to IBM and didn\'t leave.'),
    JSON.stringify({ text: text2, entities: [{ start: 0, end: 10, type: 'Peop' }, { start: 14, end: 24, type: 'Org' }] }),
    JSON.stringify('   '),
  ].join('\n') + '\n');
  const asJsonl = join(dir, 'out.jsonl');
  const asBrat = join(dir, 'out-brat');
  assert.equal((await entrel('extract', '--in', input, '--out', asJsonl)).code, 0);
  const written = await entrel('extract', '--in', input, '--out', asBrat, '--format', 'brat');
  assert.equal(written.code, 0, written.err);
  assert.match(written.err, /warning: line-3: a text of spaces only: not written to the brat output/);
  assert.match(readFileSync(join(asBrat, 'annotation.conf'), 'utf8'), /^# entrel layout: text, tokenizer conll04 /m);
  // the entity over the line break is brat's two fragments
  assert.match(readFileSync(join(asBrat, 'line-2.ann'), 'utf8'), /^T1\tPeop 0 4;5 10\tMary Smith$/m);

  const back = join(dir, 'back.jsonl');
  const converted = await entrel('convert', '--from', 'brat', '--to', 'jsonl', asBrat, back);
  assert.equal(converted.code, 0, converted.err);
  assert.doesNotMatch(converted.err, /warning/);
  const extracted = readJsonl(asJsonl).filter((d) => d.text.trim() !== '');
  const read = readJsonl(back);
  assert.deepEqual(read.map(tokens), extracted.map(tokens)); // `$300`, `didn 't`: conll04's, not ptb's
  assert.ok(tokens(read[0]).flat().includes('$300'), 'tokens(read[0]).flat().includes(\'$300\')');
  const spans = (d: JsonlDoc) => d.entities.map((e) => `${e.start}-${e.end}:${e.type}`).sort();
  const readSpans = (d: JsonlDoc) =>
    d.sentences.flatMap((s) => (s.entities ?? []).map((e) => `${s.tokens[e.start][0]}-${s.tokens[e.end - 1][1]}:${e.type}`)).sort();
  assert.deepEqual(read.map(readSpans), extracted.map(spans));
  assert.ok(readSpans(read[1]).includes('0-10:Peop'), 'readSpans(read[1]).includes(\'0-10:Peop\')');
});

test('extract --format labelstudio|doccano: the tools\' imports, which read back (once annotated) as extract made them', async () => {
  const dir = tempDir('entrel-tools-trip-');
  const input = join(dir, 'in.jsonl');
  writeFileSync(input, [
    JSON.stringify('😀 Mary Smith, who works for Acme Corp. in Boston, paid $300 to IBM.'),
    JSON.stringify('John Wilkes Booth, who assassinated President Lincoln, was an actor.'),
    JSON.stringify(' '),
  ].join('\n') + '\n');
  const asJsonl = join(dir, 'out.jsonl');
  assert.equal((await entrel('extract', '--in', input, '--out', asJsonl)).code, 0);
  const extracted = readJsonl(asJsonl).filter((d) => d.text.trim() !== '');
  const want = extracted.map((d) => d.entities.map((e) => `${d.text.slice(e.start, e.end)}:${e.type}`).sort());
  assert.ok(want[0].length >= 3 && extracted[0].relations.length >= 1, JSON.stringify(extracted[0]));

  // The labelling config beside it is an output too: never written over the input.
  const sidecar = join(dir, 'notes.label-config.xml');
  writeFileSync(sidecar, 'Bob lives in Rome.\n');
  const over = await entrel('extract', '--in', sidecar, '--out', join(dir, 'notes.json'), '--format', 'labelstudio');
  assert.equal(over.code, 1);
  assert.equal(readFileSync(sidecar, 'utf8'), 'Bob lives in Rome.\n');
  const ls = join(dir, 'pre.json');
  const wrote = await entrel('extract', '--in', input, '--out', ls, '--format', 'labelstudio');
  assert.equal(wrote.code, 0, wrote.err);
  assert.match(wrote.err, /line-3: a text of spaces only: not written to the labelstudio output/);
  type Task = { data: { text: string; id: string }; predictions?: { model_version: string; score: number; result: { value?: { start: number; end: number; text: string }; score: number }[] }[]; annotations?: unknown[] };
  const tasks = JSON.parse(readFileSync(ls, 'utf8')) as Task[];
  assert.match(readFileSync(join(dir, 'pre.label-config.xml'), 'utf8'), /<Relation value="Work_For"\/>[\s\S]*<Label value="Peop"\/>[\s\S]*<Text name="text" value="\$text"\/>/);
  assert.equal(tasks.length, 2);
  const [p] = tasks[0].predictions!;
  assert.match(p.model_version, /conll04/i);
  assert.ok(p.score > 0 && p.score <= 1 && p.result.every((r) => r.score > 0 && r.score <= 1), 'p.score > 0 && p.score <= 1 && p.result.every((r) => r.score > 0 && r.score <= 1)');
  // code points: after the emoji, each region's offsets slice its text out of the text as Python counts it
  const cps = [...tasks[0].data.text];
  for (const r of p.result) if (r.value) assert.equal(cps.slice(r.value.start, r.value.end).join(''), r.value.text);
  // As predictions they are no annotation: read, they are dropped and counted, saying how to read them.
  const unread = join(dir, 'unread.jsonl');
  const c = await entrel('convert', '--from', 'labelstudio', '--to', 'jsonl', ls, unread);
  assert.match(c.err, /labelstudio-task-with-only-predictions-dropped ×2 \(e\.g\. .*\(a model's predictions are read with --ls-results predictions: stats, convert, view, evaluate, compare, vote\)/);
  // Read as predictions, they are what extract made.
  const predicted = join(dir, 'predicted.jsonl');
  const asPredictions = await entrel('convert', '--from', 'labelstudio', '--to', 'jsonl', '--ls-results', 'predictions', ls, predicted);
  assert.equal(asPredictions.code, 0, asPredictions.err);
  const entitiesOf = (docs: ReturnType<typeof readJsonl>) =>
    docs.map((d) => d.sentences.flatMap((s) => (s.entities ?? []).map((e) => `${d.text.slice(s.tokens[e.start][0], s.tokens[e.end - 1][1])}:${e.type}`)).sort());
  assert.deepEqual(entitiesOf(readJsonl(predicted)), want);
  // An annotator deletes the first region of the first task: its predictions score against the correction.
  const corrected = join(dir, 'corrected.json');
  const results = tasks[0].predictions![0].result as { id?: string; from_id?: string; to_id?: string }[];
  const removed = results[0];
  const kept = results.filter((r) => r !== removed && r.from_id !== removed.id && r.to_id !== removed.id);
  const lostRelations = results.length - 1 - kept.length;
  writeFileSync(corrected, JSON.stringify(tasks.map((t, i) => ({ ...t, annotations: [{ result: i === 0 ? kept : t.predictions![0].result }] }))));
  const reportFile = join(dir, 'report.json');
  const scored = spawnSync(process.execPath, [bin, 'evaluate', '--gold', corrected, '--pred', corrected, '--ls-results', 'predictions', '--out', reportFile], { ...CHILD_LIMIT, encoding: 'utf8' });
  assert.equal(scored.status, 0, scored.stderr);
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  assert.deepEqual([report.entities.micro.fp, report.entities.micro.fn], [1, 0]);
  assert.deepEqual([report.relations.strict.micro.fp, report.relations.strict.micro.fn], [lostRelations, 0]);
  // Partly annotated, as a pre-annotated project is while annotators work: task 2 not annotated yet, and a
  // third task annotated from scratch: scored on the first, the others counted.
  const partial = join(dir, 'partial.json');
  const third = { data: { text: 'Ann visited Rome.', id: 'extra' }, annotations: [{ result: [] }] };
  writeFileSync(partial, JSON.stringify([{ ...tasks[0], annotations: [{ result: kept }] }, tasks[1], third]));
  const partialFile = join(dir, 'partial-report.json');
  const mixed = spawnSync(process.execPath, [bin, 'evaluate', '--gold', partial, '--pred', partial, '--ls-results', 'predictions', '--out', partialFile], { ...CHILD_LIMIT, encoding: 'utf8' });
  assert.equal(mixed.status, 0, mixed.stderr);
  assert.deepEqual(JSON.parse(readFileSync(partialFile, 'utf8')).entities.micro.fp, 1);
  assert.match(mixed.stderr, /labelstudio-prediction-not-annotated-not-scored ×1/);
  assert.match(mixed.stderr, /labelstudio-annotation-without-prediction-not-scored ×1 \(e\.g\. task "extra"\)/);
  assert.doesNotMatch(mixed.stderr, /--ls-results predictions/, 'no hint to give the flag given');
  for (const [args, message] of [
    [['evaluate', '--data', corrected, '--ls-results', 'predictions'], /--ls-results says how to read --pred; --data is annotated data/],
    [['stats', asJsonl, '--ls-results', 'predictions'], /is read as jsonl/],
    [['evaluate', '--gold', corrected, '--pred', predicted, '--ls-results', 'predictions'], /no predictions file here is one \(.*predicted\.jsonl\)/],
  ] as [string[], RegExp][]) {
    const r = await entrel(...args);
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, message);
  }
  // Accepted as they are by an annotator, they read back as extract made them.
  const accepted = join(dir, 'accepted.json');
  writeFileSync(accepted, JSON.stringify(tasks.map((t) => ({ ...t, annotations: [{ result: t.predictions![0].result }], predictions: [] }))));
  const doccano = join(dir, 'pre-doccano.jsonl');
  assert.equal((await entrel('extract', '--in', input, '--out', doccano, '--format', 'doccano')).code, 0);
  for (const [file, from] of [[accepted, 'labelstudio'], [doccano, 'doccano']]) {
    const back = join(dir, `back-${from}.jsonl`);
    const r = await entrel('convert', '--from', from, '--to', 'jsonl', file, back);
    assert.equal(r.code, 0, r.err);
    const read = readJsonl(back);
    const got = read.map((d) => d.sentences.flatMap((s) => (s.entities ?? []).map((e) => `${d.text.slice(s.tokens[e.start][0], s.tokens[e.end - 1][1])}:${e.type}`)).sort());
    assert.deepEqual(got, want, from);
    assert.equal(read.reduce((n, d) => n + d.sentences.reduce((m, s) => m + ((s as { relations?: unknown[] }).relations?.length ?? 0), 0), 0), extracted.reduce((n, d) => n + d.relations.length, 0), from);
  }
});

test('split writes doccano and Label Studio parts under their names, sidecars included, and replaces them', async () => {
  const dir = tempDir('entrel-split-tools-');
  const source = join(dir, 'all.jsonl');
  writeFileSync(source, Array.from({ length: 10 }, (_, i) => JSON.stringify({ id: i, text: `Ann${i} works for Acme.`, entities: [{ id: 1, label: 'PER', start_offset: 0, end_offset: `Ann${i}`.length }] })).join('\n') + '\n');
  for (const [to, names] of [['doccano', ['dev.jsonl', 'split.json', 'test.jsonl', 'train.jsonl']], ['labelstudio', ['dev.json', 'dev.label-config.xml', 'split.json', 'test.json', 'test.label-config.xml', 'train.json', 'train.label-config.xml']]] as const) {
    const out = join(dir, `parts-${to}`);
    for (const seed of ['1', '2']) {
      const r = await entrel('split', source, '--out', out, '--to', to, '--seed', seed, '--dev', '2', '--test', '2');
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(readdirSync(out).sort(), [...names], `${to} seed ${seed}`);
    }
  }
});
