/**
 * The exports of the two annotation tools most used for relation extraction, doccano (JSONL) and Label
 * Studio (JSON): read on hand-made exports (their shapes as the tools write them), refused with a located
 * message where they are wrong, and written so that CoNLL04 reads back with the same entities and relations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Diagnostics } from '../../src/data/diagnostics.js';
import { detectFormat, loadCorpus, writeCorpus } from '../../src/data/formats/index.js';
import type { Document } from '../../src/data/corpus.js';
import { DATA, shape, tmp } from './helpers.js';

const TEXT = 'Mary Jones works for Acme Inc. in Boston. She met John in Oslo.';
const span = (s: string, from = 0) => {
  const start = TEXT.indexOf(s, from);
  assert.ok(start >= 0, s);
  return { start, end: start + s.length };
};

/** Every entity and relation of a corpus as character spans: what a raw-text format must keep. */
function spans(docs: Document[]) {
  return docs.map((d) => {
    const at = new Map<string, string>();
    const entities = d.sentences.flatMap((s) =>
      s.entities.map((e) => {
        const key = `${s.tokens[e.start].start}-${s.tokens[e.end - 1].end}:${e.type}`;
        at.set(e.id, key);
        return key;
      }),
    );
    const relations = d.sentences.flatMap((s) => s.relations.map((r) => `${at.get(r.head)} ${r.type} ${at.get(r.tail)}`));
    return { id: d.id, text: d.text, entities: entities.sort(), relations: relations.sort() };
  });
}

function file(name: string, content: string): string {
  const path = join(tmp(), name);
  writeFileSync(path, content);
  return path;
}

test('doccano: a relation project export is read, cut as extract cuts the text, entities exact', async () => {
  const [m, a, b] = [span('Mary Jones'), span('Acme Inc.'), span('Boston')];
  const o = span('Oslo');
  const line = {
    id: 7,
    text: TEXT,
    entities: [
      { id: 11, label: 'PER', start_offset: m.start, end_offset: m.end },
      { id: 12, label: 'ORG', start_offset: a.start, end_offset: a.end },
      { id: 13, label: 'LOC', start_offset: b.start, end_offset: b.end },
      { id: 14, label: 'LOC', start_offset: o.start, end_offset: o.end },
    ],
    relations: [
      { id: 1, from_id: 11, to_id: 12, type: 'Work_For' },
      { id: 2, from_id: 12, to_id: 13, type: 'Located_In' },
      { id: 3, from_id: 11, to_id: 14, type: 'Live_In' }, // across the two sentences
    ],
    Comments: [],
  };
  const path = file('d.jsonl', JSON.stringify(line) + '\n');
  assert.equal(await detectFormat(path), 'doccano');
  const c = await loadCorpus(path);
  const s = shape(c.documents[0]);
  assert.equal(c.documents[0].id, '7');
  assert.deepEqual(s.map((x) => x.tokens.join(' ')), ['Mary Jones works for Acme Inc. in Boston .', 'She met John in Oslo .']);
  assert.deepEqual(s[0].entities, ['0:2:PER', '4:6:ORG', '7:8:LOC']);
  assert.deepEqual(s[0].relations, ['0:2:PER-Work_For->4:6:ORG', '4:6:ORG-Located_In->7:8:LOC']);
  assert.deepEqual(c.diagnostics.summary().map((w) => [w.code, w.count]), [['cross-sentence-relation-dropped', 1]]);
  assert.deepEqual(c.schema.relationTypes.map((r) => r.name), ['Work_For', 'Located_In']);
});

