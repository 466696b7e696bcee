/**
 * Entities the user already has, through the CLI (built bin, bundled model): `extract --entities`, a
 * `.jsonl` input whose lines carry `entities` (a bad one named by file and line), and `evaluate` /
 * `predict --gold-entities` (relation classification with the data's own entities).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../temp-dir.js';
import { CHILD_LIMIT } from '../child-limit.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'entrel.js');
const tmp = tempDir('entrel-cli-given-');
const entrel = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { ...CHILD_LIMIT, cwd: tmp, encoding: 'utf8', env: { ...process.env, ENTREL_THREADS: '1', ENTREL_WORKERS: '0' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const text = 'Mary Smith works for Acme Corp in Boston.';

describe('given entities from the command line', () => {
  it('extract --entities: the model keeps them (ids included) and finds the relations between them', () => {
    const r = entrel('extract', text, '--json', '--entities', JSON.stringify([{ start: 0, end: 10, type: 'Peop', id: 'mary' }, { start: 21, end: 30, type: 'Org' }]));
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out);
    assert.deepEqual(doc.entities.map((e: { id: string; text: string; type: string }) => [e.id, e.text, e.type]), [['mary', 'Mary Smith', 'Peop'], ['T1', 'Acme Corp', 'Org']]);
    assert.deepEqual(doc.relations.map((x: { type: string; head: string; tail: string }) => [x.type, x.head, x.tail]), [['Work_For', 'mary', 'T1']], 'Boston was not given: no relation to it');
  });

  it('extract --entities names what is wrong with them, and is refused with --in', () => {
    const bad = entrel('extract', text, '--entities', '[{"start": 0, "end": 10, "type": "PER"}]');
    assert.deepEqual([bad.code, bad.err], [1, "entrel: entities[0].type: \"PER\" is not one of the model's entity types (Loc, Org, Other, Peop)\n"]);
    const json = entrel('extract', text, '--entities', '{"start": 0');
    assert.match(json.err, /^entrel: --entities: not valid JSON \(/);
    writeFileSync(join(tmp, 'in.txt'), text);
    const both = entrel('extract', '--in', 'in.txt', '--out', 'out.jsonl', '--entities', '[]');
    assert.match(both.err, /^entrel: --entities goes with one text; with --in FILE\.jsonl give each line its own/);
  });

  it('extract --in FILE.jsonl takes each line\'s entities, and names the line of a bad one', () => {
    const lines = [JSON.stringify({ id: 'a', text, entities: [{ start: 0, end: 10, type: 'Peop' }, { start: 34, end: 40, type: 'Loc' }] }), JSON.stringify('Tom lives in Ohio.')];
    writeFileSync(join(tmp, 'in.jsonl'), lines.join('\n') + '\n');
    const r = entrel('extract', '--in', 'in.jsonl', '--out', 'out.jsonl', '--quiet');
    assert.equal(r.code, 0, r.err);
    const [first, second] = readFileSync(join(tmp, 'out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(first.entities.map((e: { text: string }) => e.text), ['Mary Smith', 'Boston']);
    assert.deepEqual(first.relations.map((x: { type: string }) => x.type), ['Live_In']);
    assert.ok(second.entities.length >= 2, 'a plain line: the model finds its entities');
    writeFileSync(join(tmp, 'bad.jsonl'), [lines[1], JSON.stringify({ text, entities: [{ start: 0, end: 10, type: 'Peop' }, { start: 5, end: 10, type: 'Peop' }] })].join('\n') + '\n');
    const bad = entrel('extract', '--in', 'bad.jsonl', '--out', 'bad-out.jsonl');
    assert.equal(bad.code, 1);
    assert.match(bad.err, /^entrel: .*bad\.jsonl:2: entities\[1\]: "Smith" \(5–10\) overlaps entities\[0\], "Mary Smith" \(0–10\)/);
  });

  it("evaluate and predict --gold-entities give the model the data's entities, all but those a longer one overlaps, which are warned of", () => {
    const data = [
      // The model misses a lowercase person unprompted.
      { tokens: ['the', 'blorp', 'works', 'for', 'Acme', 'Corp', '.'], entities: [[1, 2, 'Peop'], [4, 6, 'Org']], relations: [[1, 2, 4, 6, 'Work_For']] },
      // Boston inside Boston University: the tags hold one of them.
      { tokens: ['Tom', 'studies', 'at', 'Boston', 'University', '.'], entities: [[0, 1, 'Peop'], [3, 5, 'Org'], [3, 4, 'Loc']], relations: [[0, 1, 3, 5, 'Work_For']] },
    ];
    writeFileSync(join(tmp, 'gold.json'), JSON.stringify(data));
    const entities = (r: { code: number | null; out: string; err: string }) => {
      assert.equal(r.code, 0, r.err);
      const { tp, fp, fn } = JSON.parse(r.out).entities.micro;
      return [tp, fp, fn];
    };
    assert.deepEqual(entities(entrel('evaluate', '--data', 'gold.json', '--format', 'unified', '--json')), [3, 0, 2], 'unprompted: blorp and Boston missed');
    const given = entrel('evaluate', '--data', 'gold.json', '--format', 'unified', '--gold-entities', '--json');
    assert.deepEqual(entities(given), [4, 0, 1], 'given: only the nested Boston missed');
    assert.match(given.err, /gold\.json: warning: 1 of the data's entities cannot be given to the model \(each overlaps another, kept in its place: the tags hold one entity per token\): they count as missed, and so do their relations/);
    const p = entrel('predict', '--data', 'gold.json', '--format', 'unified', '--gold-entities', '--out', 'pred.jsonl');
    assert.equal(p.code, 0, p.err);
    const pred = readFileSync(join(tmp, 'pred.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const spans = pred.map((d: { sentences: { entities: { type: string; start: number; end: number }[] }[] }) => d.sentences[0].entities.map((e) => [e.start, e.end, e.type]));
    assert.deepEqual(spans, [data[0].entities, data[1].entities.slice(0, 2)]);
    const mixed = entrel('evaluate', '--gold', 'gold.json', '--pred', 'pred.jsonl', '--gold-entities');
    assert.match(mixed.err, /--gold-entities gives a model the data's entities: it goes with --data \(and --model\), not with --gold\/--pred/);
  });
});
