/** The drawing's geometry: nothing that carries text (labels, type tags) is hidden by something else, and text reads in order. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExtractedDocument, ExtractedEntity } from '../../src/extract/types.js';
import { renderDocumentSvg } from '../../src/web/index.js';
import { geometry, layoutDocument, type EntityBox, type Row } from '../../src/web/layout.js';

/** A document whose entities are the given [word, type] pairs, found left to right in `text`. */
function docWith(text: string, words: [string, string][], relations: [number, number, string][]): ExtractedDocument {
  let from = 0;
  const entities: ExtractedEntity[] = words.map(([w, type], i) => {
    const start = text.indexOf(w, from);
    from = start + w.length;
    return { id: `T${i + 1}`, text: w, type, start, end: start + w.length, sentence: 0, tokenStart: i, tokenEnd: i + 1, score: 1 };
  });
  return { text, sentences: [], entities, relations: relations.map(([h, t, type]) => ({ type, head: `T${h + 1}`, tail: `T${t + 1}`, score: 1 })) };
}

/** Ten entities, fourteen relations: arcs crossing, nested, sharing boxes, pointing both ways. */
const dense = docWith(
  'Ann met Bob, Cy and Di at IBM in Rome, Oslo and Kyiv with Ed of UN.',
  [['Ann', 'Peop'], ['Bob', 'Peop'], ['Cy', 'Peop'], ['Di', 'Peop'], ['IBM', 'Org'], ['Rome', 'Loc'], ['Oslo', 'Loc'], ['Kyiv', 'Loc'], ['Ed', 'Peop'], ['UN', 'Org']],
  [[0, 4, 'Work_For'], [1, 4, 'Work_For'], [2, 4, 'Work_For'], [3, 4, 'Work_For'], [4, 5, 'OrgBased_In'], [4, 6, 'OrgBased_In'], [4, 7, 'OrgBased_In'],
    [0, 5, 'Live_In'], [8, 9, 'Work_For'], [9, 7, 'OrgBased_In'], [3, 1, 'Kill'], [2, 0, 'Kill'], [5, 6, 'Located_In'], [6, 7, 'Located_In']],
);

/** x of the legs an arc drops to its entity boxes. */
const legsOf = (a: Row['arcs'][number]) => [...('box' in a.from ? [a.x1] : []), ...('box' in a.to ? [a.x2] : [])];

/** Legs of higher arcs within `margin` of the label of `arc` centred at `at` (a leg slants by up to 4 px). */
function legsThroughLabel(row: Row, arc: Row['arcs'][number], at = arc.labelX, margin = 4): number[] {
  const [lo, hi] = [at - arc.labelWidth / 2, at + arc.labelWidth / 2];
  return row.arcs.filter((q) => q.level > arc.level).flatMap(legsOf).filter((x) => x + margin > lo && x - margin < hi);
}

/** Whether the label of `arc` fits somewhere on its arc's span clear of such legs (and their stroke). */
function roomOnArc(row: Row, arc: Row['arcs'][number]): boolean {
  const [left, right] = [Math.min(arc.x1, arc.x2) + arc.labelWidth / 2, Math.max(arc.x1, arc.x2) - arc.labelWidth / 2];
  for (let at = left; at <= right; at += 0.5) if (legsThroughLabel(row, arc, at, 5).length === 0) return true;
  return false;
}