test('raw text: an entity edge inside a word and spaces at its edges are counted with examples; punctuation cut off a word is not (reviews 31b #3, 31d #1)', async () => {
  const text = 'Ann lives in Paris now. Bob flew to Boston. He met AcmeCorp.';
  const at = (s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });
  const entities = [
    { id: 1, label: 'Peop', ...at('Ann ') }, // a space at its end
    { id: 2, label: 'Loc', ...at('Pari') }, // an off-by-one end, inside "Paris"
    { id: 3, label: 'Loc', ...at('Boston') }, // "Boston." is two tokens anyway: silent
    { id: 4, label: 'Org', ...at('Acme') }, // inside "AcmeCorp"
  ].map(({ id, label, start, end }) => ({ id, label, start_offset: start, end_offset: end }));
  const path = file('edges.jsonl', JSON.stringify({ id: 'd1', text, entities, relations: [] }) + '\n');
  const c = await loadCorpus(path);
  const s = shape(c.documents[0]);
  assert.deepEqual(s[0].tokens, ['Ann', 'lives', 'in', 'Pari', 's', 'now', '.']);
  const w = (code: string) => c.diagnostics.summary().find((x) => x.code === code);
  assert.equal(w('entity-edge-inside-word')?.count, 2);
  assert.deepEqual(w('entity-edge-inside-word')?.examples, [`${path}:1 entities[1] "Pari": "Pari|s"`, `${path}:1 entities[3] "Acme": "Acme|Corp"`]);
  assert.equal(w('entity-edges-trimmed')?.count, 1);
  assert.deepEqual(w('entity-edges-trimmed')?.examples, [`${path}:1 entities[0] "Ann ": "Ann " read as "Ann"`]);
});

