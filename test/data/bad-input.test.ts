/**
 * Bad input, for every reader: truncated JSON, a wrong field type, offsets past the end, end before
 * start, an unknown relation argument, an empty file, non-UTF-8 bytes. Each must be ONE-LINE UserError
 * naming the file, the line (or record) and the field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../src/errors.js';
import { collect, shape, tmp } from './helpers.js';
import { userErrorAsync } from '../user-error.js';

interface Expect {
  line?: number;
  unit?: 'record';
  field?: string;
  match?: RegExp;
}

/** Reads `file` as `format` (undefined: detected), which must end in a one-line UserError as `want` says; its message. */
async function rejects(file: string, format: string | undefined, want: Expect, opts: object = {}) {
  const e = await userErrorAsync(() => collect(file, { format, ...opts }));
  assert.ok(!e.message.includes('\n'), e.message);
  assert.equal(e.location.file, file, e.message);
  assert.ok(e.message.startsWith(file), e.message);
  if (want.line !== undefined) assert.equal(e.location.line, want.line, e.message);
  if (want.unit) assert.equal(e.location.unit, want.unit, e.message);
  if (want.field !== undefined) assert.equal(e.location.field, want.field, e.message);
  if (want.match) assert.match(e.message, want.match);
  return e.message;
}

const dir = tmp();
let n = 0;
function file(content: string | Buffer, ext = '.json'): string {
  const f = join(dir, `f${++n}${ext}`);
  writeFileSync(f, content);
  return f;
}
/** `text` with its (single) `@` replaced by the invalid UTF-8 byte 0xff. */
const badUtf8 = (text: string) => Buffer.concat(text.split('@').flatMap((p, i) => (i ? [Buffer.from([0xff]), Buffer.from(p)] : [Buffer.from(p)])));

const U = (o: object) => JSON.stringify({ tokens: ['a', 'b'], entities: [[0, 1, 'X']], relations: [], ...o });
test('unified', async () => {
  const ok = U({});
  await rejects(file(`[${ok},\n${ok.slice(0, 20)}`), 'unified', { line: 2, unit: 'record', match: /truncated/ });
  await rejects(file(`[${ok}`), 'unified', { line: 1, unit: 'record', match: /truncated/ });
  await rejects(file(`[${ok},${U({ tokens: 'ab' })}]`), 'unified', { line: 2, unit: 'record', field: 'tokens' });
  await rejects(file(`[${U({ entities: [[0, 1, 7]] })}]`), 'unified', { field: 'entities[0][2]' });
  // An empty type was read, trained on, and saved into a model that then refused to load.
  await rejects(file(`[${U({ entities: [[0, 1, '']] })}]`), 'unified', { field: 'entities[0][2]', match: /empty type/ });
  await rejects(file(`[${U({ entities: [[0, 5, 'X']] })}]`), 'unified', { field: 'entities[0]', match: /past the end/ });
  await rejects(file(`[${U({ entities: [[1, 0, 'X']] })}]`), 'unified', { field: 'entities[0]', match: /not after start/ });
  await rejects(file(`[${U({ relations: [[0, 1, 1, 2, 'R']] })}]`), 'unified', { field: 'relations[0][2]', match: /no entity/ });
  await rejects(file(''), 'unified', { match: /empty file/ });
  // An empty token (or one with whitespace at an edge) made an entity the raw-text writers wrote as an empty span.
  await rejects(file(`[${U({ tokens: ['a', ''] })}]`), 'unified', { field: 'tokens[1]', match: /: empty token$/ });
  await rejects(file(`[${U({ tokens: [' a', 'b'] })}]`), 'unified', { field: 'tokens[0]', match: /token " a" starts or ends with whitespace$/ });
  await rejects(file('{"tokens": []}'), 'unified', { match: /JSON array/ });
  await rejects(file(badUtf8(`[${ok},${U({ tokens: ['@', 'b'] })}]`)), 'unified', { line: 2, unit: 'record', match: /UTF-8/ });
});

