/**
 * `entrel compare` and `entrel evaluate --bootstrap`: the tables, JSON and --out, seeds, and one-line
 * errors naming the flag or file. Runs the CLI from src (tsx) in a child process, for its stdout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { entrelFromSource as entrel } from './processes.js';
import { tempDir } from '../temp-dir.js';


const dir = tempDir('entrel-compare-');
const tokens = ['Mary', 'Smith', 'works', 'for', 'Acme', 'in', 'Boston', '.'];
const right = { tokens, entities: [[0, 2, 'Peop'], [4, 5, 'Org'], [6, 7, 'Loc']], relations: [[0, 2, 4, 5, 'Work_For'], [4, 5, 6, 7, 'OrgBased_In']] };
const noRelations = { ...right, relations: [] };
const write = (name: string, records: unknown[]) => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(records));
  return file;
};
// 20 one-sentence documents; A finds the relations of the odd ones, B of all but the last two: they
// differ on 10 documents, B better on 9.
const gold = write('gold.json', Array(20).fill(right));
const a = write('a.json', Array.from({ length: 20 }, (_, i) => (i % 2 ? right : noRelations)));
const b = write('b.json', Array.from({ length: 20 }, (_, i) => (i < 18 ? right : noRelations)));

test('compare: every system\'s F1, then each against the first, with interval and p-value', () => {
  const r = entrel('compare', '--gold', gold, a, b, a, '--trials', '2000');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^Gold: .*gold\.json$/m);
  assert.match(r.out, new RegExp(`^${a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +100\\.00 +66\\.67 +66\\.67$`, 'm'));
  assert.match(r.out, /Interval: paired bootstrap, 1000 resamples of the 20 gold documents, seed 1\. p: approximate randomization, 2000 shuffles/);
  // Relations (strict): A 20/40 found, F1 2·20/(2·20+20) = 66.67; B 36/40, F1 94.74.
  assert.match(r.out, /^ {2}Relations \(strict\) +66\.67 +94\.74 +\+28\.07 +\[\+\d+\.\d\d, \+\d+\.\d\d\] +0\.0\d\d\d$/m);
  assert.match(r.out, /^ {2}Entities +100\.00 +100\.00 +\+0\.00 +\[\+0\.00, \+0\.00\] +1\.0000$/m);
  // The third file is A again: against itself, nothing to tell apart.
  assert.match(r.out, /a\.json against .*a\.json[\s\S]*Relations \(strict\) +66\.67 +66\.67 +\+0\.00 +\[\+0\.00, \+0\.00\] +1\.0000/);
});

test('compare --json and --out: the same comparison, seeded', () => {
  const out = join(dir, 'comparison.json');
  const r = entrel('compare', '--gold', gold, a, b, '--json', '--out', out, '--seed', '5', '--samples', '300', '--trials', '700', '--unit', 'sentence', '--confidence', '0.9');
  assert.equal(r.code, 0, r.err);
  const json = JSON.parse(r.out);
  assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), json);
  assert.deepEqual([json.gold, json.files, json.paperCompat, json.unit, json.units, json.samples, json.trials, json.seed, json.confidence], [gold, [a, b], false, 'sentence', 20, 300, 700, 5, 0.9]);
  assert.equal(JSON.parse(entrel('compare', '--gold', gold, a, b, '--json', '--paper-compat', '--trials', '10', '--samples', '10').out).paperCompat, true);
  assert.match(entrel('compare', '--gold', gold, a, b, '--paper-compat', '--trials', '10', '--samples', '10').out, /^Gold: .*gold\.json \(scored as the authors' evaluator does, --paper-compat\)$/m);
  const strict = json.comparisons[0].relations.strict;
  assert.equal(json.comparisons[0].system, 1);
  assert.ok(Math.abs(strict.diff - (36 / 38 - 2 / 3)) < 1e-12, 'Math.abs(strict.diff - (36 / 38 - 2 / 3)) < 1e-12');
  assert.ok(strict.interval.low > 0 && strict.interval.high > strict.interval.low && strict.p < 0.05, JSON.stringify(strict));
  assert.equal(json.systems[1].relations.strict.tp, 36);
  const again = JSON.parse(entrel('compare', '--gold', gold, a, b, '--json', '--seed', '5', '--samples', '300', '--trials', '700', '--unit', 'sentence', '--confidence', '0.9').out);
  assert.deepEqual(again, json);
  const other = JSON.parse(entrel('compare', '--gold', gold, a, b, '--json', '--seed', '6', '--samples', '300', '--trials', '700').out);
  assert.notDeepEqual(other.comparisons[0].relations.strict.interval, strict.interval);
});

test('evaluate --bootstrap: the intervals after the report, and in JSON', () => {
  const r = entrel('evaluate', '--gold', gold, '--pred', a, '--bootstrap', '400', '--seed', '2');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^95 % confidence intervals \(percentile bootstrap: 400 resamples of the 20 gold documents, seed 2\)$/m);
  assert.match(r.out, /^Entities +\[100\.00, 100\.00\] +\[100\.00, 100\.00\] +\[100\.00, 100\.00\]$/m);
  // Strict relation recall is 0.5; a resample of 20 documents, each found or not, spreads around it.
  const recall = /^Relations \(strict\) +\[\S+, \S+\] +\[(\S+), (\S+)\]/m.exec(r.out);
  assert.ok(recall && Number(recall[1]) < 50 && Number(recall[2]) > 50, r.out);
  const json = JSON.parse(entrel('evaluate', '--gold', gold, '--pred', a, '--bootstrap', '--json').out);
  assert.deepEqual([json.intervals.samples, json.intervals.seed, json.intervals.unit], [1000, 1, 'document']);
  assert.equal(json.relations.strict.micro.f1, 2 / 3);
  assert.ok(json.intervals.relations.strict.f1.low < 2 / 3 && json.intervals.relations.strict.f1.high > 2 / 3, 'json.intervals.relations.strict.f1.low < 2 / 3 && json.intervals.relations.strict.f1.high > 2 / 3');
  assert.equal(JSON.parse(entrel('evaluate', '--gold', gold, '--pred', a, '--json').out).intervals, undefined);
});

test('evaluate --data --bootstrap: intervals of a model\'s scores (the bundled model)', () => {
  const r = entrel('evaluate', '--data', gold, '--bootstrap', '50', '--json');
  assert.equal(r.code, 0, r.err);
  const json = JSON.parse(r.out);
  assert.equal(json.intervals.samples, 50);
  const f1 = json.entities.micro.f1;
  assert.ok(json.intervals.entities.f1.low <= f1 && f1 <= json.intervals.entities.f1.high, JSON.stringify(json.intervals.entities));
});

test('--out refuses the types file read beside an input (compare and evaluate)', () => {
  // Predictions as `predict` writes them: JSONL with its schema in a_types.json.
  const text = tokens.join(' ');
  const spans = tokens.map((t, i) => {
    const start = tokens.slice(0, i).join(' ').length + (i > 0 ? 1 : 0);
    return [start, start + t.length];
  });
  const sentence = { tokens: spans, entities: right.entities.map(([start, end, type], i) => ({ id: `T${i}`, type, start, end })), relations: [] };
  const sub = mkdtempSync(join(dir, 'jsonl-'));
  const jsonl = join(sub, 'a.jsonl');
  writeFileSync(jsonl, Array.from({ length: 20 }, (_, i) => JSON.stringify({ id: String(i + 1), text, sentences: [sentence] })).join('\n') + '\n');
  const types = join(sub, 'a_types.json');
  const schema = JSON.stringify({ entities: { Peop: {}, Org: {}, Loc: {} }, relations: { Work_For: { symmetric: false }, OrgBased_In: { symmetric: false } } });
  writeFileSync(types, schema);
  assert.equal(entrel('compare', '--gold', gold, jsonl, b, '--samples', '10', '--trials', '10').code, 0);
  for (const args of [['compare', '--gold', gold, jsonl, b], ['evaluate', '--gold', gold, '--pred', jsonl]]) {
    const r = entrel(...args, '--out', types);
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /the output is the input .*a_types\.json; choose another output path/);
    assert.equal(readFileSync(types, 'utf8'), schema);
  }
});

test('one-line errors: missing gold, one file, a bad value, a resampling flag without --bootstrap, unpaired predictions', () => {
  const other = write('other.json', [{ tokens: ['He', 'left', '.'], entities: [], relations: [] }]);
  const cases: [string[], RegExp][] = [
    [['compare', a, b], /compare needs --gold FILE/],
    [['compare', '--gold', gold, a], /at least two prediction files, the baseline first \(got 1\)/],
    [['compare', '--gold', gold, a, b, '--samples', '0'], /--samples.*expected a positive integer/],
    [['compare', '--gold', gold, a, b, '--confidence', '95'], /--confidence.*between 0 and 1/],
    [['compare', '--gold', gold, a, b, '--unit', 'paragraph'], /--unit.*Allowed choices are document, sentence/],
    [['compare', '--gold', gold, a, other], /other\.json: document '\d+', sentence 0: predicted tokens differ from gold/],
    [['compare', '--gold', gold, a, b, '--out', a], /the output is the input/],
    [['evaluate', '--gold', gold, '--pred', a, '--seed', '3'], /--seed needs --bootstrap/],
    [['evaluate', '--gold', gold, '--pred', a, '--unit', 'sentence'], /--unit needs --bootstrap/],
    [['evaluate', '--gold', gold, '--pred', a, '--bootstrap', '-1'], /option '--bootstrap \[samples\]' argument '-1' is invalid\. expected a positive integer/],
  ];
  for (const [args, message] of cases) {
    const r = entrel(...args);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, message, args.join(' '));
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.doesNotMatch(r.err, /\n\s+at /);
  }
});

test('evaluate and compare --out -: the JSON alone on stdout, no table after it; with --json refused (review 32 #5)', () => {
  const ev = entrel('evaluate', '--gold', gold, '--pred', b, '--out', '-');
  assert.equal(ev.code, 0, ev.err);
  assert.equal(JSON.parse(ev.out).relations.strict.micro.tp, 36);
  const cmp = entrel('compare', '--gold', gold, a, b, '--out', '/dev/stdout', '--samples', '10', '--trials', '10');
  assert.equal(cmp.code, 0, cmp.err);
  assert.deepEqual(JSON.parse(cmp.out).files, [a, b]);
  for (const [command, ...args] of [['evaluate', '--gold', gold, '--pred', b], ['compare', '--gold', gold, a, b]]) {
    const r = entrel(command, ...args, '--out', '-', '--json');
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.equal(r.err, 'entrel: --out - and --json both print the JSON to standard output: give one\n');
  }
});
