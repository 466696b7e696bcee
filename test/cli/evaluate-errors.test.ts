/**
 * `entrel evaluate --errors`: tables after the unchanged report, an `errors` key in JSON and --out, both
 * evaluate modes, --paper-compat, and one-line errors for bad flags. Runs the CLI from src (tsx).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Diagnostics } from '../../src/data/diagnostics.js';
import { loadCorpus } from '../../src/data/formats/index.js';
import { evaluate, formatReport } from '../../src/eval/index.js';
import { entrel as inProcess } from './in-process.js';
import { entrelFromSource as entrel } from './processes.js';
import { tempDir } from '../temp-dir.js';


const dir = tempDir('entrel-errors-');
const gold = join(dir, 'gold.json');
const pred = join(dir, 'pred.json');
const tokens = ['Mary', 'Smith', 'works', 'for', 'Acme', 'Corp', 'in', 'Boston', '.'];
writeFileSync(gold, JSON.stringify([
  { tokens, entities: [[0, 2, 'Peop'], [4, 6, 'Org'], [7, 8, 'Loc']], relations: [[0, 2, 4, 6, 'Work_For'], [4, 6, 7, 8, 'OrgBased_In']] },
  { tokens: ['He', 'left', 'Paris', '.'], entities: [[2, 3, 'Loc']], relations: [] },
]));
// Boston as Org (type), Work_For reversed (direction), OrgBased_In to an Org (entity), Paris with `left` (boundary).
writeFileSync(pred, JSON.stringify([
  { tokens, entities: [[0, 2, 'Peop'], [4, 6, 'Org'], [7, 8, 'Org']], relations: [[4, 6, 0, 2, 'Work_For'], [4, 6, 7, 8, 'OrgBased_In']] },
  { tokens: ['He', 'left', 'Paris', '.'], entities: [[1, 3, 'Loc']], relations: [] },
]));

test('--errors prints the unchanged report, then the breakdown; without it, exactly today\'s report', async () => {
  const [g, p] = await Promise.all([gold, pred].map((f) => loadCorpus(f, { diagnostics: new Diagnostics() })));
  const expected = formatReport(evaluate(g.documents, p.documents, { schema: g.schema })) + '\n';
  const plain = entrel('evaluate', '--gold', gold, '--pred', pred);
  assert.equal(plain.code, 0, plain.err);
  assert.equal(plain.out, expected);
  const r = entrel('evaluate', '--gold', gold, '--pred', pred, '--errors', '--error-examples', '1');
  assert.equal(r.code, 0, r.err);
  assert.ok(r.out.startsWith(expected), 'r.out.startsWith(expected)');
  const more = r.out.slice(expected.length);
  assert.match(more, /^Entity errors by category/);
  assert.match(more, /^ {2}all +1\/1 +1\/1 +0\/0 +0 +0 +2\/2$/m);
  assert.match(more, /^Relation types over argument-exact pairs \(rows gold, columns predicted\)$/m);
  assert.match(more, /^ {4}FP document '1', sentence 0: "Boston" Loc \[7,8\) → "Boston" Org \[7,8\)$/m);
  assert.match(more, /^ {2}direction\n {4}FP document '1', sentence 0: /m);
  assert.equal(more.match(/^ {4}F[PN] /gm)?.length, 4, more); // entity type, boundary; relation direction, entity
  const none = entrel('evaluate', '--gold', gold, '--pred', pred, '--errors', '--error-examples', '0');
  assert.doesNotMatch(none.out, /per category \(gold → predicted\)/);
});

test('--json --errors adds an errors key whose counts are the strict fp and fn; --out writes the same JSON', () => {
  const out = join(dir, 'report.json');
  const r = entrel('evaluate', '--gold', gold, '--pred', pred, '--errors', '--json', '--out', out);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(readFileSync(out, 'utf8'), r.out);
  assert.deepEqual([j.errors.entities.fp, j.errors.entities.fn], [j.entities.micro.fp, j.entities.micro.fn]);
  assert.deepEqual([j.errors.relations.fp, j.errors.relations.fn], [j.relations.strict.micro.fp, j.relations.strict.micro.fn]);
  assert.deepEqual(j.errors.relations.byCategory.direction, { fp: 1, fn: 1 });
  assert.deepEqual(j.errors.relations.byCategory.entity, { fp: 1, fn: 1 });
  assert.equal(j.errors.entities.errors.length, j.entities.micro.fp + j.entities.micro.fn);
  assert.equal(j.errors.relations.confusion.labels.at(-1), 'NONE');
  const plain = JSON.parse(entrel('evaluate', '--gold', gold, '--pred', pred, '--json').out);
  assert.equal(plain.errors, undefined);
  assert.deepEqual({ ...j, errors: undefined }, { ...plain, errors: undefined });
});

test('--paper-compat --errors: the breakdown partitions the paper-compat scores', () => {
  // Nested gold: Loc [1,2) overwrites the middle of Peop [0,3) in the authors' tags.
  const nested = join(dir, 'nested.json');
  writeFileSync(nested, JSON.stringify([{ tokens: ['a', 'b', 'c', 'd'], entities: [[0, 3, 'Peop'], [1, 2, 'Loc'], [3, 4, 'Loc']], relations: [[0, 3, 3, 4, 'Live_In']] }]));
  const j = JSON.parse(entrel('evaluate', '--gold', nested, '--pred', nested, '--errors', '--json', '--paper-compat').out);
  assert.equal(j.entities.micro.fp, 1); // Peop [0,3) is no gold entity there
  assert.deepEqual([j.errors.entities.fp, j.errors.entities.fn], [j.entities.micro.fp, j.entities.micro.fn]);
  assert.deepEqual([j.errors.relations.fp, j.errors.relations.fn], [j.relations.strict.micro.fp, j.relations.strict.micro.fn]);
  assert.deepEqual(j.errors.entities.byCategory.boundary, { fp: 1, fn: 2 });
});

test('--model/--data --errors: the bundled model, partitioned the same way', () => {
  const r = entrel('evaluate', '--data', gold, '--errors', '--json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual([j.errors.entities.fp, j.errors.entities.fn], [j.entities.micro.fp, j.entities.micro.fn]);
  assert.deepEqual([j.errors.relations.fp, j.errors.relations.fn], [j.relations.strict.micro.fp, j.relations.strict.micro.fn]);
  const tp = j.errors.entities.confusion.counts.reduce((n: number, row: number[], i: number) => n + row[i], 0);
  assert.equal(tp, j.entities.micro.tp);
});

test('bad --errors flags are one line naming the flag, exit 1', async () => {
  const cases: [string[], RegExp][] = [
    [['--errors', '--error-examples', 'abc'], /^entrel: option '--error-examples <n>' argument 'abc' is invalid\. expected a non-negative integer/],
    [['--errors', '--error-examples', '-1'], /--error-examples/],
    [['--errors', '--error-examples', '1.5'], /--error-examples <n>' argument '1\.5' is invalid/],
    [['--error-examples', '2'], /^entrel: --error-examples needs --errors$/],
  ];
  for (const [flags, message] of cases) {
    const r = await inProcess('evaluate', '--gold', gold, '--pred', pred, ...flags);
    assert.equal(r.code, 1, flags.join(' '));
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.match(r.err.trim(), message);
  }
});
