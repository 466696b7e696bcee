/**
 * A corpus file read by `predict`, `evaluate --model` and `--gold-entities` reads soft hyphens, zero-width
 * spaces and full-width letters as `extract` does: each word by its lookup form, its word vector outside
 * the training vocabulary included (`Microsoft`, `Google` are GloVe words of the bundled model).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Document } from '../../src/data/corpus.js';
import { evaluateModel, predictFile } from '../../src/train/evaluate.js';
import { tempDir } from '../temp-dir.js';

const root = tempDir('entrel-folded-');
const gold = (tokens: string[]) => ({ tokens, entities: [[0, 2, 'Peop'], [4, 5, 'Org'], [6, 7, 'Loc']], relations: [[0, 2, 4, 5, 'Work_For']] });
/** The same sentences, the plain way and as web pages and CJK sources write them. */
function corpus(name: string, microsoft: string, google: string, nairobi: string): string {
  const file = join(root, `${name}.json`);
  const sentences = [
    ['Mary', 'Smith', 'works', 'for', microsoft, 'in', 'Boston', '.'],
    ['John', 'Doe', 'works', 'for', google, 'in', nairobi, '.'],
  ];
  writeFileSync(file, JSON.stringify(sentences.map(gold)));
  return file;
}
const plain = corpus('plain', 'Microsoft', 'Google', 'Nairobi');
const odd = corpus('odd', 'Micro\u00ADsoft', 'Ｇｏｏｇｌｅ', 'Nai\u200Brobi');

/** What the model made of the file: entity and relation spans and types. */
const reading = (docs: Document[]) =>
  docs.map((d) => d.sentences.map((s) => ({ entities: s.entities.map((e) => [e.type, e.start, e.end]), relations: s.relations.map((r) => [r.type, r.head, r.tail]) })));

describe('a corpus file with format characters and full-width letters reads as its plain text', () => {
  it('predict', async () => {
    const [a, b] = [await predictFile(undefined, odd), await predictFile(undefined, plain)];
    assert.deepEqual(reading(a.predicted), reading(b.predicted));
    assert.deepEqual(a.scores, b.scores);
  });

  it('evaluate --model, also with --gold-entities', async () => {
    assert.deepEqual(await evaluateModel(undefined, odd), await evaluateModel(undefined, plain));
    assert.deepEqual(await evaluateModel(undefined, odd, { goldEntities: true }), await evaluateModel(undefined, plain, { goldEntities: true }));
  });
});
