/**
 * Predictions drawn against gold: the marks of every entity and relation (test/fixtures/view holds a
 * hand-made pair with known errors), the counts in captions and JSON, and the page's scores.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Document } from '../../src/data/corpus.js';
import { loadCorpus } from '../../src/data/formats/index.js';
import { compareCorpora, compareDocument, comparisonCounts, renderComparisonHtml, renderDocumentSvg, UserError, type ComparedDocument } from '../../src/index.js';
import { layoutDocument, type EntityBox } from '../../src/web/layout.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/view/${name}`, import.meta.url));

async function compared() {
  const gold = await loadCorpus(fixture('gold.jsonl'));
  const pred = await loadCorpus(fixture('pred.jsonl'));
  const { report, documents } = compareCorpora(gold.documents, pred.documents, { schema: gold.schema });
  return { report, docs: [...documents] };
}

/** `text/type` → status of every entity, `type: head → tail/tail type` → status of every relation. */
function marks(doc: ComparedDocument) {
  const byId = new Map(doc.entities.map((e) => [e.id, e]));
  return {
    entities: Object.fromEntries(doc.entities.map((e) => [`${e.text}/${e.type}`, e.status])),
    relations: Object.fromEntries(doc.relations.map((r) => [`${r.type}: ${byId.get(r.head)?.text} → ${byId.get(r.tail)?.text}/${byId.get(r.tail)?.type}`, r.status])),
  };
}

