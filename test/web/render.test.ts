import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExtractedDocument, ExtractedEntity } from '../../src/extract/types.js';
import { escapeHtml } from '../../src/data/escape.js';
import { renderAppPage } from '../../src/web/app-page.js';
import { PageColors, palette } from '../../src/web/colors.js';
import { geometry, layoutDocument } from '../../src/web/layout.js';
import { renderDocumentSvg, renderHtml, renderHtmlReport } from '../../src/web/index.js';
import { fakeExtract } from '../server/fake-extractor.js';
import { timed } from '../cpu-clock.js';

/** A document whose entities are the given words of `text` (first occurrence), typed `T`. */
function docWith(text: string, words: string[], relations: [number, number, string][]): ExtractedDocument {
  const entities: ExtractedEntity[] = words.map((w, i) => {
    const start = text.indexOf(w);
    return { id: `T${i + 1}`, text: w, type: 'T', start, end: start + w.length, sentence: 0, tokenStart: i, tokenEnd: i + 1, score: 1 };
  });
  return { text, sentences: [], entities, relations: relations.map(([h, t, type]) => ({ type, head: `T${h + 1}`, tail: `T${t + 1}`, score: 1 })) };
}

const arcsOf = (doc: ExtractedDocument, width?: number) => layoutDocument(doc, { width }).rows.flatMap((r, row) => r.arcs.map((a) => ({ ...a, row })));