const S = (o: object) => JSON.stringify({ tokens: ['a', 'b'], entities: [{ type: 'X', start: 0, end: 1 }], relations: [], ...o });
test('spert', async () => {
  await rejects(file(`[${S({})},${S({}).slice(0, 30)}`), 'spert', { line: 2, unit: 'record', match: /truncated/ });
  await rejects(file(`[${S({ entities: [{ type: 'X', start: '0', end: 1 }] })}]`), 'spert', { field: 'entities[0].start' });
  await rejects(file(`[${S({ entities: [{ type: 'X', start: 0, end: 3 }] })}]`), 'spert', { field: 'entities[0]', match: /past the end/ });
  await rejects(file(`[${S({ entities: [{ type: 'X', start: 1, end: 1 }] })}]`), 'spert', { field: 'entities[0]', match: /not after/ });
  await rejects(file(`[${S({ relations: [{ type: 'R', head: 0, tail: 3 }] })}]`), 'spert', { field: 'relations[0].tail' });
  await rejects(file(`[${S({ entities: [{ type: '', start: 0, end: 1 }] })}]`), 'spert', { field: 'entities[0].type', match: /empty type/ });
  await rejects(file('  \n'), 'spert', { match: /empty file/ });
  await rejects(file(`[${S({ tokens: ['', 'b'] })}]`), 'spert', { field: 'tokens[0]', match: /empty token/ });
  await rejects(file(badUtf8(`[${S({ tokens: ['x@', 'b'] })}]`)), 'spert', { line: 1, unit: 'record', match: /UTF-8/ });
});

const T = (o: object) => JSON.stringify({ tokens: ['a', 'b'], tags: ['U-X', 'U-Y'], relations: [], orig_id: 1, ...o });
test('spert-tags', async () => {
  await rejects(file(`[${T({})}, {"tokens": ["a"`), 'spert-tags', { line: 2, unit: 'record', match: /truncated/ });
  await rejects(file(`[${T({ tags: [1, 2] })}]`), 'spert-tags', { field: 'tags[0]' });
  await rejects(file(`[${T({ tags: ['O', 'O', 'U-X'] })}]`), 'spert-tags', { field: 'tags', match: /3 tags for 2 tokens/ });
  await rejects(file(`[${T({ relations: [{ head: 0, tail: 2, type: 'R' }] })}]`), 'spert-tags', { field: 'relations[0].tail' });
  // Tags the decoder would read as O (an entity silently lost) or as an entity of an empty type.
  for (const bad of ['Peop', 'B_Peop', 'X-Peop', 'B-', 'o'])
    await rejects(file(`[${T({ tags: ['U-X', bad] })}]`), 'spert-tags', { field: 'tags[1]', match: /expected O or a B-/ });
  await rejects(file(''), 'spert-tags', { match: /empty file/ });
  await rejects(file(`[${T({ tokens: ['a', 'b\t'] })}]`), 'spert-tags', { field: 'tokens[1]', match: /starts or ends with whitespace/ });
  await rejects(file(badUtf8(`[${T({ tags: ['U-@', 'O'] })}]`)), 'spert-tags', { line: 1, match: /UTF-8/ });
});

const D = (o: object) =>
  JSON.stringify({ doc_key: 'd', sentences: [['a', 'b'], ['c']], ner: [[[0, 0, 'X'], [1, 1, 'Y']], [[2, 2, 'X']]], relations: [[], []], ...o });
test('dygie', async () => {
  await rejects(file(`${D({})}\n${D({}).slice(0, 40)}\n`), 'dygie', { line: 2, match: /invalid JSON/ });
  await rejects(file(`${D({ sentences: 'abc' })}\n`), 'dygie', { line: 1, field: 'sentences' });
  await rejects(file(`${D({ ner: [[[0, 5, 'X']], []] })}\n`), 'dygie', { field: 'ner[0][0]', match: /past the end/ });
  await rejects(file(`${D({ ner: [[[1, 0, 'X']], []] })}\n`), 'dygie', { field: 'ner[0][0]', match: /before start/ });
  await rejects(file(`${D({ ner: [[[0, 0, '']], [[2, 2, 'X']]] })}\n`), 'dygie', { field: 'ner[0][0][2]', match: /empty type/ });
  await rejects(file(`${D({ relations: [[[0, 0, 1, 1, 'R'], [0, 0, 0, 1, 'R']], []] })}`), 'dygie', { field: 'relations[0][1][2]', match: /no entity/ });
  await rejects(file('\n\n'), 'dygie', { match: /empty file/ });
  await rejects(file(`${D({ sentences: [['a', ''], ['c']] })}\n`), 'dygie', { field: 'sentences[0][1]', match: /empty token/ });
  await rejects(file(badUtf8(`${D({})}\n${D({ doc_key: '@' })}\n`)), 'dygie', { line: 2, match: /UTF-8/ });
});