/** Unescapes the JSON of each `<pre class="json">` of a page. */
const jsonPanels = (html: string) =>
  [...html.matchAll(/<pre class="json">([\s\S]*?)<\/pre>/g)].map((m) =>
    JSON.parse(m[1].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')),
  );

const count = (html: string, re: RegExp) => html.match(re)?.length ?? 0;

describe('comparison of predictions with gold', () => {
  it('marks each entity and relation under the strict criteria', async () => {
    const { docs } = await compared();
    assert.deepEqual(docs.map((d) => d.id), ['d1', 'd2', 'd3']);
    assert.deepEqual(marks(docs[0]), {
      entities: { 'John Smith/Peop': 'correct', 'works/Other': 'spurious', 'Acme Corp/Org': 'correct', 'Boston/Org': 'spurious', 'Boston/Loc': 'missed' },
      relations: {
        // Right arguments, wrong relation type: the prediction is spurious and the gold relation missed.
        'OrgBased_In: John Smith → Acme Corp/Org': 'spurious',
        'Work_For: John Smith → Acme Corp/Org': 'missed',
        // Their tail is typed Loc in gold and Org in the prediction.
        'Live_In: John Smith → Boston/Org': 'spurious',
        'Live_In: John Smith → Boston/Loc': 'missed',
        'OrgBased_In: Acme Corp → Boston/Loc': 'missed',
      },
    });
    assert.deepEqual(marks(docs[1]), {
      entities: { 'Bob/Peop': 'correct', 'Mary Jones/Peop': 'correct', 'Ann Lee/Peop': 'correct', 'Paris ./Loc': 'spurious', 'Paris/Loc': 'missed' },
      relations: {
        // Married is symmetric (gold_types.json): given reversed, it is correct.
        'Married: Mary Jones → Ann Lee/Peop': 'correct',
        'Live_In: Ann Lee → Paris ./Loc': 'spurious',
        'Live_In: Ann Lee → Paris/Loc': 'missed',
      },
    });
    assert.ok(docs[2].entities.every((e) => e.status === 'correct') && docs[2].relations.every((r) => r.status === 'correct'), 'docs[2].entities.every((e) => e.status === \'correct\') && docs[2].relations.every((r) => r.status ...');
  });

  it("counts what the Scorer counts: the marks add up to evaluate's micro TP/FP/FN", async () => {
    const { report, docs } = await compared();
    const sum = (kind: 'entities' | 'relations', s: 'correct' | 'spurious' | 'missed') => docs.reduce((n, d) => n + comparisonCounts(d)[kind][s], 0);
    const micro = (m: { tp: number; fp: number; fn: number }) => [m.tp, m.fp, m.fn];
    assert.deepEqual([sum('entities', 'correct'), sum('entities', 'spurious'), sum('entities', 'missed')], micro(report.entities.micro));
    assert.deepEqual([sum('relations', 'correct'), sum('relations', 'spurious'), sum('relations', 'missed')], micro(report.relations.strict.micro));
    assert.deepEqual(micro(report.entities.micro), [7, 3, 2]);
    assert.deepEqual(micro(report.relations.strict.micro), [2, 3, 4]);
  });

  it('scores a directed relation given reversed as spurious, and its gold as missed', () => {
    const tokens = ['Ann', 'hired', 'Bob'].map((text, i) => ({ text, start: i * 6, end: i * 6 + text.length }));
    const doc = (head: string, tail: string): Document => ({
      id: 'x',
      text: 'Ann   hired Bob',
      sentences: [{ tokens, entities: [{ id: 'a', type: 'Peop', start: 0, end: 1 }, { id: 'b', type: 'Peop', start: 2, end: 3 }], relations: [{ type: 'Knows', head, tail }] }],
    });
    const directed = compareDocument(doc('a', 'b'), doc('b', 'a'));
    assert.deepEqual(directed.relations.map((r) => r.status).sort(), ['missed', 'spurious']);
    const symmetric = compareDocument(doc('a', 'b'), doc('b', 'a'), (t) => t === 'Knows');
    assert.deepEqual(symmetric.relations.map((r) => r.status), ['correct']);
    // A document without its prediction: everything missed, at the gold offsets.
    const none = compareDocument(doc('a', 'b'), undefined);
    assert.deepEqual(none.entities.map((e) => [e.text, e.start, e.end, e.status]), [['Ann', 0, 3, 'missed'], ['Bob', 12, 15, 'missed']]);
  });

  it('draws the marks, not by colour alone: classes, ✗ on spurious tags and labels, dashed missed items, words in the description', async () => {
    const { report, docs } = await compared();
    const html = renderComparisonHtml(docs, { scores: report, title: 'Fixture <run>' });
    // Entity groups carry their status (the legend's samples have no data-id).
    assert.equal(count(html, /<g class="entity correct" data-id/g), 7);
    assert.equal(count(html, /<g class="entity spurious" data-id/g), 3);
    assert.equal(count(html, /<g class="entity missed" data-id/g), 2);
    // Relation arcs (the groups with their type; a drop to a stacked box is a group of its own).
    assert.equal(count(html, /<g class="relation correct" data-type/g), 2);
    assert.equal(count(html, /<g class="relation spurious" data-type/g), 3);
    assert.equal(count(html, /<g class="relation missed" data-type/g), 4);
    // Text markers: the spurious items' tags and labels begin with ✗.
    for (const tag of ['✗ Other', '✗ Org', '✗ Loc', '✗ OrgBased_In', '✗ Live_In']) assert.ok(html.includes(`>${tag}</text>`), tag);
    assert.ok(!html.includes('>✗ Peop</text>'), 'correct entities are not marked');
    // The style that dashes missed items and thickens spurious ones is on the page.
    assert.match(html, /\.entity\.missed rect \{[^}]*stroke-dasharray/);
    assert.match(html, /\.relation\.missed \.arc \{[^}]*stroke-dasharray/);
    assert.match(html, /\.entity\.spurious rect \{[^}]*stroke-width: 3/);
    // Screen readers hear each item's status.
    assert.ok(html.includes('Boston (Org, spurious), Boston (Loc, missed)'), 'html.includes(\'Boston (Org, spurious), Boston (Loc, missed)\')');
    assert.ok(html.includes('Married from Mary Jones (Peop) to Ann Lee (Peop), correct; Live_In from Ann Lee (Peop) to Paris . (Loc), spurious; Live_In from Ann Lee (Peop) to Paris (Loc), missed.'), 'html.includes(\'Married from Mary Jones (Peop) to Ann Lee (Peop), correct; Live_In from Ann Lee (P...');
    assert.ok(html.includes('<title>Live_In: Ann Lee → Paris, missed</title>'), 'an arc says its status in its title, and no score the data lacks');
  });

  it('captions each figure with its counts, keys the marks in a legend and heads the page with the micro scores', async () => {
    const { report, docs } = await compared();
    const html = renderComparisonHtml(docs, { scores: report });
    const captions = [...html.matchAll(/<figcaption>([^<]*)<\/figcaption>/g)].map((m) => m[1]);
    assert.deepEqual(captions, [
      'd1: entities 2 correct, 2 spurious, 1 missed; relations 0 correct, 2 spurious, 3 missed',
      'd2: entities 3 correct, 1 spurious, 1 missed; relations 1 correct, 1 spurious, 1 missed',
      'd3: entities 2 correct, 0 spurious, 0 missed; relations 1 correct, 0 spurious, 0 missed',
    ]);
    const legend = /<ul class="legend marks" aria-label="Marks">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
    assert.deepEqual([...legend.matchAll(/<b>(\w+)<\/b>: ([^<]*)/g)].map((m) => `${m[1]}: ${m[2].trim()}`), [
      'correct: in gold and predicted',
      'spurious: predicted, not in gold',
      'missed: in gold, not predicted',
    ]);
    const cells = (name: string) => new RegExp(`<th scope="row">${name}</th>((?:<td>[^<]*</td>)+)`).exec(html)?.[1].match(/[\d.]+/g);
    assert.deepEqual(cells('Entities'), ['70.0', '77.8', '73.7', '7', '3', '2']);
    assert.deepEqual(cells('Relations \\(strict\\)'), ['40.0', '33.3', '36.4', '2', '3', '4']);
  });

  it('gives each item its status in the JSON tab, with the counts and no scores the data lacks', async () => {
    const { docs } = await compared();
    const [d1] = jsonPanels(renderComparisonHtml(docs));
    assert.equal(d1.id, 'd1');
    assert.deepEqual(d1.counts, { entities: { correct: 2, spurious: 2, missed: 1 }, relations: { correct: 0, spurious: 2, missed: 3 } });
    assert.deepEqual(d1.entities.find((e: { text: string; type: string }) => e.text === 'Boston' && e.type === 'Loc'), {
      id: 'T5', text: 'Boston', type: 'Loc', start: 34, end: 40, sentence: 0, tokenStart: 7, tokenEnd: 8, status: 'missed',
    });
    assert.deepEqual(d1.relations.map((r: { status: string }) => r.status), ['spurious', 'spurious', 'missed', 'missed', 'missed']);
  });

  it('draws a missed entity that overlaps a predicted one below it, with the arrow of its relation on the drop to it', async () => {
    const { docs } = await compared();
    const d2 = docs[1];
    const rows = layoutDocument(d2, { stack: true }).rows;
    const boxes = rows.flatMap((r) => r.boxes.map((b) => ({ name: `${b.entity.text}/${(b.entity as { status?: string }).status}`, lane: b.lane, top: r.boxTop + b.dy, x: b.x })));
    const spurious = boxes.find((b) => b.name === 'Paris ./spurious');
    const missed = boxes.find((b) => b.name === 'Paris/missed');
    assert.ok(spurious && missed, 'spurious && missed');
    assert.equal(spurious.lane, 0);
    assert.equal(missed.lane, 1);
    assert.ok(missed.top > spurious.top + 22, 'below the box and its tag');
    assert.equal(missed.x, spurious.x, 'under the same text');
    const svg = renderDocumentSvg(d2, { stack: true });
    const missedArc = /<g class="relation missed" data-type="Live_In"[\s\S]*?<\/g>/.exec(svg)?.[0] ?? '';
    assert.doesNotMatch(missedArc, /marker-end/, 'the arc itself ends at the line above');
    assert.match(svg, /<g class="relation missed"><path class="arc" d="M[\d.]+,[\d.]+ L[\d.]+,[\d.]+" fill="none" marker-end="url\(#entrel-arrow-0\)"\/><\/g>/);
    // Without `stack` (extraction's drawing) an overlapping entity is left out, as before.
    assert.equal(layoutDocument(d2).entities.length, d2.entities.length - 1);
  });

  it("keeps the type tag of a predicted entity clear of the drop to the missed one below it, in the layout and the SVG", async () => {
    const { docs } = await compared();
    for (const doc of docs) {
      for (const width of [80, 40, 25]) {
        // Layout: each arc end at a stacked box drops through the lanes above it; their tags keep clear.
        for (const row of layoutDocument(doc, { stack: true, width }).rows) {
          const drops = row.arcs.flatMap((a) => [[a.from, a.x1] as const, [a.to, a.x2] as const]).flatMap(([end, x]) => ('box' in end ? [{ x, lane: (end.box as EntityBox).lane }] : []));
          for (const d of drops.filter((d) => d.lane > 0))
            for (const b of row.boxes.filter((b) => b.lane < d.lane)) {
              const [lo, hi] = [b.tag.x - b.tag.w / 2, b.tag.x + b.tag.w / 2];
              assert.ok(d.x <= lo - 2 || d.x >= hi + 2, `${doc.id} width ${width}: the drop at ${d.x} crosses the tag of ${b.entity.text}/${b.entity.type} (${lo}–${hi})`);
              // The tag still belongs to its box: it overlaps it.
              assert.ok(lo < b.x + b.w && hi > b.x, `${doc.id}: the tag of ${b.entity.text} stays under its box`);
            }
        }
        // SVG: no vertical drop path runs through the text of a type tag.
        const svg = renderDocumentSvg(doc, { stack: true, width });
        const drops = [...svg.matchAll(/<path class="arc" d="M([\d.]+),([\d.]+) L([\d.]+),([\d.]+)" fill="none"/g)]
          .map((m) => m.slice(1).map(Number))
          .filter(([x1, , x2]) => x1 === x2);
        const tags = [...svg.matchAll(/<text class="entity-type" x="([\d.]+)" y="([\d.]+)" textLength="([\d.]+)"[^>]*>([^<]*)</g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), w: Number(m[3]), text: m[4] }));
        for (const [x, y1, , y2] of drops)
          for (const t of tags)
            if (t.y - 8 < y2 && t.y + 2 > y1) assert.ok(x < t.x - 1 || x > t.x + t.w + 1, `${doc.id} width ${width}: the drop at x=${x} crosses the tag "${t.text}" (${t.x}–${t.x + t.w})`);
        if (doc.id !== 'd3') assert.ok(drops.length > 0, `${doc.id} has drops to check`);
      }
    }
  });

  it('refuses a document whose items have no status, naming the field', async () => {
    const { docs } = await compared();
    const bad = structuredClone(docs);
    (bad[1].relations[2] as { status: string }).status = 'wrong';
    assert.throws(() => renderComparisonHtml(bad), (e) => e instanceof UserError && /^docs\[1\]\.relations\[2\]\.status: must be correct, spurious, missed, got "wrong"$/.test(e.message));
    assert.throws(() => renderComparisonHtml(docs, { title: 'x', colour: 1 } as never), /options: unknown option "colour"/);
  });

  it('refuses, from code, an entity span past its sentence, naming the entity (not a TypeError)', async () => {
    const gold = (await loadCorpus(fixture('gold.jsonl'))).documents;
    const pred = structuredClone(gold);
    pred[0].sentences[0].entities[0].end = 99;
    const { documents } = compareCorpora(gold, pred);
    assert.throws(() => [...documents], (e) => e instanceof UserError && /^document 'd1', sentence 0, Peop entity \[0, 99\): end 99 is past the end \(9 tokens\)$/.test(e.message));
  });
});
