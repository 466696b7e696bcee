/** The `entrel` command as users run it (the built bin/entrel.js): outputs and exit codes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../temp-dir.js';
import { CHILD_LIMIT } from '../child-limit.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'entrel.js');
const test04 = join(root, '..', 'shared', 'data', 'conll04', 'unified_two_are_better', 'test.CoNLL04.json');

function entrel(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { ...CHILD_LIMIT, cwd: root, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('every command has --help and exits 0', () => {
  for (const c of ['stats', 'convert', 'split', 'evaluate', 'compare', 'train', 'predict', 'extract', 'serve', 'view', 'info', 'vote', 'calibrate']) {
    const r = entrel(c, '--help');
    assert.equal(r.code, 0, c);
    assert.match(r.out, new RegExp(`Usage: entrel ${c}`));
  }
});

test('stats --json counts the CoNLL04 test split', () => {
  const r = entrel('stats', test04, '--json');
  assert.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  assert.equal(s.format, 'unified');
  assert.equal(s.sentences, 288);
});

test('convert to jsonl, then evaluate gold against itself and a perturbed copy', () => {
  const dir = tempDir('entrel-cli-');
  const out = join(dir, 'test.jsonl');
  assert.equal(entrel('convert', '--from', 'unified', '--to', 'jsonl', test04, out).code, 0);
  const same = JSON.parse(entrel('evaluate', '--gold', test04, '--pred', out, '--json').out);
  assert.equal(same.entities.micro.f1, 1);
  assert.equal(same.relations.strict.micro.f1, 1);
  assert.equal(same.relations.boundaries.micro.f1, 1);

  // Drop every relation of the first document: only relation recall may fall.
  const lines = readLines(out);
  const first = JSON.parse(lines[0]);
  const dropped = first.sentences.reduce((n: number, s: { relations: unknown[] }) => n + s.relations.length, 0);
  for (const s of first.sentences) s.relations = [];
  const pert = join(dir, 'pert.jsonl');
  writeFileSync(pert, [JSON.stringify(first), ...lines.slice(1)].join('\n') + '\n');
  const r = JSON.parse(entrel('evaluate', '--gold', test04, '--pred', pert, '--json').out);
  assert.ok(dropped > 0, 'dropped > 0');
  assert.equal(r.relations.strict.micro.fn, dropped);
  assert.equal(r.relations.strict.micro.fp, 0);
  assert.equal(r.entities.micro.f1, 1);
});

function readLines(file: string): string[] {
  return readFileSync(file, 'utf8').trim().split('\n');
}

test('bad input is one line on stderr with exit 1; unknown options exit 1', () => {
  const dir = tempDir('entrel-cli-');
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '[{"tokens": ["a"], "entities": [[0, 3, "X"]], "relations": []}]');
  const r = entrel('stats', bad);
  assert.equal(r.code, 1);
  assert.equal(r.err.trim().split('\n').length, 1);
  assert.match(r.err, /bad\.json record 1: entities\[0\]/);
  assert.equal(entrel('stats', join(dir, 'missing.json')).code, 1);
  assert.equal(entrel('stats', bad, '--no-such-flag').code, 1);
  // Usage errors are one `entrel:` line too, naming where to look.
  const usage = entrel('train', '--config', bad, '--out', dir, '--seed', '3');
  assert.equal(usage.code, 1);
  assert.equal(usage.err.trim().split('\n').length, 1, usage.err);
  assert.match(usage.err, /^entrel: unknown option '--seed'.*--set seed=… \(see entrel train --help\)$/m);
  // A name close to none (commander suggests `vote` for 'nope').
  assert.match(entrel('xyzzy').err, /^entrel: unknown command 'xyzzy' \(see entrel --help\)\n$/);
  assert.equal(entrel('evaluate', '--gold', bad).code, 1);
});

test('an output that is an input (or the types file it came with) is refused before anything is written', () => {
  const dir = tempDir('entrel-cli-');
  const spert = join(dir, 'proto.json');
  const types = join(dir, 'proto_types.json');
  const typesText = JSON.stringify({ entities: { Peop: { short: 'P', verbose: 'Person' } }, relations: {} });
  writeFileSync(spert, JSON.stringify([{ tokens: ['John', 'sleeps'], entities: [{ type: 'Peop', start: 0, end: 1 }], relations: [] }]));
  writeFileSync(types, typesText);
  const jsonl = join(dir, 'proto.jsonl'); // its types file would be proto_types.json, the input's
  const r = entrel('convert', spert, jsonl, '--from', 'spert', '--to', 'jsonl', '--types', types);
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /proto_types\.json: the output is the input .*proto_types\.json; choose another output path/);
  assert.equal(readFileSync(types, 'utf8'), typesText);

  const converted = entrel('convert', spert, join(dir, 'other.jsonl'), '--from', 'spert', '--to', 'jsonl');
  assert.equal(converted.code, 0);
  assert.match(converted.err, /wrote 1 document \(1 sentence\) to /);
  const before = readFileSync(join(dir, 'other.jsonl'), 'utf8');
  const p = entrel('predict', '--model', join(root, 'models', 'conll04'), '--data', join(dir, 'other.jsonl'), '--out', join(dir, 'other.jsonl'));
  assert.equal(p.code, 1, p.err);
  assert.match(p.err, /other\.jsonl: the output is the input/);
  assert.equal(readFileSync(join(dir, 'other.jsonl'), 'utf8'), before);

  const e = entrel('evaluate', '--gold', spert, '--pred', spert, '--out', spert);
  assert.equal(e.code, 1, e.err);
  assert.match(e.err, /proto\.json: the output is the input/);
});

test('predict without --model runs the bundled model, as evaluate and extract do', () => {
  const dir = tempDir('entrel-cli-');
  const data = join(root, 'test', 'fixtures', 'view', 'gold.jsonl');
  const bundled = entrel('predict', '--data', data, '--out', join(dir, 'a.jsonl'));
  assert.equal(bundled.code, 0, bundled.err);
  assert.equal(entrel('predict', '--model', join(root, 'models', 'conll04'), '--data', data, '--out', join(dir, 'b.jsonl')).code, 0);
  assert.equal(readFileSync(join(dir, 'a.jsonl'), 'utf8'), readFileSync(join(dir, 'b.jsonl'), 'utf8'));
});

test('predict --to writes any writable format, scored as the JSONL predictions are; what it cannot hold is warned about', () => {
  const dir = tempDir('entrel-cli-');
  const data = join(root, 'test', 'fixtures', 'view', 'gold.jsonl');
  assert.equal(entrel('predict', '--data', data, '--out', join(dir, 'p.jsonl')).code, 0);
  const brat = entrel('predict', '--data', data, '--out', join(dir, 'brat'), '--to', 'brat');
  assert.equal(brat.code, 0, brat.err);
  assert.match(brat.err, /wrote predictions to .*brat as brat/);
  assert.match(readFileSync(join(dir, 'brat', 'annotation.conf'), 'utf8'), /^Work_For\tArg1:<ENTITY>, Arg2:<ENTITY>$/m);
  // unified holds one sentence a record and no ids: the loss is reported.
  const unified = entrel('predict', '--data', data, '--out', join(dir, 'p.json'), '--to', 'unified');
  assert.equal(unified.code, 0, unified.err);
  assert.match(unified.err, /p\.json: warning: document-id-not-kept/);
  assert.match(unified.err, /p\.json: warning: document-split-into-sentences/);
  assert.equal(entrel('predict', '--data', data, '--out', join(dir, 'p.dygie.jsonl'), '--to', 'dygie').code, 0);
  const scored = (pred: string) => JSON.parse(entrel('evaluate', '--gold', data, '--pred', pred, '--json').out);
  const expected = scored(join(dir, 'p.jsonl'));
  assert.ok(expected.entities.micro.tp > 0 && expected.relations.strict.micro.tp > 0, 'expected.entities.micro.tp > 0 && expected.relations.strict.micro.tp > 0');
  for (const pred of [join(dir, 'brat'), join(dir, 'p.dygie.jsonl')]) {
    const r = scored(pred);
    assert.deepEqual([r.entities.micro, r.relations.strict.micro], [expected.entities.micro, expected.relations.strict.micro], pred);
  }
  const bad = entrel('predict', '--data', data, '--out', join(dir, 'x'), '--to', 'nyt');
  assert.equal(bad.code, 1);
  assert.match(bad.err, /option '--to <format>' argument 'nyt' is invalid\. Allowed choices are jsonl, /);
});

test('predict with several models writes their majority vote; a copy of the same model gives its own predictions; one directory twice is refused', () => {
  const dir = tempDir('entrel-cli-');
  const data = join(root, 'test', 'fixtures', 'view', 'gold.jsonl');
  const bundled = join(root, 'models', 'conll04');
  const copy = join(dir, 'copy');
  cpSync(bundled, copy, { recursive: true });
  for (const command of ['predict', 'evaluate']) {
    const twice = entrel(command, '--model', bundled, '--model', bundled, '--data', data, ...(command === 'predict' ? ['--out', join(dir, 'x.jsonl')] : []));
    assert.equal(twice.code, 1, twice.err);
    assert.match(twice.err, /^entrel: --model .*conll04: the same model directory as --model .*conll04; /);
  }
  assert.equal(entrel('predict', '--data', data, '--out', join(dir, 'one.jsonl')).code, 0);
  const two = entrel('predict', '--model', bundled, '--model', copy, '--data', data, '--out', join(dir, 'two.jsonl'));
  assert.equal(two.code, 0, two.err);
  assert.match(two.err, /^entrel: warning: \S*copy has the same weights as \S*conll04 \(a copy\?\): the vote counts that model twice\n/);
  assert.equal(readFileSync(join(dir, 'two.jsonl'), 'utf8'), readFileSync(join(dir, 'one.jsonl'), 'utf8'));
  // One vote of two keeps the union: here the same.
  assert.equal(entrel('predict', '--model', bundled, '--model', copy, '--min-votes', '1', '--data', data, '--out', join(dir, 'u.jsonl')).code, 0);
  assert.equal(readFileSync(join(dir, 'u.jsonl'), 'utf8'), readFileSync(join(dir, 'one.jsonl'), 'utf8'));
  const alone = entrel('predict', '--model', bundled, '--min-votes', '1', '--data', data, '--out', join(dir, 'x.jsonl'));
  assert.equal(alone.code, 1);
  assert.match(alone.err, /--min-votes needs several models/);
  const tooMany = entrel('predict', '--model', bundled, '--model', copy, '--min-votes', '3', '--data', data, '--out', join(dir, 'x.jsonl'));
  assert.equal(tooMany.code, 1);
  assert.equal(tooMany.err, 'entrel: --min-votes 3: there are only 2 models\n');
  // evaluate --data scores the same vote.
  const score = (...models: string[]) => JSON.parse(entrel('evaluate', ...models.flatMap((m) => ['--model', m]), '--data', data, '--json').out);
  assert.deepEqual(score(bundled, copy).relations.strict.micro, score(bundled).relations.strict.micro);
  const e = entrel('evaluate', '--model', bundled, '--min-votes', '1', '--data', data);
  assert.equal(e.code, 1);
  assert.match(e.err, /--min-votes needs several models/);
  const over = entrel('evaluate', '--model', bundled, '--model', copy, '--min-votes', '3', '--data', data);
  assert.equal(over.code, 1);
  assert.equal(over.err, 'entrel: --min-votes 3: there are only 2 models\n');
});

test('evaluate --data --thresholds: strict relation scores at each relation threshold, as extraction would keep them', () => {
  const data = join(root, 'test', 'fixtures', 'view', 'gold.jsonl');
  const r = entrel('evaluate', '--data', data, '--thresholds', '0,0.5,0.999', '--json');
  assert.equal(r.code, 0, r.err);
  const json = JSON.parse(r.out);
  assert.deepEqual(json.thresholds.map((t: { threshold: number }) => t.threshold), [0, 0.5, 0.999]);
  // Threshold 0 keeps every predicted relation: the report's own scores.
  const all = json.thresholds[0];
  assert.deepEqual([all.p, all.r, all.f1], [json.relations.strict.micro.p, json.relations.strict.micro.r, json.relations.strict.micro.f1]);
  assert.equal(all.relations, json.relations.strict.micro.tp + json.relations.strict.micro.fp);
  assert.ok(json.thresholds[2].relations < all.relations, 'json.thresholds[2].relations < all.relations');
  // --calibration: every predicted item in one bin, as many right as strict scoring counts.
  const cal = JSON.parse(entrel('evaluate', '--data', data, '--calibration', '--json').out).calibration;
  const sum = (bins: { items: number; precision: number }[], f: (b: { items: number; precision: number }) => number) => bins.reduce((a, b) => a + f(b), 0);
  assert.equal(sum(cal.relations.bins, (b) => b.items), all.relations);
  assert.equal(Math.round(sum(cal.relations.bins, (b) => b.items * b.precision)), json.relations.strict.micro.tp);
  assert.equal(Math.round(sum(cal.entities.bins, (b) => b.items * b.precision)), json.entities.micro.tp);
  assert.ok(cal.relations.ece >= 0 && cal.relations.ece <= 1, 'cal.relations.ece >= 0 && cal.relations.ece <= 1');
  const text = entrel('evaluate', '--data', data, '--thresholds');
  assert.match(text.out, /^Relation threshold \(strict relations;/m);
  assert.match(text.out, /^0\.90 +\d+ /m);
  const cases: [string[], RegExp][] = [
    [['evaluate', '--gold', data, '--pred', data, '--thresholds'], /--thresholds needs --data/],
    [['evaluate', '--data', data, '--model', join(root, 'models', 'conll04'), '--model', join(root, 'test', 'fixtures', 'no-such-model'), '--thresholds'], /--thresholds needs one --model/],
    [['evaluate', '--data', data, '--thresholds', '0.5,2'], /--thresholds.*expected comma-separated thresholds in \[0, 1\]/],
    [['evaluate', '--gold', data, '--pred', data, '--calibration'], /--calibration needs --data/],
  ];
  for (const [args, message] of cases) {
    const bad = entrel(...args);
    assert.equal(bad.code, 1, args.join(' '));
    assert.match(bad.err, message);
  }
});

test('calibrate writes the model with score maps: the same predictions, other scores; an output over the model is refused', async () => {
  const dir = tempDir('entrel-cli-');
  const data = join(root, 'test', 'fixtures', 'view', 'gold.jsonl');
  const bundled = join(root, 'models', 'conll04');
  const out = join(dir, 'calibrated');
  const r = entrel('calibrate', '--data', data, '--out', out, '--json');
  assert.equal(r.code, 0, r.err);
  const fit = JSON.parse(r.out);
  assert.ok(fit.maps.relations.x.length >= 1 && fit.after.relations.ece <= fit.before.relations.ece, 'fit.maps.relations.x.length >= 1 && fit.after.relations.ece <= fit.before.relations.ece');
  const meta = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).meta;
  assert.deepEqual(meta.calibration.relations, fit.maps.relations);
  assert.equal(meta.calibration.fittedOn, 'gold.jsonl');
  assert.deepEqual(JSON.parse(entrel('info', '--model', out, '--json').out).calibration, { fittedOn: 'gold.jsonl' });
  assert.equal(JSON.parse(entrel('info', '--json').out).calibration, null);
  // The same predictions, scored the same by evaluate; the scores themselves are the mapped ones.
  const scored = (model: string) => JSON.parse(entrel('evaluate', '--model', model, '--data', data, '--json', '--calibration').out);
  const [a, b] = [scored(bundled), scored(out)];
  assert.deepEqual(b.relations.strict.micro, a.relations.strict.micro);
  assert.deepEqual(b.entities.micro, a.entities.micro);
  assert.notDeepEqual(b.calibration.relations.bins, a.calibration.relations.bins);
  const { Extractor } = await import('../../src/extract/index.js');
  const [ea, eb] = [await Extractor.load(bundled, { workers: 0 }), await Extractor.load(out, { workers: 0 })];
  try {
    const text = 'Mary Smith works for Acme Corp in Boston.';
    const [da, db] = [await ea.extract(text), await eb.extract(text)];
    assert.deepEqual(db.entities.map((e) => [e.text, e.type]), da.entities.map((e) => [e.text, e.type]));
    assert.deepEqual(db.relations.map((x) => [x.head, x.type, x.tail]), da.relations.map((x) => [x.head, x.type, x.tail]));
    assert.ok(db.relations.some((x, i) => x.score !== da.relations[i].score), 'mapped relation scores');
  } finally {
    await ea.close();
    await eb.close();
  }
  const over = entrel('calibrate', '--model', out, '--data', data, '--out', out);
  assert.equal(over.code, 1);
  assert.match(over.err, /the output is the input/);
  // The output holds the model files only and replaces its directory: one holding anything else is refused, not deleted.
  const foreign = join(dir, 'mine');
  mkdirSync(foreign);
  writeFileSync(join(foreign, 'notes.txt'), 'keep me');
  const refused = entrel('calibrate', '--data', data, '--out', foreign);
  assert.equal(refused.code, 1);
  assert.match(refused.err.trim(), /^entrel: .*mine: holds "notes\.txt", which is not a model file: the calibrated model replaces the whole directory/);
  assert.equal(readFileSync(join(foreign, 'notes.txt'), 'utf8'), 'keep me');
  // An earlier calibrated model is replaced; missing parent directories are made.
  assert.equal(entrel('calibrate', '--data', data, '--out', out).code, 0);
  const nested = join(dir, 'new', 'deeper', 'cal');
  assert.equal(entrel('calibrate', '--data', data, '--out', nested).code, 0);
  assert.equal(JSON.parse(readFileSync(join(nested, 'config.json'), 'utf8')).meta.calibration.fittedOn, 'gold.jsonl');
  // Fitting on a file the model was trained on (the bundled model: CoNLL04 train and dev) is warned about.
  const trainedOn = join(dir, 'valid.CoNLL04.json');
  writeFileSync(trainedOn, readFileSync(data));
  const warned = entrel('calibrate', '--data', trainedOn, '--format', 'jsonl', '--out', join(dir, 'cal2'));
  assert.equal(warned.code, 0, warned.err);
  assert.match(warned.err, /valid\.CoNLL04\.json: warning: the model was trained on a file of this name \(.*config\.json: meta\.trainConfig\.data\.train\)/);
  assert.doesNotMatch(r.err, /trained on a file of this name/);
  // The fixture's few items: the maps are fitted, and said to be rough.
  assert.match(r.err, /gold\.jsonl: warning: only \d+ predicted relations to fit on: the map is rough; calibrate on more data/);
  // With no predicted relations at all there is nothing to fit: refused, and nothing written.
  const noRelations = join(dir, 'no-relations.json');
  writeFileSync(noRelations, JSON.stringify([{ tokens: ['John', 'Smith', 'slept', '.'], entities: [[0, 2, 'Peop']], relations: [] }]));
  const none = entrel('calibrate', '--data', noRelations, '--out', join(dir, 'cal3'));
  assert.equal(none.code, 1, none.err);
  assert.match(none.err, /^entrel: .*no-relations\.json: the model predicts no relations in this data, so there is nothing to fit their scores on: calibrate on annotated data where it does \(dev\)\n$/);
  assert.equal(existsSync(join(dir, 'cal3')), false);
});

test('evaluate --out names the file and the reason it cannot be written, and creates missing directories', () => {
  const dir = tempDir('entrel-cli-');
  const gold = join(dir, 'g.json');
  writeFileSync(gold, JSON.stringify([{ tokens: ['John'], entities: [[0, 1, 'Peop']], relations: [] }]));
  const underFile = entrel('evaluate', '--gold', gold, '--pred', gold, '--out', join(gold, 'r.json'));
  assert.equal(underFile.code, 1);
  assert.match(underFile.err.trim(), /^entrel: .*g\.json: cannot create directory: a file is in the way \(EEXIST\)$/);
  const sub = join(dir, 'sub');
  mkdirSync(sub);
  const onDir = entrel('evaluate', '--gold', gold, '--pred', gold, '--out', sub);
  assert.equal(onDir.code, 1);
  assert.match(onDir.err.trim(), /sub: is a directory: the output is a file, give another name$/);
  const nested = join(dir, 'new', 'deeper', 'r.json');
  assert.equal(entrel('evaluate', '--gold', gold, '--pred', gold, '--out', nested).code, 0);
  assert.equal(JSON.parse(readFileSync(nested, 'utf8')).entities.micro.f1, 1);
});

test('evaluate --data warns about the types the model cannot predict', () => {
  const dir = tempDir('entrel-cli-');
  const data = join(dir, 'd.json');
  writeFileSync(data, JSON.stringify([{ tokens: ['Aspirin', 'treats', 'pain', '.'], entities: [[0, 1, 'Drug'], [2, 3, 'Peop']], relations: [[0, 1, 2, 3, 'Treats']] }]));
  const r = entrel('evaluate', '--data', data, '--format', 'unified', '--json');
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /d\.json: warning: entity type "Drug" and relation type "Treats" the model in .* does not know: .*counts as a miss/);
  assert.equal(JSON.parse(r.out).relations.strict.micro.fn, 1);
  // One --model is one model; several are named together.
  const bundled = join(root, 'models', 'conll04');
  assert.match(entrel('evaluate', '--model', bundled, '--data', data, '--format', 'unified').err, /the model in .*conll04 does not know/);
  const copy = join(dir, 'copy');
  cpSync(bundled, copy, { recursive: true });
  assert.match(entrel('evaluate', '--model', bundled, '--model', copy, '--data', data, '--format', 'unified').err, /the models in .*conll04, .*copy do not know/);
});

test('warnings name the file they are about: evaluate the gold or the predictions, convert the input or the output', () => {
  const dir = tempDir('entrel-cli-warn-');
  const doc = (id: string, relations: object[]) => JSON.stringify({
    id, text: 'John  Smith works for IBM .',
    sentences: [{ tokens: [[0, 4], [6, 11], [12, 17], [18, 21], [22, 25], [26, 27]],
      entities: [{ id: 'T1', type: 'Peop', start: 0, end: 2 }, { id: 'T2', type: 'Org', start: 4, end: 5 }], relations }],
  });
  const rel = { type: 'Work_For', head: 'T1', tail: 'T2' };
  const gold = join(dir, 'gold.jsonl');
  writeFileSync(gold, [doc('a', [rel, rel]), doc('b', [rel])].join('\n') + '\n'); // a relation listed twice
  const pred = join(dir, 'pred.jsonl');
  writeFileSync(pred, doc('a', [rel]) + '\n'); // no prediction for b
  const e = entrel('evaluate', '--gold', gold, '--pred', pred);
  assert.equal(e.code, 0, e.err);
  assert.match(e.err, new RegExp(`^entrel: ${gold}: warning: duplicate-relation-dropped ×1`, 'm'));
  assert.match(e.err, new RegExp(`^entrel: ${pred}: warning: missing-prediction ×1`, 'm'));

  // The double space is not kept by a token format: the output loses the text, the input loses a relation.
  const out = join(dir, 'out.json');
  const c = entrel('convert', '--to', 'dygie', gold, out);
  assert.equal(c.code, 0, c.err);
  assert.match(c.err, new RegExp(`^entrel: ${gold}: warning: duplicate-relation-dropped ×1`, 'm'));
  assert.match(c.err, new RegExp(`^entrel: ${out}: warning: text-not-kept ×2`, 'm'));
});