test('dygie: a cross-sentence relation is dropped with a counted warning', async () => {
  const { docs, diagnostics } = await collect(file(D({ relations: [[[0, 0, 2, 2, 'R']], []] })), { format: 'dygie' });
  assert.equal(docs[0].sentences[0].relations.length, 0);
  assert.equal(diagnostics.count('cross-sentence-relation-dropped'), 1);
});

const N = (o: object) =>
  JSON.stringify({
    sentId: 1, articleId: '2', sentText: 'Bob lives in Paris .\r\n',
    entityMentions: [{ start: 0, text: 'Bob', label: 'PER' }, { start: 1, text: 'Paris', label: 'LOC' }],
    relationMentions: [{ em1Text: 'Bob', em2Text: 'Paris', label: 'lives' }], ...o,
  });
test('nyt', async () => {
  await rejects(file(`${N({})}\n${N({}).slice(0, 50)}\n`), 'nyt', { line: 2, match: /invalid JSON/ });
  await rejects(file(`${N({ sentText: 5 })}\n`), 'nyt', { line: 1, field: 'sentText' });
  await rejects(file(`${N({ entityMentions: [{ start: 0, text: 'Bob' }] })}\n`), 'nyt', { field: 'entityMentions[0].label' });
  await rejects(file(`${N({ sentText: '  ' })}\n`), 'nyt', { field: 'sentText', match: /empty sentence/ });
  await rejects(file(''), 'nyt', { match: /empty file/ });
  // An empty type was read, trained on, and saved into a model that then refused to load.
  await rejects(file(`${N({ entityMentions: [{ start: 0, text: 'Bob', label: '' }] })}\n`), 'nyt', { field: 'entityMentions[0].label', match: /: empty type$/ });
  await rejects(file(`${N({ relationMentions: [{ em1Text: 'Bob', em2Text: 'Paris', label: '' }] })}\n`), 'nyt', { field: 'relationMentions[0].label', match: /: empty type$/ });
  await rejects(file(`${N({ sentText: '"  "' })}\n`), 'nyt', { field: 'sentText', match: /empty sentence/ });
  await rejects(file(badUtf8(`${N({ sentText: 'Bob @ Paris' })}\n`)), 'nyt', { line: 1, match: /UTF-8/ });
});

test('nyt: mentions not in the text and unknown relation arguments are counted, not silent', async () => {
  const f = file(
    N({
      entityMentions: [{ start: 0, text: 'Bob', label: 'PER' }, { start: 1, text: 'Rome', label: 'LOC' }],
      relationMentions: [{ em1Text: 'Bob', em2Text: 'Rome', label: 'lives' }, { em1Text: 'Bob', em2Text: 'Paris', label: 'None' }],
    }),
  );
  const { docs, diagnostics } = await collect(f, { format: 'nyt' });
  assert.equal(docs[0].sentences[0].entities.length, 1);
  assert.equal(diagnostics.count('nyt-mention-not-found'), 1);
  assert.equal(diagnostics.count('nyt-relation-argument-not-found'), 1);
  assert.equal(diagnostics.count('nyt-none-relation-dropped'), 1);
});

