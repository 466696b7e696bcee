/**
 * Keys a reader does not read (unread-keys.ts): a near miss of a list key is refused naming file, line and
 * field; any other key holding something is counted as `<format>-field-dropped`, once per record and kind of part.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCorpus } from '../../src/data/formats/index.js';
import { counts, tmp } from './helpers.js';

const dir = tmp();
let n = 0;
function file(content: string, ext: string): string {
  const f = join(dir, `f${++n}${ext}`);
  writeFileSync(f, content);
  return f;
}

const JSONL = (sentence: Record<string, unknown>) =>
  `${JSON.stringify({ id: 'd1', text: 'Ann met Bob .', sentences: [{ tokens: [[0, 3], [4, 7], [8, 11], [12, 13]], ...sentence }] })}\n`;
const ENTITIES = [{ id: 'T1', type: 'Peop', start: 0, end: 1 }, { id: 'T2', type: 'Peop', start: 2, end: 3 }];
const TOKENS = ['Ann', 'met', 'Bob', '.'];

test('a key one edit from a list key is refused, naming file, line or record, and field (jsonl, spert, unified, doccano)', async () => {
  const refused = async (f: string, format: string, message: RegExp) =>
    assert.rejects(loadCorpus(f, { format }), (e: Error) => e.name === 'UserError' && message.test(e.message), f);
  const jsonl = file(JSONL({ entites: ENTITIES, relation: [{ type: 'Meet', head: 'T1', tail: 'T2' }] }), '.jsonl');
  await refused(jsonl, 'jsonl', /f\d+\.jsonl:1: sentences\[0\]\.entites: not a key of this format: is it "entities"\?/);
  const spert = file(JSON.stringify([{ tokens: TOKENS, entities: [{ type: 'Peop', start: 0, end: 1 }, { type: 'Peop', start: 2, end: 3 }], relation: [{ type: 'Meet', head: 0, tail: 1 }] }]), '.json');
  await refused(spert, 'spert', /record 1: relation: not a key of this format: is it "relations"\?/);
  const unified = file(JSON.stringify([{ tokens: TOKENS, entities: [[0, 1, 'Peop'], [2, 3, 'Peop']], Relations: [[0, 1, 2, 3, 'Meet']] }]), '.json');
  await refused(unified, 'unified', /record 1: Relations: not a key of this format: is it "relations"\?/);
  const doccano = file(`${JSON.stringify({ id: 1, text: 'Ann met Bob.', entities: [], relatons: [] })}\n`, '.jsonl');
  await refused(doccano, 'doccano', /f\d+\.jsonl:1: relatons: not a key of this format: is it "relations"\?/);
});

test('other keys holding something are counted once per record and kind of part; empty ones and known ones (orig_id) are not', async () => {
  const spert = file(JSON.stringify([
    { tokens: TOKENS, entities: [{ type: 'Peop', start: 0, end: 1, score: 0.9 }, { type: 'Peop', start: 2, end: 3, score: 0.8 }], relations: [], orig_id: 7, source: 'wiki' },
    { tokens: TOKENS, entities: [], relations: [], orig_id: 8, notes: [] },
  ]), '.json');
  const c = await loadCorpus(spert, { format: 'spert' });
  assert.equal(c.diagnostics.count('spert-field-dropped'), 2);
  assert.equal(c.diagnostics.count(), 2);
  assert.match(c.diagnostics.format().join('\n'), /record 1: "score" of 2 entities/);
  assert.match(c.diagnostics.format().join('\n'), /record 1: "source"/);
  const jsonl = await loadCorpus(file(JSONL({ entities: ENTITIES, relations: [{ type: 'Meet', head: 'T1', tail: 'T2', confidence: 1 }] }), '.jsonl'));
  assert.deepEqual(jsonl.diagnostics.format(), [`warning: jsonl-field-dropped ×1 (e.g. ${join(dir, `f${n}.jsonl`)}:1: "confidence" of 1 relation)`]);
  const doccano = await loadCorpus(file(`${JSON.stringify({ id: 1, text: 'Ann met Bob.', label: [[0, 3, 'Peop']], Comments: [], meta: { source: 'x' } })}\n`, '.jsonl'), { format: 'doccano' });
  assert.deepEqual(doccano.diagnostics.summary().map((w) => [w.code, w.count]), [['doccano-field-dropped', 1]]);
  const tags = await loadCorpus(file(JSON.stringify([{ tokens: TOKENS, tags: ['U-Peop', 'O', 'U-Peop', 'O'], relations: [], orig_id: 1, pos: ['NNP', 'VBD', 'NNP', '.'] }]), '.json'), { format: 'spert-tags' });
  assert.equal(tags.diagnostics.count('spert-tags-field-dropped'), 1);
});

test('doccano: "labels" (doccano 1.x, tools that write doccano imports) is read as "label", also when detected', async () => {
  const f = file(`${JSON.stringify({ id: 1, text: 'Ann lives in Paris.', labels: [[0, 3, 'Peop'], [13, 18, 'Loc']] })}\n`, '.jsonl');
  const c = await loadCorpus(f);
  assert.equal(c.format, 'doccano');
  assert.equal(counts(c.documents).entities, 2);
  assert.equal(c.diagnostics.count(), 0);
  const both = file(`${JSON.stringify({ text: 'Ann lives in Paris.', label: [[0, 3, 'Peop']], labels: [[13, 18, 'Loc']] })}\n`, '.jsonl');
  await assert.rejects(loadCorpus(both, { format: 'doccano' }), /:1: labels: both "label" and "labels": which holds the entities\?/);
});
