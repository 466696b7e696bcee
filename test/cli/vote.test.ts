/** `entrel vote`: files in, the majority's predictions out (any writable format), one-line errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Diagnostics } from '../../src/data/diagnostics.js';
import { loadCorpus } from '../../src/data/formats/index.js';
import { evaluate } from '../../src/eval/index.js';
import { entrel } from './in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'entrel-vote-'));
const tokens = ['Mary', 'Smith', 'works', 'for', 'Acme', 'in', 'Boston', '.'];
const write = (name: string, entities: unknown[], relations: unknown[]) => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify([{ tokens, entities, relations }, { tokens: ['He', 'left', '.'], entities: [[0, 1, 'Peop']], relations: [] }]));
  return file;
};
const gold = write('gold.json', [[0, 2, 'Peop'], [4, 5, 'Org'], [6, 7, 'Loc']], [[0, 2, 4, 5, 'Work_For'], [4, 5, 6, 7, 'OrgBased_In']]);
// Each system makes one mistake the others do not.
const a = write('a.json', [[0, 1, 'Peop'], [4, 5, 'Org'], [6, 7, 'Loc']], [[4, 5, 6, 7, 'OrgBased_In']]);
const b = write('b.json', [[0, 2, 'Peop'], [4, 5, 'Org'], [6, 7, 'Org']], [[0, 2, 4, 5, 'Work_For']]);
const c = write('c.json', [[0, 2, 'Peop'], [4, 5, 'Org'], [6, 7, 'Loc']], [[0, 2, 4, 5, 'Work_For'], [4, 5, 6, 7, 'OrgBased_In']]);
const read = async (f: string) => (await loadCorpus(f, { diagnostics: new Diagnostics() })).documents;

test('vote writes the majority\'s predictions, which score above every system that made a mistake', async () => {
  const out = join(dir, 'vote.jsonl');
  const r = await entrel('vote', a, b, c, '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /kept 4 of 6 distinct entities and 2 of 2 distinct relations \(at least 2 of 3 votes\); wrote 2 documents to .*vote\.jsonl/);
  const g = await read(gold);
  const score = async (f: string) => evaluate(g, await read(f)).relations.strict.micro.f1;
  assert.equal(await score(out), 1);
  assert.ok((await score(a)) < 1 && (await score(b)) < 1);
  const brat = join(dir, 'vote-brat');
  assert.equal((await entrel('vote', a, b, c, '--out', brat, '--to', 'brat')).code, 0);
  assert.match(readFileSync(join(brat, 'annotation.conf'), 'utf8'), /^OrgBased_In\t/m);
  assert.equal(evaluate(g, await read(brat)).relations.strict.micro.f1, 1);
  // A file without a document votes for nothing there, and is warned about.
  const short = join(dir, 'short.json');
  writeFileSync(short, JSON.stringify(JSON.parse(readFileSync(c, 'utf8')).slice(0, 1)));
  const partial = await entrel('vote', a, b, short, '--out', join(dir, 'partial.jsonl'));
  assert.equal(partial.code, 0, partial.err);
  assert.match(partial.err, /short\.json: warning: missing-document ×1 \(e\.g\. document '2' is not in this file: it votes for nothing there\)\n/);
  const all = join(dir, 'all.jsonl');
  assert.equal((await entrel('vote', a, b, c, '--out', all, '--min-votes', '3')).code, 0);
  assert.equal(evaluate(g, await read(all)).relations.strict.micro.tp, 0);
});

test('vote refuses one file, more votes than files, an output over an input, and names the file that does not pair', async () => {
  const other = join(dir, 'other.json');
  writeFileSync(other, JSON.stringify([{ tokens: ['x'], entities: [], relations: [] }]));
  const cases: [string[], RegExp][] = [
    [['vote', a, '--out', join(dir, 'o.jsonl')], /vote needs at least two prediction files \(got 1\)/],
    [['vote', a, b, '--out', join(dir, 'o.jsonl'), '--min-votes', '3'], /--min-votes 3: there are only 2 prediction files/],
    [['vote', a, b, '--out', join(dir, 'o.jsonl'), '--min-votes', '0'], /--min-votes.*expected a positive integer/],
    [['vote', a, b, '--out', a, '--to', 'unified'], /the output is the input/],
    [['vote', a, other, '--out', join(dir, 'o.jsonl')], /other\.json: document '\d+', sentence 0: tokens differ from the first system's/],
  ];
  // The types file written beside the output (x.json → x_types.json) would be that of input x.jsonl.
  const sub = join(dir, 'sub');
  assert.equal((await entrel('vote', a, b, c, '--out', join(sub, 'x.jsonl'))).code, 0);
  cases.push([['vote', join(sub, 'x.jsonl'), b, '--out', join(sub, 'x.json'), '--to', 'spert'], /x_types\.json: the output is the input .*x_types\.json; choose another output path/]);
  for (const [args, message] of cases) {
    const r = await entrel(...args);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.err, message, r.err);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
  }
});