const MH = "#doc 1\n0\tJohn\tB-Peop\t['N']\t[0]\n1\tSmith\tI-Peop\t['Live_In']\t[3]\n2\tof\tO\t['N']\t[2]\n3\tBoston\tB-Loc\t['N']\t[3]\n";
test('multihead', async () => {
  await rejects(file(MH + '4\t.\tO\n', '.txt'), 'multihead', { line: 6, match: /5 tab-separated fields/ });
  await rejects(file(MH.replace('2\tof', 'x\tof'), '.txt'), 'multihead', { line: 4, field: 'idx' });
  await rejects(file(MH.replace("['N']\t[2]", "['N']\t[two]"), '.txt'), 'multihead', { line: 4, field: 'heads' });
  await rejects(file(MH.replace('[3]\n2', '[9]\n2'), '.txt'), 'multihead', { line: 3, field: 'heads', match: /past the end/ });
  await rejects(file(MH.replace('[3]\n2', '[2]\n2'), '.txt'), 'multihead', { line: 3, field: 'heads', match: /ends no entity/ });
  await rejects(file(MH.replace("['Live_In']", "'Live_In'"), '.txt'), 'multihead', { line: 3, field: 'relations' });
  await rejects(file('0\tJohn\tO\t[\'N\']\t[0]\n', '.txt'), 'multihead', { line: 1, match: /#doc/ });
  await rejects(file('', '.txt'), 'multihead', { match: /empty file/ });
  await rejects(file(MH.replace("['Live_In']\t[3]", "['Live_In', '']\t[3, 1]"), '.txt'), 'multihead', { line: 3, field: 'relations[1]', match: /: empty type$/ });
  await rejects(file(MH.replace('\tof\t', '\t\t'), '.txt'), 'multihead', { line: 4, field: 'token', match: /: empty token$/ });
  await rejects(file(badUtf8(MH.replace('Boston', 'Bost@n')), '.txt'), 'multihead', { line: 5, match: /UTF-8/ });
});

function bratPair(txt: string | Buffer, ann: string): string {
  const d = join(dir, `brat${++n}`);
  mkdirSync(d);
  writeFileSync(join(d, 'a.txt'), txt);
  writeFileSync(join(d, 'a.ann'), ann);
  return join(d, 'a.ann');
}
test('brat', async () => {
  const txt = 'Bob lives in Paris .\n';
  const ann = (lines: string[]) => lines.join('\n') + '\n';
  const ok = ['T1\tPER 0 3\tBob', 'T2\tLOC 13 18\tParis'];
  await rejects(bratPair(txt, ann([...ok, 'T3\tLOC 13'])), 'brat', { line: 3, field: 'T3', match: /TYPE START END/ });
  await rejects(bratPair(txt, ann([...ok, 'T3\tLOC a b\tx'])), 'brat', { line: 3, field: 'T3' });
  await rejects(bratPair(txt, ann([...ok, 'T3\tLOC 13 99\tx'])), 'brat', { line: 3, field: 'T3', match: /past the end/ });
  await rejects(bratPair(txt, ann([...ok, 'T3\tLOC 13 10\tx'])), 'brat', { line: 3, field: 'T3', match: /not after start/ });
  await rejects(bratPair(txt, ann([...ok, 'R1\tLive_In Arg1:T1 Arg2:T9'])), 'brat', { line: 3, field: 'R1.Arg2', match: /unknown relation argument/ });
  await rejects(bratPair(txt, ann([...ok, 'X1\tfoo'])), 'brat', { line: 3, match: /unknown annotation line/ });
  const empty = bratPair('', '');
  await assert.rejects(collect(empty, { format: 'brat' }), (e) => e instanceof UserError && e.location.file!.endsWith('a.txt') && /empty file/.test(e.message));
  const bad = bratPair(badUtf8('Bob lives\nin Par@s .\n'), ann(ok));
  const e = await userErrorAsync(() => collect(bad, { format: 'brat' }));
  assert.ok(e.location.file?.endsWith('a.txt') && e.location.line === 2 && /UTF-8/.test(e.message), e.message);
  await rejects(join(dir, 'nonexistent.ann'), 'brat', { match: /cannot read/ });
});

const J = (o: object) =>
  JSON.stringify({
    id: 'd', text: 'Bob lives in Paris .',
    sentences: [{ tokens: [[0, 3], [4, 9], [10, 12], [13, 18], [19, 20]], entities: [{ id: 'T1', type: 'PER', start: 0, end: 1 }, { id: 'T2', type: 'LOC', start: 3, end: 4 }], relations: [{ type: 'R', head: 'T1', tail: 'T2' }] }],
    ...o,
  });
const sent = (o: object) => JSON.parse(J({})).sentences.map((s: object) => ({ ...s, ...o }));
test('jsonl', async () => {
  await rejects(file(`${J({})}\n${J({}).slice(0, 60)}\n`, '.jsonl'), 'jsonl', { line: 2, match: /invalid JSON/ });
  await rejects(file(`${J({ text: 7 })}\n`, '.jsonl'), 'jsonl', { line: 1, field: 'text' });
  await rejects(file(`${J({ sentences: sent({ tokens: [[0, 3], [4, 90]] }) })}\n`, '.jsonl'), 'jsonl', { field: 'sentences[0].tokens[1]', match: /past the end/ });
  await rejects(file(`${J({ sentences: sent({ tokens: [[3, 0]] }) })}\n`, '.jsonl'), 'jsonl', { field: 'sentences[0].tokens[0]', match: /before start/ });
  await rejects(file(`${J({ sentences: sent({ tokens: [[0, 5], [4, 9]] }) })}\n`, '.jsonl'), 'jsonl', { field: 'sentences[0].tokens[1]', match: /previous token/ });
  // A zero-length token was read, and an entity on it written by brat, doccano and Label Studio as a span they refuse.
  await rejects(file(`${J({ sentences: sent({ tokens: [[0, 3], [3, 3], [4, 9], [10, 12], [13, 18]] }) })}\n`, '.jsonl'), 'jsonl', { field: 'sentences[0].tokens[1]', match: /: empty token \(characters 3–3\)$/ });
  await rejects(file(`${J({ sentences: sent({ tokens: [[0, 3], [3, 9], [10, 12], [13, 18], [19, 20]] }) })}\n`, '.jsonl'), 'jsonl', { field: 'sentences[0].tokens[1]', match: /token " lives" starts or ends with whitespace/ });
  await rejects(file(`${J({ sentences: sent({ entities: [{ id: 'T1', type: 'X', start: 4, end: 9 }] }) })}\n`, '.jsonl'), 'jsonl', { field: 'sentences[0].entities[0]', match: /past the end/ });
  await rejects(file(`${J({ sentences: sent({ entities: [{ id: 'T1', type: 'X', start: 2, end: 1 }] }) })}\n`, '.jsonl'), 'jsonl', { field: 'sentences[0].entities[0]' });
  await rejects(file(`${J({ sentences: sent({ entities: [{ id: 'T1', type: '', start: 0, end: 1 }], relations: [] }) })}\n`, '.jsonl'), 'jsonl', { field: 'sentences[0].entities[0].type', match: /empty type/ });
  await rejects(file(`${J({ sentences: sent({ relations: [{ type: 'R', head: 'T1', tail: 'T7' }] }) })}\n`, '.jsonl'), 'jsonl', { field: 'sentences[0].relations[0].tail', match: /unknown entity/ });
  await rejects(file(`${J({ sentences: sent({ entities: [{ id: 'T1', type: 'X', start: 0, end: 1 }, { id: 'T1', type: 'X', start: 1, end: 2 }], relations: [] }) })}\n`, '.jsonl'), 'jsonl', { field: 'sentences[0].entities[1].id', match: /duplicate/ });
  await rejects(file('', '.jsonl'), 'jsonl', { match: /empty file/ });
  // `entrel extract` output (entities and relations beside the sentences) read as a corpus lost them all without a word
  const extracted = { sentences: [{ start: 0, end: 20, tokens: JSON.parse(J({})).sentences[0].tokens }], entities: [{ id: 'T1', text: 'Bob', type: 'PER', start: 0, end: 3, sentence: 0, tokenStart: 0, tokenEnd: 1, score: 0.9 }], relations: [] };
  await rejects(file(`${J(extracted)}\n`, '.jsonl'), 'jsonl', { line: 1, field: 'entities', match: /document level/ });
  await rejects(file(`${J({ sentences: sent({}), relations: [] })}\n`, '.jsonl'), 'jsonl', { line: 1, field: 'relations', match: /document level/ });
  // Another format's JSON Lines named as jsonl: a DyGIE file's document-level "relations" pointed at `entrel predict`
  const other = (format: string) => new RegExp(`, not entrel's canonical JSONL: read it with --format ${format}$`);
  const dygie = { doc_key: 'd', sentences: [['Bob', 'lives']], ner: [[[0, 0, 'PER']]], relations: [[]] };
  await rejects(file(`${JSON.stringify(dygie)}\n`, '.jsonl'), 'jsonl', { line: 1, field: 'doc_key', match: /: a DyGIE record \(it has "doc_key", "sentences", "ner"\), not / });
  await rejects(file(`${JSON.stringify({ ...dygie, doc_key: undefined })}\n`, '.jsonl'), 'jsonl', { line: 1, field: 'sentences', match: other('dygie') });
  await rejects(file(`${JSON.stringify({ sentText: 'Bob lives', entityMentions: [], relationMentions: [] })}\n`, '.jsonl'), 'jsonl', { field: 'sentText', match: other('nyt') });
  const doccano = { id: 1, text: 'Bob lives', entities: [{ id: 1, label: 'PER', start_offset: 0, end_offset: 3 }], relations: [] };
  await rejects(file(`${JSON.stringify(doccano)}\n`, '.jsonl'), 'jsonl', { field: 'text', match: other('doccano') });
  await rejects(file(`${JSON.stringify({ text: 'Bob lives', label: [[0, 3, 'PER']] })}\n`, '.jsonl'), 'jsonl', { field: 'text', match: other('doccano') });
  await rejects(file(badUtf8(`${J({})}\n${J({ id: 'x@' })}\n`), '.jsonl'), 'jsonl', { line: 2, match: /UTF-8/ });
});

test('detection: unknown content and unknown format names are one-line user errors', async () => {
  await rejects(file('hello world\n', '.csv'), undefined, { match: /cannot detect the format.*--format/ });
  await assert.rejects(collect(file('[]'), { format: 'nope' }), (e: unknown) => e instanceof UserError && /unknown format "nope"/.test(e.message));
});

test('a missing or mistyped union field says what was expected and what it got (was "Invalid input")', async () => {
  const noKey = JSON.parse(D({}));
  delete noKey.doc_key;
  const m1 = await rejects(file(`${D({})}\n${JSON.stringify(noKey)}\n`), 'dygie', { line: 2, field: 'doc_key' });
  assert.match(m1, /doc_key: expected a string or a number, but it is missing$/);
  const m2 = await rejects(file(`${D({ doc_key: true })}\n`), 'dygie', { field: 'doc_key' });
  assert.match(m2, /doc_key: expected a string or a number, got true$/);
  assert.match(await rejects(file(`${D({ doc_key: null })}\n`), 'dygie', { field: 'doc_key' }), /expected a string or a number, got null$/);
  assert.match(await rejects(file(`${D({ doc_key: ['d'] })}\n`), 'dygie', { field: 'doc_key' }), /expected a string or a number, got an array$/);
  // orig_id (spert, spert-tags) and NYT's sentId/articleId are unions too
  assert.match(await rejects(file(`[${S({ orig_id: { id: 1 } })}]`), 'spert', { field: 'orig_id' }), /orig_id: expected a string or a number, got an object \{\"id\":1\}$/);
  assert.match(await rejects(file(`[${T({ orig_id: false })}]`), 'spert-tags', { field: 'orig_id' }), /orig_id: expected a string or a number, got false$/);
  const noSent = JSON.parse(N({}));
  delete noSent.sentId;
  assert.match(await rejects(file(`${JSON.stringify(noSent)}\n`), 'nyt', { field: 'sentId' }), /sentId: expected a string or a number, but it is missing$/);
});

test('plain type errors say expected and got too, and "missing" for an absent field', async () => {
  assert.match(await rejects(file(`${D({ sentences: 'abc' })}\n`), 'dygie', { field: 'sentences' }), /sentences: expected an array, got "abc"$/);
  const noText = JSON.parse(J({}));
  delete noText.text;
  assert.match(await rejects(file(`${JSON.stringify(noText)}\n`, '.jsonl'), 'jsonl', { field: 'text' }), /text: expected a string, but it is missing$/);
  assert.match(
    await rejects(file(`[${S({ entities: [{ type: 'X', start: 0.5, end: 1 }] })}]`), 'spert', { field: 'entities[0].start' }),
    /expected an integer, got 0\.5$/,
  );
  assert.match(await rejects(file(`[${U({ entities: [[0, 1]] })}]`), 'unified', { field: 'entities[0][2]' }), /expected a string, but it is missing$/);
  // a custom message (empty type) is kept as it is
  assert.match(await rejects(file(`[${U({ entities: [[0, 1, '']] })}]`), 'unified', { field: 'entities[0][2]' }), /: empty type$/);
});

test('a union of shapes reports the issue of the branch that got furthest', async () => {
  const { z } = await import('zod');
  const { parseWith } = await import('../../src/data/validate.js');
  const schema = z.object({ o: z.union([z.object({ x: z.string() }), z.array(z.number())]) });
  const msg = (v: unknown) => {
    try {
      parseWith(schema, v, { file: 'f' });
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  };
  assert.equal(msg({ o: { x: 1 } }), 'f: o.x: expected a string, got 1');
  assert.equal(msg({ o: [1, 'a'] }), 'f: o[1]: expected a number, got "a"');
  assert.equal(msg({ o: 'q' }), 'f: o: expected an object or an array, got "q"');
  assert.equal(msg({}), 'f: o: expected an object or an array, but it is missing');
});

test('types file: an entry named __proto__ is validated and kept like any other', async () => {
  // written by hand: an object literal's __proto__ sets its prototype, so JSON.stringify would drop it
  const bad = file('{"entities": {"X": {}}, "relations": {"__proto__": {"symmetric": "yes"}}}');
  const { readTypesFile } = await import('../../src/data/formats/types-file.js');
  await assert.rejects(readTypesFile(bad), (e: unknown) => e instanceof UserError && /relations\.__proto__\.symmetric: expected a boolean, got "yes"$/.test(e.message));
  writeFileSync(bad, '{"entities": {"__proto__": {}, "X": {}}, "relations": {"__proto__": {"symmetric": true}}}');
  assert.deepEqual(await readTypesFile(bad), { entityTypes: ['__proto__', 'X'], relationTypes: [{ name: '__proto__', symmetric: true }] });
});

test('types file: a JSON syntax error names its line and column', async () => {
  const bad = file('{\n  "entities": {"X": {}},\n  "relations": {"R": {"symmetric": true} "S": {}}\n}\n');
  const { readTypesFile } = await import('../../src/data/formats/types-file.js');
  await assert.rejects(readTypesFile(bad), (e: unknown) => e instanceof UserError && e.message.startsWith(`${bad}:3: invalid JSON (`) && /column \d+\)$/.test(e.message));
});

test('a document over MAX_DOCUMENT_BYTES is refused naming its size and the limit (it read as "not valid UTF-8", or exhausted the heap)', async () => {
  const { MAX_DOCUMENT_BYTES } = await import('../../src/data/document-size.js');
  const text = 'John Smith works for IBM in Boston. '.repeat(Math.ceil((MAX_DOCUMENT_BYTES + 2 ** 20) / 36));
  const limit = /too large: this (line|record|file) is \d+(\.\d)? MiB, and one document may take at most 16 MiB; split it into smaller documents$/;
  const small = JSON.stringify({ id: 1, text: 'A b.', entities: [], relations: [] });
  const doccano = file(`${small}\n${JSON.stringify({ id: 2, text, entities: [], relations: [] })}\n`, '.jsonl');
  await rejects(doccano, 'doccano', { line: 2, match: limit });
  await rejects(doccano, undefined, { line: 2, match: limit }); // detection reads it too
  await rejects(file(`[${U({})},\n${U({ tokens: text.split(' ').slice(0, -1) })}]`), 'unified', { line: 2, unit: 'record', match: limit });
  const big = bratPair(text, 'T1\tPER 0 4\tJohn\n');
  await assert.rejects(collect(big, { format: 'brat' }), (e) => e instanceof UserError && e.location.file!.endsWith('a.txt') && limit.test(e.message));
  // the limit is on one document: the lines after a large one within it are read
  const fine = file(`${JSON.stringify({ id: 3, text: text.slice(0, 2 ** 20), entities: [], relations: [] })}\n${small}\n`, '.jsonl');
  assert.equal((await collect(fine, { format: 'doccano' })).docs.length, 2);
});

test("the document size limit counts the document's own bytes: not a line's \\r or the file's BOM, nor the white space after a record", async () => {
  const { MAX_DOCUMENT_BYTES: max } = await import('../../src/data/document-size.js');
  const { readJsonArray } = await import('../../src/data/json-array.js');
  const { readLines } = await import('../../src/data/lines.js');
  const lines = async (content: string) => {
    const out: string[] = [];
    for await (const { value } of readLines(file(content, '.txt'), max)) out.push(value);
    return out.map((l) => l.length);
  };
  const full = 'a'.repeat(max);
  // exactly the limit, with a CRLF line end, or after a BOM: accepted (they read as 16 MiB over it)
  assert.deepEqual(await lines(`${full}\r\nb\r\n`), [max, 1]);
  assert.deepEqual(await lines(`\uFEFF${full}\n`), [max]);
  // one byte over: said in bytes, where "16 MiB" would read as the limit
  await assert.rejects(lines(`b\n${full}a\r\n`), (e: unknown) =>
    e instanceof UserError && e.message === `${e.location.file}:2: too large: this line is 16,777,217 bytes, and one document may take at most 16,777,216 bytes (16 MiB); split it into smaller documents`);
  // a record of exactly the limit in a pretty-printed array, white space before its "," or "]"
  const record = `{"t":"${'a'.repeat(max - 8)}"}`;
  const records: number[] = [];
  for await (const { value } of readJsonArray(file(`[\n  ${record}  \n,\n${record}\n]\n`))) records.push((value as { t: string }).t.length);
  assert.deepEqual(records, [max - 8, max - 8]);
  await assert.rejects(async () => {
    for await (const _ of readJsonArray(file(`[${record.replace('a', 'aa')}\n]`))) void _;
  }, /record 1: too large: this record is 16,777,217 bytes/);
});

test('detection reads past records without entities; an error in a field of a detected format says the format was detected', async () => {
  const { detectFormat } = await import('../../src/data/formats/index.js');
  const none = JSON.stringify({ tokens: ['a'], entities: [], relations: [] });
  const spert = JSON.stringify({ tokens: ['a'], entities: [{ type: 'X', start: 0, end: 1 }], relations: [] });
  // SpERT without orig_id whose first sentence has no entity was detected as unified, and failed on record 2
  const f = file(`[${none},\n${spert}]`);
  assert.equal(await detectFormat(f), 'spert');
  assert.equal((await collect(f)).docs.length, 2);
  assert.equal(await detectFormat(file(`[${none},\n${JSON.stringify({ tokens: ['a'], entities: [[0, 1, 'X']] })}]`)), 'unified');
  assert.equal(await detectFormat(file(`[${none}]`)), 'unified');
  // Past the records detection reads, the guess (unified) can be wrong: the error says it was a guess.
  const late = file(`[${Array(101).fill(none).join(',\n')},\n${spert}]`);
  const msg = await rejects(late, undefined, { line: 102, unit: 'record', field: 'entities[0]' });
  assert.match(msg, /entities\[0\]: expected an array, got an object \{\"type\":\"X\",\"start\":0,\"end\":1\} \(the format unified was detected from the content: if it is another, name it with --format\)$/);
  // named, or an error in no field (here bytes that are not UTF-8): no such note
  assert.match(await rejects(late, 'unified', { field: 'entities[0]' }), /got an object \{"type":"X","start":0,"end":1\}$/);
  assert.match(await rejects(file(badUtf8(`[${none},\n${JSON.stringify({ tokens: ['@'] })}]`)), undefined, { line: 2 }), /not valid UTF-8 text \(byte 12 of the record, counted from 0\)$/);
  // detected for certain (a "#doc" header, a record with an entity as a list): no such note either (it had one)
  assert.match(await rejects(file("#doc 1\n0\tBob\tB-PER\t['N']\t[x]\n", '.txt'), undefined, { line: 2, field: 'heads' }), /heads: expected a token index, got "x"$/);
  const unified = file(`[${JSON.stringify({ tokens: ['a'], entities: [[0, 1, 'X']], relations: [] })},\n${JSON.stringify({ tokens: ['a'], entities: [{ type: 'X' }] })}]`);
  assert.match(await rejects(unified, undefined, { line: 2, unit: 'record', field: 'entities[0]' }), /got an object \{"type":"X"\}$/);
});

test('nyt: the empty token the paper makes of two spaces in a row is dropped and counted (it was read, and written as an empty span)', async () => {
  const { docs, diagnostics } = await collect(file(`${N({ sentText: 'Bob lives  in Paris .', entityMentions: [{ start: 0, text: 'Bob', label: 'PER' }, { start: 1, text: 'in  Paris', label: 'LOC' }, { start: 2, text: ' ', label: 'LOC' }] })}\n`), { format: 'nyt' });
  assert.deepEqual(docs[0].sentences[0].tokens.map((t) => t.text), ['Bob', 'lives', 'in', 'Paris', '.']);
  assert.deepEqual(shape(docs[0])[0].entities, ['0:1:PER', '2:4:LOC']); // a mention of spaces is found nowhere
  assert.equal(diagnostics.count('nyt-empty-token-dropped'), 1);
  assert.match(diagnostics.format().join('\n'), /nyt-empty-token-dropped ×1 \(e\.g\. .*:1 \(2-1\): 1 \(two spaces in a row/);
  assert.equal(diagnostics.count('nyt-mention-not-found'), 1);
});