describe('renderer', () => {
  it('shows text from the input as text: no markup gets through', () => {
    const text = 'Ann <script>alert(1)</script> met "Bob" & <img src=x onerror=alert(2)> Carl.';
    const doc = fakeExtract(text);
    doc.entities[0].type = '<b onmouseover="x">';
    doc.relations.push({ type: "'><script>alert(3)</script>", head: 'T1', tail: 'T2', score: 1 });
    for (const html of [renderDocumentSvg(doc), renderHtml(doc)]) {
      assert.doesNotMatch(html, /<script>alert|<img|<b |onerror=alert\(2\)>/);
      assert.match(html, /&lt;script&gt;/);
    }
    const page = renderHtml(doc);
    assert.equal(page.match(/<script>/g)?.length, 1, 'only the tab script');
    assert.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, 'the JSON tab holds the escaped text');
  });

  it('writes no character XML forbids, so a saved SVG stays readable', () => {
    const doc = docWith('Ann\vLee met Bob\u0001 in Paris \ud800 \udc00x.', ['Ann\vLee', 'Bob\u0001', 'Paris'], [[0, 1, 'Met\u0002']]);
    doc.entities[2].type = 'Loc\ufffe';
    for (const out of [renderDocumentSvg(doc), renderHtml(doc)]) {
      assert.doesNotMatch(out, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    }
    assert.equal(escapeHtml('😀 <a\u000b>'), '😀 &lt;a\ufffd&gt;', 'pairs stay, forbidden characters become U+FFFD');
  });

  it('colours each type the same everywhere, and the usual types differently', () => {
    // Literal colours: a change of the palette's order or of the fixed list fails here.
    const fixed = ['Peop', 'Loc', 'Org', 'Other', 'Task', 'Generic'];
    assert.deepEqual(fixed.map((t) => new PageColors().of(t).fill), ['#a6cee3', '#b2df8a', '#fdbf6f', '#cab2d6', '#a6cee3', '#d9d9d9']);
    const fills = new PageColors(['Peop', 'Loc', 'Org', 'Other']);
    assert.equal(new Set(['Peop', 'Loc', 'Org', 'Other'].map((t) => fills.of(t).fill)).size, 4);
    assert.ok(new PageColors(['constructor']).of('constructor').fill, 'names of Object properties are ordinary types');
    const doc = fakeExtract('John Smith works for Acme Corp in Boston.');
    const html = renderHtml(doc);
    for (const [t, fill] of [['Peop', '#a6cee3'], ['Org', '#fdbf6f'], ['Loc', '#b2df8a']]) {
      assert.ok(html.includes(`fill="${fill}"`), `box of ${t}`);
      assert.ok(html.includes(`<li data-type="${t}"><span class="swatch" style="background:${fill}`), `legend of ${t}`);
    }
  });

  it('keeps the colours apart from each other, and type tags readable on white', () => {
    const linear = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    const lab = (hex: string) => {
      const [r, g, b] = linear(hex);
      const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
      const [x, y, z] = [(r * 0.4124 + g * 0.3576 + b * 0.1805) / 0.95047, r * 0.2126 + g * 0.7152 + b * 0.0722, (r * 0.0193 + g * 0.1192 + b * 0.9505) / 1.08883];
      return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
    };
    const luminance = (hex: string) => linear(hex).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    for (const [i, a] of palette.entries()) {
      assert.ok(1.05 / (luminance(a.stroke) + 0.05) >= 4.5, `tag colour ${a.stroke} on white`);
      for (const b of palette.slice(i + 1)) {
        const [p, q] = [lab(a.fill), lab(b.fill)];
        assert.ok(Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]) >= 15, `${a.fill} and ${b.fill} look alike`);
      }
    }
    const scierc = ['Task', 'Method', 'Metric', 'Material', 'OtherScientificTerm', 'Generic'];
    assert.equal(new Set(scierc.map((t) => new PageColors().of(t).fill)).size, scierc.length, 'SciERC types, each in its fixed colour');
  });

  it('wraps long text into rows within the width, never splitting an entity', () => {
    const text = 'Alice Baker met Carol Dunn and Erin Fox at the Globex Inc office in Boston on a rainy day.\nSecond line.';
    const doc = fakeExtract(text);
    const width = 30;
    const layout = layoutDocument(doc, { width });
    assert.ok(layout.rows.length >= 4, 'layout.rows.length >= 4');
    const right = geometry.padX + width * geometry.charWidth + 0.01;
    for (const row of layout.rows) for (const item of [...row.words, ...row.boxes]) assert.ok(item.x + item.w <= right, `${'text' in item ? item.text : ''} fits`);
    assert.deepEqual(layout.rows.flatMap((r) => r.boxes.map((b) => b.text)), doc.entities.map((e) => e.text));
    assert.equal(layout.rows.at(-1)?.words.map((w) => w.text).join(' '), 'line.', 'a newline starts a row');
    assert.ok(layout.rows.every((r, i) => i === 0 || r.y >= layout.rows[i - 1].y + layout.rows[i - 1].height), 'layout.rows.every((r, i) => i === 0 || r.y >= layout.rows[i - 1].y + layout.rows[i - 1].height)');
  });

  it('cuts a word longer than a row, and lets a long entity overflow instead', () => {
    const long = 'x'.repeat(50);
    const layout = layoutDocument(docWith(`${long} Verylongentitynameindeed`, ['Verylongentitynameindeed'], []), { width: 20 });
    assert.deepEqual(layout.rows.map((r) => r.words.map((w) => w.text.length).join() || r.boxes[0]?.text), ['20', '20', '10', 'Verylongentitynameindeed']);
  });

  it('stacks a longer arc above the arcs it spans, and crossing arcs at different levels', () => {
    const text = 'Aa Bb Cc Dd';
    const nested = arcsOf(docWith(text, ['Aa', 'Bb', 'Cc', 'Dd'], [[0, 3, 'long'], [1, 2, 'short']]));
    const level = (arcs: typeof nested, label: string) => arcs.find((a) => a.label === label)?.level as number;
    assert.ok(level(nested, 'long') > level(nested, 'short'), 'level(nested, \'long\') > level(nested, \'short\')');
    const crossing = arcsOf(docWith(text, ['Aa', 'Bb', 'Cc', 'Dd'], [[0, 2, 'r1'], [1, 3, 'r2']]));
    assert.notEqual(level(crossing, 'r1'), level(crossing, 'r2'));
    const apart = arcsOf(docWith('Aaaaaaaaaa Bbbbbbbbbb Cccccccccc Dddddddddd', ['Aaaaaaaaaa', 'Bbbbbbbbbb', 'Cccccccccc', 'Dddddddddd'], [[0, 1, 'r1'], [2, 3, 'r2']]));
    assert.deepEqual(apart.map((a) => a.level), [1, 1], 'arcs that do not overlap share the lowest level');
  });

  it('draws the arrow at the tail, whichever side it is on, with the label on the arc', () => {
    const doc = docWith('Aa and Bb', ['Aa', 'Bb'], [[1, 0, 'back']]);
    const [arc] = arcsOf(doc);
    const layout = layoutDocument(doc);
    const [aa, bb] = layout.rows[0].boxes;
    assert.ok(arc.arrow, 'arc.arrow');
    assert.ok(arc.x1 > bb.x && arc.x1 < bb.x + bb.w, 'starts at the head (Bb)');
    assert.ok(arc.x2 > aa.x && arc.x2 < aa.x + aa.w, 'ends at the tail (Aa)');
    const svg = renderDocumentSvg(doc);
    assert.match(svg, /<g class="relation" data-type="back" data-head="T2" data-tail="T1">.*marker-end="url\(#entrel-arrow-0\)".*>back<\/text>/);
  });

  it('splits an arc whose arguments are on different rows, arrow on the tail part', () => {
    const doc = docWith('Aa filler filler filler filler Bb', ['Aa', 'Bb'], [[0, 1, 'rel']]);
    const arcs = arcsOf(doc, 12);
    assert.equal(arcs.length, 2);
    assert.notEqual(arcs[0].row, arcs[1].row);
    assert.deepEqual(arcs.map((a) => a.arrow), [false, true]);
    for (const a of arcs) assert.ok(a.labelX - a.labelWidth / 2 >= 0, 'label inside the row');
  });

  it('places entities after emoji and combining marks at their display column', () => {
    const text = '😀😀 Jose\u0301 Ann';
    const layout = layoutDocument(docWith(text, ['Jose\u0301', 'Ann'], []));
    const [jose, ann] = layout.rows[0].boxes;
    const col = (x: number) => Math.round((x - geometry.padX) / geometry.charWidth);
    assert.equal(col(jose.x), 5, 'two wide emoji + space');
    assert.equal(jose.w / geometry.charWidth, 4, 'the combining accent takes no column');
    assert.equal(col(ann.x), 10);
  });

  it('draws what it can of a malformed document instead of failing', () => {
    const doc = docWith('Aa Bb Cc', ['Aa', 'Bb', 'Cc'], [[0, 1, 'ok'], [0, 2, 'to-dropped']]);
    doc.entities.push({ ...doc.entities[0], id: 'T9', start: 1, end: 5 }); // overlaps T1
    doc.entities.push({ ...doc.entities[0], id: 'T10', start: 5, end: 500 }); // past the end
    doc.entities[2].start = 7.5; // not an integer
    doc.relations.push({ type: 'dangling', head: 'T1', tail: 'T77', score: 1 });
    const layout = layoutDocument(doc);
    assert.deepEqual(layout.entities.map((e) => e.id), ['T1', 'T2']);
    assert.deepEqual(arcsOf(doc).map((a) => a.label), ['ok']);
    assert.doesNotThrow(() => renderHtml(doc));
    assert.doesNotThrow(() => renderHtml({ text: '', sentences: [], entities: [], relations: [] }));
  });

  it('renders a report that needs nothing from the network, with legend and JSON tab', () => {
    const docs = ['Ann met Bob in Paris.', 'Globex Inc is in Tokyo.'].map((t) => fakeExtract(t));
    const html = renderHtmlReport(docs, { title: 'Run <1>' });
    assert.match(html, /^<!doctype html>/);
    // The only link is the empty inline icon, which loads nothing.
    assert.doesNotMatch(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '').replace('<link rel="icon" href="data:,">', ''), /https?:|<link|\ssrc=/);
    assert.match(html, /<title>Run &lt;1&gt;<\/title>/);
    assert.match(html, /<ul class="legend"[^>]*><li data-type="Loc">/);
    assert.match(html, /data-tab="json"/);
    // The JSON tab holds the documents, a token's [start, end] on one line.
    const json = /<pre class="json">([\s\S]*?)<\/pre>/.exec(html)![1];
    assert.deepEqual(JSON.parse(json.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')), docs);
    assert.match(json, /&quot;tokens&quot;: \[\n\s+\[0, 3\],\n\s+\[4, 7\],/);
    // Only arrays of numbers: strings that look like them stay as they are.
    const odd = { ...docs[0], text: '[\n1,\n2\n] [ 3, 4 ]' };
    assert.ok(renderHtmlReport([odd]).includes(escapeHtml(JSON.stringify(odd.text))), 'renderHtmlReport([odd]).includes(escapeHtml(JSON.stringify(odd.text)))');
    assert.equal(html.match(/<svg /g)?.length, 2);
    assert.equal(new Set(html.match(/id="entrel-arrow-\d+"/g)).size, 2, 'marker ids are unique on the page');
  });

  it('counts entities and relations in the right number: 1 relation, 0 relations, 1 entity', () => {
    const one = docWith('Ann met Bob.', ['Ann', 'Bob'], [[0, 1, 'Met']]);
    const report = renderHtmlReport([one, docWith('Carl.', ['Carl'], []), docWith('none', [], [])]);
    assert.deepEqual([...report.matchAll(/<figcaption>([^<]*)<\/figcaption>/g)].map((m) => m[1]), [
      'Document 1: 2 entities, 1 relation',
      'Document 2: 1 entity, 0 relations',
      'Document 3: 0 entities, 0 relations',
    ]);
    assert.match(renderDocumentSvg(one), /aria-label="2 entities, 1 relation"/);
    // The service page's status line uses the same rule, in its inline script.
    const app = renderAppPage('m');
    const script = /^const counted = .*;$/m.exec(app)?.[0];
    assert.ok(script, 'the page script defines counted()');
    const counted = new Function(`${script}; return counted;`)() as (n: number, one: string, many?: string) => string;
    assert.deepEqual([counted(1, 'relation'), counted(0, 'relation'), counted(1, 'entity', 'entities'), counted(3, 'entity', 'entities')], ['1 relation', '0 relations', '1 entity', '3 entities']);
    assert.match(app, /counted\(d\.entities\.length, 'entity', 'entities'\) \+ ', ' \+ counted\(d\.relations\.length, 'relation'\)/);
  });

  it('tells screen readers what the drawing shows, not only how many things', () => {
    const doc = docWith('Ann <b> met Bob in Rome.', ['Ann', 'Bob', 'Rome'], [[0, 1, 'Met'], [1, 2, 'Live_In'], [0, 9, 'dangling']]);
    doc.entities[0].type = 'Peop&Co';
    const svg = renderDocumentSvg(doc);
    assert.match(svg, /^<svg [^>]*role="img" aria-label="[^"]*"><desc>([^<]*)<\/desc>/);
    const desc = (/<desc>([^<]*)<\/desc>/.exec(svg) as RegExpExecArray)[1];
    assert.equal(desc, 'Entities: Ann (Peop&amp;Co), Bob (T), Rome (T). Relations: Met from Ann to Bob; Live_In from Bob to Rome.');
  });

  it('draws a run of blank lines as one empty row (100,000 line breaks drew an SVG 5,000,068 px high)', () => {
    const rows = (text: string) => layoutDocument(docWith(text, ['Mary', 'IBM'], [[0, 1, 'Work_For']])).rows;
    const one = rows('Mary works\n\nfor IBM.');
    assert.deepEqual(one.map((r) => r.words.length + r.boxes.length), [2, 0, 3], 'a blank line is an empty row');
    for (const text of ['Mary works\n\n\n\n\nfor IBM.', 'Mary works\r\n \r\n\t\n\nfor IBM.']) {
      assert.deepEqual(rows(text).map((r) => r.height), one.map((r) => r.height), JSON.stringify(text));
    }
    const layout = layoutDocument(docWith(`${'\n'.repeat(100_000)}Mary works for IBM.`, ['Mary', 'IBM'], [[0, 1, 'Work_For']]));
    assert.equal(layout.rows.length, 2);
    assert.ok(layout.height < 200, `height ${layout.height}`);
  });

  it('cuts a long entity\'s name repeated in each of its relations, so that the drawing stays in proportion to its input', () => {
    const name = 'Acme '.repeat(2000).trim();
    const text = `Mary met ${name}.`;
    const doc = docWith(text, ['Mary', name], []);
    doc.relations = Array.from({ length: 300 }, () => ({ type: 'Work_For', head: 'T1', tail: 'T2', score: 1 }));
    const svg = renderDocumentSvg(doc);
    assert.ok(svg.length < 400_000, `${svg.length} characters`);
    const short = `${name.slice(0, 60)}…`;
    assert.match(svg, new RegExp(`<title>Work_For: Mary → ${short} \\(score 1\\.00\\)</title>`));
    assert.match(svg, new RegExp(`Relations: Work_For from Mary to ${short};`));
  });

  it('cuts a long entity type repeated in each compared relation, so that the drawing stays in proportion to its input', () => {
    // The review's case: two entities of a 2,000-character type and 2,000 relations between them, all with
    // a comparison status, whose description names each argument's type (the drawing was 80 times its input).
    const type = 'X'.repeat(2000);
    const doc = docWith('Ann met Bob.', ['Ann', 'Bob'], []);
    for (const e of doc.entities) Object.assign(e, { type, status: 'correct' });
    doc.relations = Array.from({ length: 2000 }, (_, i) => ({ type: 'R', head: i % 2 ? 'T1' : 'T2', tail: i % 2 ? 'T2' : 'T1', score: 1, status: 'correct' }));
    const svg = renderDocumentSvg(doc);
    const input = JSON.stringify(doc).length;
    assert.ok(svg.length < 10 * input, `${svg.length} characters drawn of ${input}`);
    const short = `${type.slice(0, 60)}…`;
    assert.match(svg, new RegExp(`Relations: R from Bob \\(${short}\\) to Ann \\(${short}\\), correct; R from Ann`));
  });

  it('draws and says a long type cut to 60 characters, and keeps it whole in data-type', () => {
    const [entityType, relationType] = ['E'.repeat(500), 'R'.repeat(500)];
    const doc = docWith('Ann met Bob.', ['Ann', 'Bob'], [[0, 1, relationType]]);
    doc.entities[0].type = entityType;
    const svg = renderDocumentSvg(doc);
    const [e, r] = [`${entityType.slice(0, 60)}…`, `${relationType.slice(0, 60)}…`];
    assert.match(svg, new RegExp(`<text class="entity-type"[^>]*>${e}</text>`), 'the tag under the box');
    assert.match(svg, new RegExp(`<text class="relation-label"[^>]*>${r}</text>`), 'the label on the arc');
    assert.match(svg, new RegExp(`<title>${e} T1: Ann \\(score 1\\.00\\)</title>`));
    assert.match(svg, new RegExp(`<title>${r}: Ann → Bob \\(score 1\\.00\\)</title>`));
    assert.match(svg, new RegExp(`<desc>Entities: Ann \\(${e}\\), Bob \\(T\\)\\. Relations: ${r} from Ann to Bob\\.</desc>`));
    assert.ok(svg.includes(`data-type="${entityType}"`) && svg.includes(`data-type="${relationType}"`), 'svg.includes(`data-type="${entityType}"`) && svg.includes(`data-type="${relationType}"`)');
    assert.ok(svg.length < 6000, `${svg.length} characters`);
  });

  it('draws a document without text as a short note, not an empty band', () => {
    const svgHeight = (svg: string) => Number(/^<svg [^>]*height="([\d.]+)"/.exec(svg)?.[1]);
    const note = /<text class="no-text" [^>]*>\(no text\)<\/text>/;
    for (const text of ['', '  \n\n \u0001 ']) {
      const doc = { text, sentences: [], entities: [], relations: [] };
      const layout = layoutDocument(doc);
      assert.deepEqual([layout.noText, layout.rows], [true, []], JSON.stringify(text));
      const svg = renderDocumentSvg(doc);
      assert.match(svg, note);
      assert.equal(svg.match(/<text /g)?.length, 1, 'the note is all the drawing holds');
      assert.equal(svgHeight(svg), layout.height);
      assert.ok(layout.height < geometry.arcBase + geometry.boxHeight + geometry.tagHeight + geometry.rowGap, 'lower than a row');
      assert.match(svg, /<desc>The document has no text\.<\/desc>/);
      // On a page the figure keeps its drawing (one per document), and the page styles the note.
      const page = renderHtmlReport([docWith('Ann.', ['Ann'], []), doc]);
      assert.equal(page.match(/<svg class="entrel-doc"/g)?.length, 2);
      assert.match(page, note);
      assert.match(page, /\.entrel-doc \.no-text \{[^}]*fill:/);
    }
    // Text, or an entity box (here over spaces), is drawn as ever.
    assert.doesNotMatch(renderDocumentSvg(docWith('Ann.', ['Ann'], [])), /class="no-text"/);
    const spaces = { text: '   ', sentences: [], entities: [{ id: 'T1', text: '   ', type: 'T', start: 0, end: 3, sentence: 0, tokenStart: 0, tokenEnd: 1, score: 1 }], relations: [] };
    assert.equal(layoutDocument(spaces).noText, false);
    assert.match(renderDocumentSvg(spaces), /<g class="entity" data-id="T1"/);
  });

  it('pages declare an empty icon (no /favicon.ico request) that their CSP allows', () => {
    for (const page of [renderHtml(docWith('Ann.', ['Ann'], [])), renderAppPage('m')]) {
      assert.match(page, /<head>.*<link rel="icon" href="data:,">.*<\/head>/s);
      const csp = (/http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(page)?.[1] ?? '').replace(/&#39;/g, "'");
      assert.match(csp, /img-src [^;]*\bdata:/);
    }
  });

  it('rejects what is not a document, a document list or an options object with a UserError naming the argument', () => {
    const doc = docWith('Ann.', ['Ann'], []);
    const cases: [() => unknown, RegExp][] = [
      [() => renderHtml(undefined as never), /^doc: must be an extracted document \{text, entities, relations\}, got undefined$/],
      [() => renderDocumentSvg({ text: 5 } as never), /^doc: must be an extracted document .*got an object \{"text":5\}$/],
      [() => renderHtmlReport(doc as never), /^docs: must be an array of extracted documents, got an object/],
      [() => renderHtmlReport([doc, 'x'] as never), /^docs\[1\]: must be an extracted document .*got "x"$/],
      [() => renderHtml(doc, 'wide' as never), /^options: must be an object \{width, stack, title\}, got "wide"$/],
      [() => renderDocumentSvg(doc, 80 as never), /^options: must be an object \{width, stack, idSuffix\}, got 80$/],
      // Misspelt names and values a drawing cannot use (a NaN width drew nothing; -3 was taken as 10).
      [() => renderHtml(doc, { widht: 60 } as never), /^options: unknown option "widht" \(allowed: width, stack, title\)$/],
      [() => renderDocumentSvg(doc, { width: NaN }), /^options\.width: must be a positive number of characters, got NaN$/],
      [() => renderHtml(doc, { width: -3 }), /^options\.width: must be a positive number of characters, got -3$/],
      [() => renderDocumentSvg(doc, { stack: 'yes' as never }), /^options\.stack: must be true or false, got "yes"$/],
      [() => renderHtmlReport([doc], { title: 5 as never }), /^options\.title: must be a string, got 5$/],
    ];
    for (const [f, message] of cases) assert.throws(f, { name: 'UserError', message });
  });

  it('takes time linear in the document length', () => {
    // Time not counting other processes' (cpu-clock.ts), which stretch a long run more than a short one.
    const time = (repeats: number) => {
      const doc = fakeExtract('Ann Lee met Bob Stone in Paris on Monday. '.repeat(repeats));
      return timed(() => renderHtml(doc)).ms;
    };
    time(500); // warm up
    const small = time(500);
    const large = time(4000); // 170 KB, 16,000 entities
    assert.ok(large / small < 25, `8x the text took ${(large / small).toFixed(1)}x the time (${Math.round(large)} ms)`);
  });
});