test('doccano: the sequence-labelling export ("label" triples) is read; wrong input is named by line and field', async () => {
  const b = span('Boston');
  const plain = file('p.jsonl', JSON.stringify({ text: TEXT, label: [[b.start, b.end, 'LOC']] }) + '\n');
  assert.equal(await detectFormat(plain), 'doccano');
  assert.deepEqual(shape((await loadCorpus(plain)).documents[0])[0].entities, ['7:8:LOC']);
  const refused = async (line: unknown, message: RegExp) => {
    const path = file('bad.jsonl', `${JSON.stringify({ text: 'x', entities: [] })}\n${JSON.stringify(line)}\n`);
    await assert.rejects(loadCorpus(path, { format: 'doccano' }), (e: Error) => e.name === 'UserError' && message.test(e.message), JSON.stringify(line));
  };
  await refused({ text: TEXT, label: ['positive'] }, /bad\.jsonl:2: label: "label" holds types of the whole text \(doccano's text classification export\)/);
  await refused({ text: 'abc', entities: [{ id: 1, label: 'X', start_offset: 1, end_offset: 9 }] }, /bad\.jsonl:2: entities\[0\]: end 9 is past the end of the text \(3 characters\)$/);
  await refused({ text: 'a 😀 b', label: [[0, 3, 'X']] }, /label\[0\]: end 3 falls inside a character of 2 UTF-16 code units/);
  await refused({ text: TEXT, entities: [{ id: 1, label: 'X', start_offset: 0, end_offset: 4 }], relations: [{ from_id: 1, to_id: 2, type: 'R' }] }, /bad\.jsonl:2: relations\[0\]\.to_id: no entity with id "2"$/);
  await refused({ text: TEXT, entities: [{ id: 1, label: 'X', start_offset: 4, end_offset: 4 }] }, /entities\[0\]: end 4 is not after start 4$/);
});

const LS_TASKS = (() => {
  const [m, a, j, o] = [span('Mary Jones'), span('Acme Inc.'), span('John'), span('Oslo')];
  const ent = (id: string, s: { start: number; end: number }, labels: string[]) =>
    ({ id, from_name: 'label', to_name: 'text', type: 'labels', value: { start: s.start, end: s.end, text: TEXT.slice(s.start, s.end), labels } });
  return [
    {
      id: 101,
      data: { text: TEXT },
      annotations: [
        { id: 1, was_cancelled: false, result: [ent('a', m, ['PER'])] }, // another annotator's, not chosen
        {
          id: 2,
          ground_truth: true,
          result: [
            ent('m', m, ['PER']),
            ent('c', a, ['ORG', 'COMPANY']),
            ent('j', j, ['PER']),
            ent('o', o, ['LOC']),
            { from_id: 'm', to_id: 'c', type: 'relation', direction: 'right', labels: ['Work_For'] },
            { from_id: 'o', to_id: 'j', type: 'relation', direction: 'left', labels: ['Live_In'] }, // John → Oslo
            { from_id: 'm', to_id: 'j', type: 'relation', direction: 'right', labels: [] },
            { id: 'x', from_name: 'sentiment', to_name: 'text', type: 'choices', value: { choices: ['neutral'] } },
          ],
        },
      ],
      predictions: [],
    },
    { id: 102, data: { text: 'Skipped.' }, annotations: [{ id: 3, was_cancelled: true, result: [] }] },
    { id: 103, data: { text: 'Only a model looked at this.' }, annotations: [], predictions: [{ result: [] }] },
    { id: 104, data: { body: 'Ann visited Rome.', n: 3 }, annotations: [{ result: [{ ...ent('r', { start: 12, end: 16 }, ['LOC']), value: { start: 12, end: 16, text: 'Rome', labels: ['LOC'] } }] }] },
  ];
})();

test('Label Studio: the ground-truth annotation is read, relations by direction; what is not used is counted', async () => {
  const path = file('ls.json', JSON.stringify(LS_TASKS, null, 2));
  assert.equal(await detectFormat(path), 'labelstudio');
  const c = await loadCorpus(path);
  assert.deepEqual(c.documents.map((d) => d.id), ['101', '104']);
  const s = shape(c.documents[0]);
  assert.deepEqual(s[0].entities, ['0:2:PER', '4:6:ORG']);
  assert.deepEqual(s[0].relations, ['0:2:PER-Work_For->4:6:ORG']);
  assert.deepEqual(s[1].relations, ['2:3:PER-Live_In->4:5:LOC']);
  assert.deepEqual(shape(c.documents[1])[0].entities, ['2:3:LOC']); // the text from data's one string field
  const count = Object.fromEntries(c.diagnostics.summary().map((w) => [w.code, w.count]));
  assert.deepEqual(count, {
    'labelstudio-other-annotations-ignored': 1,
    'labelstudio-extra-labels-ignored': 1,
    'labelstudio-unlabelled-relation-dropped': 1,
    'labelstudio-result-ignored': 1,
    'labelstudio-task-without-annotation-dropped': 1,
    'labelstudio-task-with-only-predictions-dropped': 1,
  });
});

test('Label Studio predictions: read on request, the last of each task; a task with only predictions says so when annotations are read', async () => {
  const region = (id: string, start: number, end: number, label: string) => ({ id, to_name: 'text', type: 'labels', value: { start, end, labels: [label] } });
  const [m, a] = [span('Mary Jones'), span('Acme Inc.')];
  const tasks = [
    { id: 1, data: { text: TEXT }, predictions: [{ result: [region('x', m.start, m.end, 'ORG')] }, { model_version: 'v2', result: [region('p', m.start, m.end, 'PER'), region('o', a.start, a.end, 'ORG'), { from_id: 'p', to_id: 'o', type: 'relation', labels: ['Work_For'] }] }] },
    { id: 2, data: { text: TEXT }, annotations: [{ result: [region('p', m.start, m.end, 'PER')] }] },
    // Predictions are checked only where they are read.
    { id: 3, data: { text: TEXT }, annotations: [{ result: [] }], predictions: 'not checked when annotations are read' },
  ];
  const path = file('pred.json', JSON.stringify(tasks.slice(0, 2)));
  const predicted = await loadCorpus(path, { labelStudioResults: 'predictions' });
  assert.deepEqual(predicted.documents.map((d) => d.id), ['1']);
  assert.deepEqual(shape(predicted.documents[0])[0].relations, ['0:2:PER-Work_For->4:6:ORG']);
  const count = (c: { diagnostics: Diagnostics }) => Object.fromEntries(c.diagnostics.summary().map((w) => [w.code, w.count]));
  assert.deepEqual(count(predicted), { 'labelstudio-other-predictions-ignored': 1, 'labelstudio-task-without-prediction-dropped': 1 });
  const annotated = await loadCorpus(file('all.json', JSON.stringify(tasks)));
  assert.deepEqual(annotated.documents.map((d) => d.id), ['2', '3']);
  assert.deepEqual(count(annotated), { 'labelstudio-task-with-only-predictions-dropped': 1 });
  assert.match(annotated.diagnostics.format()[0], /task "1" \(a model's predictions are read with --ls-results predictions/);
  const bad = file('bad-pred.json', JSON.stringify([{ data: { text: TEXT }, predictions: [{ result: [{ id: 'p', type: 'labels', value: { start: 0, end: 999, labels: ['PER'] } }] }] }]));
  await assert.rejects(loadCorpus(bad, { labelStudioResults: 'predictions' }), /record 1: predictions\[0\]\.result\[0\]\.value: span 0–999 is not within the text/);
  await assert.rejects(loadCorpus(bad, { labelStudioResults: 'prediction' as 'predictions' }), /labelStudioResults: must be one of "annotations", "predictions", got/);
  await assert.rejects(loadCorpus(file('d.jsonl', '{"text": "Ann.", "label": []}\n'), { labelStudioResults: 'predictions' }), /d\.jsonl: --ls-results predictions \(labelStudioResults\) says how to read a Label Studio export, but this is read as doccano/);
  await assert.rejects(loadCorpus(file('d2.jsonl', '{"text": "Ann.", "label": []}\n'), { labelStudioResults: 'annotations' }), /but this is read as doccano/);
});

test('Label Studio: wrong input is named by record and field', async () => {
  const refused = async (task: unknown, message: RegExp) => {
    const path = file('bad.json', JSON.stringify([LS_TASKS[3], task]));
    await assert.rejects(loadCorpus(path, { format: 'labelstudio' }), (e: Error) => e.name === 'UserError' && message.test(e.message), JSON.stringify(task));
  };
  const labels = (value: unknown, id = 'e') => ({ data: { text: TEXT }, annotations: [{ result: [{ id, type: 'labels', value }] }] });
  await refused({ data: { a: 'x', b: 'y' }, annotations: [{ result: [] }] }, /record 2: data: no "text" and several string fields \("a", "b"\): which is the text\?$/);
  await refused(labels({ start: 0, end: 999, labels: ['PER'] }), /record 2: annotations\[0\]\.result\[0\]\.value: span 0–999 is not within the text \(63 characters\)$/);
  await refused({ data: { text: 12345, title: 'Ann visited Rome.' }, annotations: [{ result: [] }] }, /record 2: data\.text: expected a string, got 12345$/);
  await refused(
    { data: { text: TEXT }, annotations: [{ result: [{ id: 'a', to_name: 'text', type: 'labels', value: { start: 0, end: 4, labels: ['PER'] } }, { id: 'b', to_name: 'title', type: 'labels', value: { start: 0, end: 4, labels: ['PER'] } }] }] },
    /annotations\[0\]\.result\[1\]\.to_name: labels on several objects \("text", "title"\): entrel reads one text a task$/,
  );
  await refused(labels({ start: 0, end: 4, labels: [] }), /annotations\[0\]\.result\[0\]\.value\.labels: no label$/);
  await refused(
    { data: { text: TEXT }, annotations: [{ result: [{ id: 'e', type: 'labels', value: { start: 0, end: 4, labels: ['PER'] } }, { type: 'relation', from_id: 'e', to_id: 'z', labels: ['R'] }] }] },
    /annotations\[0\]\.result\[1\]\.to_id: no labels result with id "z"$/,
  );
});

test('Label Studio counts code points (older exports UTF-16 units, told by value.text); two controls on one region are one entity; bi is counted', async () => {
  const text = '😀 Ann met Bob in Oslo.';
  const result = [
    { id: 'a', to_name: 'text', type: 'labels', value: { start: 2, end: 5, text: 'Ann', labels: ['PER'] } }, // code points
    { id: 'a', to_name: 'text', type: 'labels', value: { start: 2, end: 5, text: 'Ann', labels: ['HUMAN'] } }, // a second <Labels>
    { id: 'b', to_name: 'text', type: 'labels', value: { start: 10, end: 13, labels: ['PER'] } }, // code points, without text
    { id: 'o', to_name: 'text', type: 'labels', value: { start: 18, end: 22, text: 'Oslo', labels: ['LOC'] } }, // UTF-16 units (an older export)
    { from_id: 'a', to_id: 'b', type: 'relation', direction: 'bi', labels: ['Knows'] },
  ];
  const c = await loadCorpus(file('cp.json', JSON.stringify([{ id: 1, data: { text }, annotations: [{ result }] }])));
  const [s] = c.documents[0].sentences;
  assert.deepEqual(s.entities.map((e) => `${text.slice(s.tokens[e.start].start, s.tokens[e.end - 1].end)}:${e.type}`), ['Ann:PER', 'Bob:PER', 'Oslo:LOC']);
  assert.deepEqual(s.relations.map((r) => `${r.head}>${r.tail}`), ['a>b']);
  const count = Object.fromEntries(c.diagnostics.summary().map((w) => [w.code, w.count]));
  assert.deepEqual(count, { 'labelstudio-extra-labels-ignored': 1, 'labelstudio-bidirectional-relation-read-from-to': 1 });
  // Written back in code points, as Label Studio shows them, with the project's labelling config beside
  const out = join(tmp(), 'cp-out.json');
  await writeCorpus(c.documents, { entityTypes: ['PER', 'R&D "lab"'], relationTypes: [] }, out, 'labelstudio');
  assert.equal(readFileSync(out.replace(/\.json$/, '.label-config.xml'), 'utf8'), [
    '<View>', '  <Relations>', '    <Relation value="Knows"/>', '  </Relations>', '  <Labels name="label" toName="text">',
    '    <Label value="PER"/>', '    <Label value="R&amp;D &quot;lab&quot;"/>', '    <Label value="LOC"/>', '  </Labels>', '  <Text name="text" value="$text"/>', '</View>', '',
  ].join('\n'));
  const written = JSON.parse(readFileSync(out, 'utf8')) as { annotations: { result: { value?: { start: number; end: number; text: string } }[] }[] }[];
  assert.deepEqual(written[0].annotations[0].result.flatMap((r) => (r.value ? [[r.value.start, r.value.end, r.value.text]] : [])), [[2, 5, 'Ann'], [10, 13, 'Bob'], [17, 21, 'Oslo']]);
});

test('a labelling config without entity or relation types leaves out the block Label Studio would refuse empty', async () => {
  const { labelConfigText } = await import('../../src/data/formats/labelstudio.js');
  assert.equal(labelConfigText({ entityTypes: [], relationTypes: [] }), '<View>\n  <Text name="text" value="$text"/>\n</View>\n');
});

test('doccano writer: texts of spaces are not written, overlapping entities are said', async () => {
  const doc = (id: string, text: string, entities: [number, number][]): Document => ({
    id,
    text,
    sentences: [{ tokens: [...text.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length })), entities: entities.map(([start, end], k) => ({ id: `e${k}`, type: 'X', start, end })), relations: [] }],
  });
  const diagnostics = new Diagnostics();
  const out = join(tmp(), 'w.jsonl');
  await writeCorpus([doc('a', 'New York City', [[0, 2], [1, 3]]), { id: 'b', text: '  ', sentences: [] }], { entityTypes: ['X'], relationTypes: [] }, out, 'doccano', diagnostics);
  assert.equal(readFileSync(out, 'utf8').trim().split('\n').length, 1);
  assert.equal(diagnostics.count('empty-document-dropped'), 1);
  assert.match(diagnostics.format().join('\n'), /doccano-overlapping-entities ×1 \(e\.g\. "a": 2 entities overlap another/);
});

test('doccano and Label Studio writers: CoNLL04 reads back with the same entities and relations, and says what it cannot hold', async () => {
  const conll = await loadCorpus(join(DATA, 'conll04/unified_two_are_better/test.CoNLL04.json'));
  for (const format of ['doccano', 'labelstudio']) {
    const out = join(tmp(), `out.${format === 'doccano' ? 'jsonl' : 'json'}`);
    const diagnostics = new Diagnostics();
    await writeCorpus(conll.documents, conll.schema, out, format, diagnostics);
    const back = await loadCorpus(out);
    assert.equal(back.format, format);
    const [want, got] = [spans(conll.documents), spans(back.documents)];
    // Texts and entities all kept; a relation is lost only where the splitter parts its arguments.
    assert.deepEqual(got.map((d) => [d.id, d.text, d.entities]), want.map((d) => [d.id, d.text, d.entities]), format);
    const lost = want.reduce((n, d, i) => n + d.relations.length - got[i].relations.length, 0);
    assert.equal(lost, back.diagnostics.count('cross-sentence-relation-dropped'), format);
    assert.equal(diagnostics.count('relation-not-kept'), lost, format); // said when written
    assert.ok(lost <= 3, `${format}: ${lost} relations lost`);
    assert.ok(got.every((d, i) => d.relations.every((r) => want[i].relations.includes(r))), format);
    // The CoNLL04 tokens joined by spaces are cut again (`-LRB-`, `said.`): counted, per document.
    assert.ok(diagnostics.count('tokens-not-kept') > 0 && diagnostics.count('tokens-not-kept') < conll.documents.length / 2, `${format}: ${diagnostics.format().join('\n')}`);
  }
});

test('Label Studio: a relation with several labels (<Relations choice="multiple">) is a relation for each; a repeated one is dropped as duplicates are', async () => {
  const [ann, paris] = [span('Mary Jones'), span('Boston')];
  const result = [
    { id: 'a', to_name: 'text', type: 'labels', value: { ...ann, labels: ['PER'] } },
    { id: 'b', to_name: 'text', type: 'labels', value: { ...paris, labels: ['LOC'] } },
    { from_id: 'a', to_id: 'b', type: 'relation', direction: 'right', labels: ['Live_In', 'Born_In', 'Live_In'] },
  ];
  const c = await loadCorpus(file('multi.json', JSON.stringify([{ id: 7, data: { text: TEXT }, annotations: [{ result }] }])));
  assert.deepEqual(spans(c.documents)[0].relations, ['0-10:PER Born_In 34-40:LOC', '0-10:PER Live_In 34-40:LOC']);
  assert.deepEqual(c.diagnostics.summary().map((w) => [w.code, w.count]), [['duplicate-relation-dropped', 1]]);
});

test('Label Studio: an empty or reversed span says so (not "not within the text")', async () => {
  for (const [start, end] of [[5, 3], [3, 3]]) {
    const task = { id: 1, data: { text: TEXT }, annotations: [{ result: [{ id: 'a', to_name: 'text', type: 'labels', value: { start, end, labels: ['PER'] } }] }] };
    await assert.rejects(loadCorpus(file('empty.json', JSON.stringify([task]))), new RegExp(`record 1: annotations\\[0\\]\\.result\\[0\\]\\.value: end ${end} is not after start ${start}$`));
  }
});

test("Label Studio: the text is data's field named as the results' to_name, beside other string fields", async () => {
  const task = { id: 7, data: { sentence: 'Ann lives in Paris.', source: 'wiki' }, annotations: [{ result: [{ id: 'a', from_name: 'label', to_name: 'sentence', type: 'labels', value: { start: 0, end: 3, text: 'Ann', labels: ['PER'] } }] }] };
  const c = await loadCorpus(file('named.json', JSON.stringify([task])));
  assert.equal(c.documents[0].text, 'Ann lives in Paris.');
  assert.deepEqual(spans(c.documents)[0].entities, ['0-3:PER']);
  assert.equal(c.diagnostics.count(), 0);
});