describe('drawing geometry', () => {
  it('moves a label along its arc out of the way of a higher arc coming down through its level', () => {
    // Kill (Cy → Ann) is the shorter arc, so the lower one; Work_For's leg drops to Bob, under its middle.
    const doc = docWith('Ann met Bob, Cy and Di at IBM', [['Ann', 'Peop'], ['Bob', 'Peop'], ['Cy', 'Peop'], ['IBM', 'Org']], [[2, 0, 'Kill'], [1, 3, 'Work_For']]);
    const [row] = layoutDocument(doc).rows;
    const kill = row.arcs.find((a) => a.label === 'Kill') as Row['arcs'][number];
    assert.equal(kill.level, 1);
    assert.deepEqual(legsThroughLabel(row, kill), []);
    const [ann, cy] = [row.boxes[0], row.boxes[2]];
    assert.ok(kill.labelX - kill.labelWidth / 2 >= ann.x && kill.labelX + kill.labelWidth / 2 <= cy.x + cy.w, 'the label stays on its arc');
  });

  it('keeps labels of a dense document clear of legs wherever its arc leaves room, and apart from each other', () => {
    for (const width of [80, 40, 25]) {
      for (const row of layoutDocument(dense, { width }).rows) {
        for (const arc of row.arcs) {
          if (roomOnArc(row, arc)) assert.deepEqual(legsThroughLabel(row, arc), [], `${arc.label} at width ${width}`);
        }
        const labels = row.arcs.map((a) => ({ lo: a.labelX - a.labelWidth / 2, hi: a.labelX + a.labelWidth / 2, level: a.level }));
        for (const [i, a] of labels.entries()) {
          for (const b of labels.slice(i + 1)) assert.ok(a.level !== b.level || a.hi <= b.lo || b.hi <= a.lo, 'labels of a level do not overlap');
        }
      }
    }
  });

  it('draws higher arcs first, so a leg that must cross a lower label passes behind it', () => {
    const svg = renderDocumentSvg(dense);
    for (const row of svg.split('<g class="row">').slice(1)) {
      // A label's y grows as its level falls: in drawing order the ys must not decrease.
      const ys = [...row.matchAll(/<rect class="relation-label-bg" x="[^"]*" y="([^"]*)"/g)].map((m) => Number(m[1]));
      assert.deepEqual(ys, [...ys].sort((a, b) => a - b));
    }
  });

  it('draws right-to-left text from the right, and left-to-right runs inside it from the left', () => {
    // An Arabic paragraph: the first word is rightmost, each word further left; the entities go with them.
    const arabic = docWith('محمد يعمل في شركة أرامكو في الظهران', [['محمد', 'Peop'], ['أرامكو', 'Org'], ['الظهران', 'Loc']], [[0, 1, 'Work_For']]);
    const [row] = layoutDocument(arabic).rows;
    const pieces = [...row.words, ...row.boxes];
    const xOf = (t: string) => (pieces.find((p) => p.text === t) as { x: number }).x;
    const order = ['محمد', 'يعمل', 'في', 'شركة', 'أرامكو'];
    assert.deepEqual(order.map(xOf), order.map(xOf).sort((a, b) => b - a), 'reading order runs right to left');
    assert.ok(xOf('الظهران') < xOf('أرامكو'), 'xOf(\'الظهران\') < xOf(\'أرامكو\')');
    assert.equal(Math.min(...pieces.map((p) => p.x)), geometry.padX, 'the row keeps its place');
    const [arc] = row.arcs;
    assert.ok(arc.x1 > arc.x2, 'the arc runs from محمد on the right to أرامكو on its left');
    // Each piece reads right to left inside too (a full stop ends up on its left), from its right end.
    const yahmal = row.words.find((w) => w.text === 'يعمل') as { x: number; w: number };
    assert.match(renderDocumentSvg(arabic), new RegExp(`<text class="word" x="${Math.round((yahmal.x + yahmal.w) * 10) / 10}" direction="rtl"[^>]*>يعمل</text>`));
    // An English paragraph with a Hebrew name in it: only the name's words swap.
    const english = docWith('John met שרה כהן in Paris', [['John', 'Peop'], ['Paris', 'Loc']], []);
    const [en] = layoutDocument(english).rows;
    const words = [...en.words].sort((a, b) => a.x - b.x).map((w) => w.text);
    assert.deepEqual(words, ['met', 'כהן', 'שרה', 'in']);
    assert.ok(en.boxes[0].x < en.boxes[1].x, 'John before Paris');
  });

  it('puts type tags that would overprint each other on separate lines, inside the drawing', () => {
    const doc = docWith('HP, GE, 3M and X work with Acme in US', [['HP', 'Organization'], ['GE', 'Organization'], ['3M', 'Organization'], ['X', 'OtherScientificTerm'], ['Acme', 'Organization'], ['US', 'Location']], []);
    const layout = layoutDocument(doc);
    const tags = layout.rows.flatMap((r) => r.boxes.map((b) => ({ ...b.tag, lo: b.tag.x - b.tag.w / 2, hi: b.tag.x + b.tag.w / 2 })));
    for (const t of tags) assert.ok(t.lo >= 0 && t.hi <= layout.width, `tag ${t.lo}–${t.hi} inside 0–${layout.width}`);
    for (const [i, a] of tags.entries()) {
      for (const b of tags.slice(i + 1)) assert.ok(a.line !== b.line || a.hi <= b.lo || b.hi <= a.lo, 'tags on a line do not overlap');
    }
    const [row] = layout.rows;
    const lines = 1 + Math.max(...row.boxes.map((b) => b.tag.line));
    assert.ok(lines > 1, 'lines > 1');
    assert.equal(row.height, geometry.arcBase + geometry.boxHeight + lines * geometry.tagHeight + geometry.rowGap, 'the row makes room for its tag lines');
    // The SVG draws each tag where the layout put it, forced to its width.
    const drawn = [...renderDocumentSvg(doc).matchAll(/<text class="entity-type" x="([^"]*)" y="([^"]*)" textLength="([^"]*)"/g)].map((m) => m.slice(1).map(Number));
    assert.deepEqual(drawn.map(([x, , w]) => [x, w]), tags.map((t) => [Math.round(t.lo * 10) / 10, Math.round(t.w * 10) / 10]));
    assert.equal(new Set(drawn.map(([, y]) => y)).size, lines);
  });

  it('keeps type tags of stacked lanes clear of the drops that pass them on the way to a lower lane', () => {
    // Nested entities on one span: three lanes, each relation from Ann dropping to its own lane.
    const text = 'Ann visited New York City Hall';
    const at = (w: string) => text.indexOf(w);
    const entity = (id: string, w: string, type: string, start = at(w)): ExtractedEntity => ({ id, text: w, type, start, end: start + w.length, sentence: 0, tokenStart: 0, tokenEnd: 1, score: 1 });
    const doc: ExtractedDocument = {
      text,
      sentences: [],
      entities: [entity('A', 'Ann', 'Person'), entity('H', 'New York City Hall', 'Facility'), entity('C', 'New York City', 'Location'), entity('Y', 'New York', 'StateOrProvince')],
      relations: ['H', 'C', 'Y'].map((tail, i) => ({ type: `r${i}`, head: 'A', tail, score: 1 })),
    };
    const [row] = layoutDocument(doc, { stack: true }).rows;
    assert.deepEqual(row.boxes.map((b) => `${b.entity.id}${b.lane}`).sort(), ['A0', 'C1', 'H0', 'Y2']);
    const ends = row.arcs.map((a) => ({ x: a.x2, lane: ('box' in a.to ? (a.to.box as EntityBox).lane : 0) }));
    assert.equal(ends.filter((e) => e.lane > 0).length, 2);
    for (const d of ends)
      for (const b of row.boxes.filter((b) => b.lane < d.lane)) {
        const [lo, hi] = [b.tag.x - b.tag.w / 2, b.tag.x + b.tag.w / 2];
        assert.ok(d.x <= lo - 2 || d.x >= hi + 2, `the drop at ${d.x} to lane ${d.lane} crosses the tag of ${b.entity.text} (${lo}–${hi})`);
      }
    // Without drops the tags stay centred under their boxes.
    const [plain] = layoutDocument({ ...doc, relations: [] }, { stack: true }).rows;
    for (const b of plain.boxes) assert.ok(Math.abs(b.tag.x - (b.x + b.w / 2)) < 1e-9, `${b.entity.text} centred`);
  });

  it('gives wide characters in type names their two columns, in labels and tags alike', () => {
    const doc = docWith('李白 生于 碎叶城', [['李白', '人物'], ['碎叶城', '地点']], [[0, 1, '出生地']]);
    const [row] = layoutDocument(doc).rows;
    assert.equal(row.arcs[0].labelWidth, 6 * geometry.labelCharWidth + 8, '出生地: 3 characters, 6 columns');
    assert.deepEqual(row.boxes.map((b) => b.tag.w), [4 * geometry.labelCharWidth, 4 * geometry.labelCharWidth]);
  });
});
