/** Each page colours its entity types apart (review 15c finding 7), and the web view, `extract --format html` and `entrel view` agree. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { writeExtractions } from '../../src/cli/extract-outputs.js';
import { documentFromTokens, type Document } from '../../src/data/corpus.js';
import { writeCorpus } from '../../src/data/formats/index.js';
import type { ExtractedDocument, ModelInfo } from '../../src/extract/types.js';
import { buildServer } from '../../src/server/index.js';
import { PageColors, palette } from '../../src/web/colors.js';
import { viewDocument } from '../../src/web/corpus-view.js';
import { renderComparisonHtml, renderDocumentSvg, renderHtml, renderHtmlReport } from '../../src/web/index.js';
import { entrel } from '../cli/in-process.js';
import { FakeExtractor } from '../server/fake-extractor.js';
import { post } from '../server/helpers.js';
import { tempDir } from '../temp-dir.js';

const fills = (colors: PageColors, types: string[]) => types.map((t) => colors.of(t).fill);

/** Type → box fill of every entity drawn in `html` (each type's boxes must agree), and type → legend swatch. */
function drawnColors(html: string): { boxes: Record<string, string>; legend: Record<string, string> } {
  const boxes: Record<string, string> = {};
  for (const m of html.matchAll(/data-type="([^"]*)"><title>[^<]*<\/title><rect [^>]*fill="(#[0-9a-f]{6})"/g)) {
    assert.ok(boxes[m[1]] === undefined || boxes[m[1]] === m[2], `every ${m[1]} box in one colour`);
    boxes[m[1]] = m[2];
  }
  const legend = Object.fromEntries([...html.matchAll(/<li data-type="([^"]*)"><span class="swatch" style="background:(#[0-9a-f]{6})/g)].map((m) => [m[1], m[2]]));
  return { boxes, legend };
}

describe('page colours', () => {
  it('gives a schema its fixed colours first, then the unused ones in schema order', () => {
    // Loc (fixed) and Join (hashed) had one colour under the hash alone; RNA and Cell_line too.
    assert.deepEqual(fills(new PageColors(['Person', 'Org', 'Loc', 'Join']), ['Person', 'Org', 'Loc', 'Join']), ['#a6cee3', '#fdbf6f', '#b2df8a', '#fb9a99']);
    const bio = ['Protein', 'Cell', 'DNA', 'RNA', 'Cell_line'];
    assert.deepEqual(fills(new PageColors(bio), bio), palette.slice(0, 5).map((c) => c.fill));
    // A usual type keeps its colour wherever the schema lists it; two usual types of one colour (Task, Person) part.
    assert.deepEqual(fills(new PageColors(['Join', 'Loc']), ['Join', 'Loc']), ['#a6cee3', '#b2df8a']);
    // Listed after a type of no fixed colour, a usual type still has its own: Join does not take Person's (review 18a finding 9).
    assert.deepEqual(fills(new PageColors(['Join', 'Person']), ['Join', 'Person']), ['#b2df8a', '#a6cee3']);
    assert.deepEqual(fills(new PageColors(['Task', 'Person']), ['Task', 'Person']), ['#a6cee3', '#b2df8a']);
    assert.deepEqual(fills(new PageColors(['Peop', 'Per']), ['Peop', 'Per']), ['#a6cee3', '#b2df8a']);
  });

  it('colours a type met later with the next unused colour, and beyond the palette by the hash', () => {
    const colors = new PageColors(['Peop', 'Org']);
    assert.deepEqual(fills(colors, ['Zed', 'Loc', 'Zed', 'Peop']), ['#b2df8a', '#fb9a99', '#b2df8a', '#a6cee3'], 'Loc: its own colour is taken by then');
    const many = Array.from({ length: 14 }, (_, i) => `Type${i}`);
    const page = new PageColors(many);
    assert.deepEqual(fills(page, many.slice(0, 12)), palette.map((c) => c.fill), 'twelve types, twelve colours');
    // The hash's colours (literal: a change of the hash fails here).
    assert.deepEqual(fills(page, [...many.slice(12), 'Protein', 'Join', 'constructor']), ['#fb9a99', '#b2df8a', '#cab2d6', '#b2df8a', '#fdbf6f']);
  });

  it('draws two types of one document apart, in the boxes and the legend', () => {
    const doc = viewDocument(documentFromTokens('d', [{ tokens: ['Ann', 'joined', 'Paris', 'there'], entities: [{ id: 'T1', type: 'Loc', start: 2, end: 3 }, { id: 'T2', type: 'Join', start: 1, end: 2 }], relations: [] }]));
    for (const html of [renderHtml(doc), renderHtmlReport([doc]), renderDocumentSvg(doc)]) {
      const { boxes } = drawnColors(html);
      assert.deepEqual(Object.keys(boxes).sort(), ['Join', 'Loc']);
      assert.notEqual(boxes.Loc, boxes.Join, 'Loc and Join apart');
      assert.equal(boxes.Loc, palette[1].fill, 'Loc in its usual colour');
    }
    const { boxes, legend } = drawnColors(renderHtml(doc));
    assert.deepEqual(legend, boxes, 'the legend shows the colours drawn');
    const compared = { ...doc, entities: doc.entities.map((e) => ({ ...e, status: 'correct' as const })), relations: [] };
    const page = drawnColors(renderComparisonHtml([compared]));
    assert.notEqual(page.boxes.Loc, page.boxes.Join, 'the comparison page too');
    assert.deepEqual(page.legend, page.boxes);
  });

  describe('the web view, extract --format html and entrel view agree', () => {
    // Under the hash Loc and Join collide, and Person, RNA and Cell_line.
    const types = ['Person', 'Org', 'Loc', 'Join', 'Protein', 'Cell', 'DNA', 'RNA', 'Cell_line'];
    const corpus: Document[] = types.map((type, i) =>
      documentFromTokens(`d${i}`, [{ tokens: ['The', `X${i}`, 'was', 'seen'], entities: [{ id: 'T1', type, start: 1, end: 2 }], relations: [] }]),
    );
    const extracted: ExtractedDocument[] = corpus.map((d) => ({ ...viewDocument(d), entities: viewDocument(d).entities.map((e) => ({ ...e, score: 0.9 })) }));
    const schema = { entityTypes: types, relationTypes: [] };
    class TypedFake extends FakeExtractor {
      override info(): ModelInfo {
        return { ...super.info(), ...schema };
      }
    }
    const app = buildServer(new TypedFake());
    after(() => app.close());
    const dir = tempDir('entrel-colors-');
    const expected = Object.fromEntries(types.map((t) => [t, new PageColors(types).of(t).fill]));

    it('all three draw the schema in the same distinct colours', async () => {
      assert.equal(new Set(Object.values(expected)).size, types.length, 'nine types, nine colours');
      // Each in another order than the schema's: the schema sets the colours, not which type comes first.
      const reversed = extracted.slice().reverse();
      // The web page draws what /v1/render answers.
      const res = await post(app, '/v1/render', { documents: reversed });
      assert.equal(res.status, 200, res.body);
      const web = drawnColors(res.body);
      // extract --format html, with the model's schema.
      const page = join(dir, 'extract.html');
      await writeExtractions((async function* () { for (const [i, doc] of reversed.entries()) yield { id: `d${i}`, doc }; })(), page, 'html', { ...schema, tokenizer: 'ptb', name: 'm', version: '1' });
      const extract = drawnColors(readFileSync(page, 'utf8'));
      // entrel view of the corpus, its types file declaring the schema.
      const file = join(dir, 'corpus.jsonl');
      await writeCorpus(corpus.slice().reverse(), schema, file, 'jsonl');
      const r = await entrel('view', file, '--out', join(dir, 'view.html'), '--quiet');
      assert.equal(r.code, 0, r.err);
      const view = drawnColors(readFileSync(join(dir, 'view.html'), 'utf8'));
      for (const [name, drawn] of Object.entries({ web, extract, view })) {
        assert.deepEqual(drawn.boxes, expected, `${name}: boxes`);
        assert.deepEqual(drawn.legend, expected, `${name}: legend`);
      }
    });

    it('entrel view colours an undeclared file by first appearance, as a model trained on it lists its types', async () => {
      const file = join(dir, 'undeclared.json');
      await writeCorpus(corpus, schema, file, 'unified');
      const r = await entrel('view', file, '--out', join(dir, 'undeclared.html'), '--quiet');
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(drawnColors(readFileSync(join(dir, 'undeclared.html'), 'utf8')).boxes, expected);
      // Join first, then Loc: Loc keeps its usual colour even so (the types are known before the first figure).
      const reordered = join(dir, 'reordered.json');
      await writeCorpus([corpus[3], corpus[2]], schema, reordered, 'unified');
      const r2 = await entrel('view', reordered, '--out', join(dir, 'reordered.html'), '--quiet');
      assert.equal(r2.code, 0, r2.err);
      assert.deepEqual(drawnColors(readFileSync(join(dir, 'reordered.html'), 'utf8')).boxes, { Join: '#a6cee3', Loc: '#b2df8a' });
    });
  });
});
