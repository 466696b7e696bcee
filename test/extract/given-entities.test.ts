/**
 * Given entities fitted to the text's tokens and sentences (extract/given-entities.ts): tokens split at
 * span boundaries inside them, sentences joined where a span crosses the splitter's boundary, and every
 * bad entity refused with the field that names it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenProblem } from '../../src/data/validate.js';
import { alignGivenEntities, checkGivenEntities, readExtractInput } from '../../src/extract/given-entities.js';
import { tokenizedSentences } from '../../src/text/index.js';
import { userError } from '../user-error.js';
import { stopwatch, timed } from '../cpu-clock.js';

const schema = { entityTypes: ['Peop', 'Org', 'Loc'], relationTypes: [{ name: 'Work_For', symmetric: false }] };

function align(text: string, entities: unknown) {
  const checked = checkGivenEntities(text, entities, schema, 'entities');
  return alignGivenEntities(text, tokenizedSentences(text, { style: 'ptb' }), checked, 'entities');
}

const tokenTexts = (a: ReturnType<typeof align>) => a.sentences.map((s) => s.tokens.map((t) => t.text));

/** `fn` throws a UserError with this message, naming this field. */
function refused(fn: () => unknown, message: RegExp, field: string): void {
  const e = userError(fn);
  assert.match(e.message, message);
  assert.equal(e.location.field, field);
}

describe('given entities', () => {
  it('are placed on their tokens, sentence by sentence, in token order whatever the input order', () => {
    const text = 'Mary Smith works for Acme Corp. She lives in Boston.';
    const a = align(text, [
      { start: 45, end: 51, type: 'Loc' },
      { start: 0, end: 10, type: 'Peop' },
      { start: 21, end: 30, type: 'Org' },
    ]);
    assert.equal(a.sentences.length, 2);
    assert.deepEqual(a.entities, [
      [
        { index: 1, type: 'Peop', start: 0, end: 2 },
        { index: 2, type: 'Org', start: 4, end: 6 },
      ],
      [{ index: 0, type: 'Loc', start: 3, end: 4 }],
    ]);
  });

  it('split a token where a span starts or ends inside it, each piece keeping its own characters', () => {
    const text = 'AcmeCorp hired Tom.';
    const a = align(text, [{ start: 0, end: 4, type: 'Org' }, { start: 15, end: 18, type: 'Peop' }]);
    assert.deepEqual(tokenTexts(a), [['Acme', 'Corp', 'hired', 'Tom', '.']]);
    assert.deepEqual(a.sentences[0].tokens.slice(0, 2).map((t) => [t.start, t.end]), [[0, 4], [4, 8]]);
    assert.deepEqual(a.entities[0].map((e) => [e.start, e.end]), [[0, 1], [3, 4]]);
  });

  it('split a word at a U+FEFF inside it without it: the token readers count it a space', () => {
    // The pieces were `Bos` and `\uFEFFton`, a token a .jsonl output could not be read back with.
    const text = 'Mary lives in Bos\uFEFFton.';
    for (const [start, end] of [[14, 17], [18, 21]]) {
      const a = align(text, [{ start, end, type: 'Loc' }]);
      assert.deepEqual(a.sentences[0].tokens.slice(3, 5).map((t) => [t.text, t.start, t.end]), [['Bos', 14, 17], ['ton', 18, 21]]);
      for (const t of a.sentences[0].tokens) assert.equal(tokenProblem(t.text), undefined);
    }
  });

  it('split a word at a soft hyphen without it: no piece starts with a format character (review 9)', () => {
    // The pieces were `Ann` and `\u00AD-Marie`.
    const text = 'Ann\u00AD-Marie Smith lives in Boston.';
    const a = align(text, [{ start: 0, end: 3, type: 'Peop' }]);
    assert.deepEqual(a.sentences[0].tokens.slice(0, 2).map((t) => [t.text, t.start, t.end]), [['Ann', 0, 3], ['-Marie', 4, 10]]);
  });

  it('name an invisible edge character: a span ending on U+FEFF is refused saying so, not "a space"', () => {
    refused(
      () => align('Mc\uFEFFDonald met Ann.', [{ start: 0, end: 3, type: 'Peop' }]),
      /ends with U\+FEFF \(a zero-width no-break space, which only inside a word belongs to it\)/,
      'entities[0]',
    );
  });

  it('move a sentence cut out of a span that crosses it, and leave the other cuts', () => {
    const text = 'He met Acme. Corp people. Then he left. Again.';
    const split = tokenizedSentences(text, { style: 'ptb' });
    assert.equal(split.length, 4, 'the splitter cuts after "Acme."');
    const a = align(text, [{ start: 7, end: 17, type: 'Org' }]);
    assert.equal(a.sentences.length, 3);
    assert.deepEqual([a.sentences[0].start, a.sentences[0].end], [0, 25]);
    assert.deepEqual(a.entities[0], [{ index: 0, type: 'Org', start: 2, end: 5 }]);
    assert.deepEqual(a.entities.slice(1), [[], []]);
  });

  it('may be none: the text as the splitter made it', () => {
    const a = align('One. Two.', []);
    assert.deepEqual(tokenTexts(a), [['One', '.'], ['Two', '.']]);
  });

  it('are refused when malformed, outside the text, of an unknown type, overlapping or on spaces alone', () => {
    const text = 'Mary Smith works for Acme Corp.';
    refused(() => align(text, { start: 0 }), /must be an array of \{start, end, type\}/, 'entities');
    refused(() => align(text, [null]), /must be an object \{start, end, type\}, got null/, 'entities[0]');
    refused(() => align(text, [{ start: 0, end: 4, type: 'Peop', score: 1 }]), /unknown field "score"/, 'entities[0]');
    refused(() => align(text, [{ start: '0', end: 4, type: 'Peop' }]), /must be a whole number \(a character offset\), got "0"/, 'entities[0].start');
    refused(() => align(text, [{ start: 0, end: 4.5, type: 'Peop' }]), /must be a whole number/, 'entities[0].end');
    refused(() => align(text, [{ start: 40, end: 44, type: 'Peop' }]), /40 is outside the text \(0 to 30\)/, 'entities[0].start');
    refused(() => align(text, [{ start: 5, end: 5, type: 'Peop' }]), /5 must be after start \(5\) and at most the text's length \(31\)/, 'entities[0].end');
    refused(() => align(text, [{ start: 0, end: 4, type: 'PER' }]), /"PER" is not one of the model's entity types \(Peop, Org, Loc\)/, 'entities[0].type');
    refused(() => align(text, [{ start: 0, end: 4, type: 'Peop', id: '' }]), /must be a non-empty string/, 'entities[0].id');
    refused(() => align(text, [{ start: 0, end: 4, type: 'Peop', id: 'a' }, { start: 5, end: 10, type: 'Peop', id: 'a' }]), /"a" is also the id of entities\[0\]/, 'entities[1].id');
    refused(
      () => align(text, [{ start: 21, end: 30, type: 'Org' }, { start: 26, end: 30, type: 'Org' }]),
      /"Corp" \(26–30\) overlaps entities\[0\], "Acme Corp" \(21–30\): the model's tags hold one entity per token/,
      'entities[1]',
    );
    refused(() => align(text, [{ start: 0, end: 4, type: 'Peop' }, { start: 0, end: 4, type: 'Org' }]), /overlaps entities\[0\]/, 'entities[1]');
    refused(() => align(text, [{ start: 4, end: 5, type: 'Peop' }]), /^entities\[0\]: " " \(4–5\) is only spaces$/, 'entities[0]');
    refused(() => align(text, [{ start: 4, end: 10, type: 'Peop' }]), /" Smith" \(4–10\) starts with a space: a span holds the entity's characters only/, 'entities[0]');
    refused(() => align(text, [{ start: 0, end: 5, type: 'Peop' }]), /"Mary " \(0–5\) ends with a space/, 'entities[0]');
    refused(() => align('', [{ start: 0, end: 1, type: 'Peop' }]), /the text is empty/, 'entities');
  });

  it('are refused where an offset splits a character: a surrogate pair, a flag, a letter and its mark', () => {
    refused(() => align('I met 😀Bob Smith.', [{ start: 7, end: 16, type: 'Peop' }]), /^entities\[0\]\.start: 7 falls inside a surrogate pair/, 'entities[0].start');
    refused(() => align('I 🇫🇷 love Paris', [{ start: 2, end: 4, type: 'Loc' }]), /^entities\[0\]\.end: 4 falls inside a flag \(two regional indicators\)/, 'entities[0].end');
    refused(() => align('Zoe\u0301 lives here', [{ start: 0, end: 3, type: 'Peop' }]), /^entities\[0\]\.end: 3 falls inside a character \(a letter with its marks/, 'entities[0].end');
    const flags = align('I 🇫🇷🇩🇪 go', [{ start: 6, end: 10, type: 'Loc' }]);
    assert.deepEqual(flags.entities.flat().map((e) => e.index), [0], 'between two flags is between characters');
  });

  it('are refused when they hold format characters only, by the check, without tokenizing the text (was: by the alignment)', () => {
    const check = (text: string, entities: unknown) => checkGivenEntities(text, entities, schema, 'entities');
    for (const [text, start, end] of [['Ann\u00ADe met Bob.', 3, 4], ['a \u200B\u200C b', 2, 4], ['x \u0600\ny', 2, 3], ['x \u00AD \u200B\u2060 y', 2, 6]] as const)
      refused(() => check(text, [{ start, end, type: 'Peop' }]), /holds no token: it has only format characters \(and spaces\), which belong to no word of their own$/, 'entities[0]');
    // One character of a word is enough (the piece of its token).
    assert.equal(check('Ann\u00ADe met Bob.', [{ start: 3, end: 5, type: 'Peop' }]).length, 1);
    // So the server's check (readExtractInput) need not tokenize: a text the tokenizer spends seconds on is checked at once.
    const slow = `${'\u0600'.repeat(500_000)} Ann`;
    // Timed against tokenizing the same text (times not counting other processes', cpu-clock.ts): the check
    // takes milliseconds, tokenizing about half a second.
    const checking = timed(() => readExtractInput({ text: slow, entities: [{ start: slow.length - 3, end: slow.length, type: 'Peop' }] }, schema, '')).ms;
    const tokenizing = timed(() => tokenizedSentences(slow)).ms;
    assert.ok(checking < 500 && checking < tokenizing / 4, `checked in ${checking.toFixed(0)} ms; tokenized in ${tokenizing.toFixed(0)} ms`);
  });

  it('are checked in linear time in a long run of flags (each counted the run before it: quadratic)', () => {
    const text = `${'\u{1F1EB}\u{1F1F7}'.repeat(75_000)} Paris`; // 150,000 regional indicators
    const at = text.length - 6 - 4; // the last flag
    const entities = Array.from({ length: 20_000 }, (_, k) => ({ start: at, end: at + 4, type: 'Loc', ...(k > 0 && { id: `f${k}` }) }));
    // Time not counting other processes' (cpu-clock.ts): a bound on the work, whatever the machine's load.
    const flags = stopwatch();
    // Each entity is checked (offsets, characters) before the overlaps: the 2nd overlaps the 1st.
    refused(() => checkGivenEntities(text, entities, schema, 'entities'), /overlaps entities\[0\]/, 'entities[1]');
    assert.ok(flags.ms() < 1000, `checked in ${flags.ms().toFixed(0)} ms`);
    refused(() => checkGivenEntities(text, [{ start: at + 2, end: at + 4, type: 'Loc' }], schema, 'entities'), /falls inside a flag/, 'entities[0].start');
    // Many entities over one long span of format characters: read once they are known to be disjoint.
    const shy = `${'\u00AD'.repeat(500_000)}a`;
    const spans = stopwatch();
    refused(() => checkGivenEntities(shy, Array(20_000).fill({ start: 0, end: shy.length, type: 'Loc' }), schema, 'entities'), /overlaps entities\[0\]/, 'entities[1]');
    assert.ok(spans.ms() < 1000, `checked in ${spans.ms().toFixed(0)} ms`);
  });

  it("move a cut inside a span to the span's start where joining would pass 100 tokens, keeping the sentence it begins whole", () => {
    const filler = Array.from({ length: 92 }, (_, i) => `w${i}`).join(' ');
    const text = `${filler} met Acme. Corp hired Mary Smith in Boston last year.`;
    const at = (s: string) => text.indexOf(s);
    const a = align(text, [
      { start: at('Acme'), end: at('Corp') + 4, type: 'Org' },
      { start: at('Mary'), end: at('Smith') + 5, type: 'Peop' },
      { start: at('Boston'), end: at('Boston') + 6, type: 'Loc' },
    ]);
    assert.deepEqual(tokenTexts(a).map((s) => s.slice(0, 3)), [['w0', 'w1', 'w2'], ['Acme', '.', 'Corp']]);
    assert.deepEqual(a.entities[1].map((e) => e.index), [0, 1, 2], 'the entities of the second sentence together');
    // An entity longer than 100 tokens is a sentence of its own.
    const long = Array.from({ length: 150 }, (_, i) => `x${i}`).join(' ');
    const b = align(`Tom works for ${long} now.`, [{ start: 14, end: 14 + long.length, type: 'Org' }]);
    assert.deepEqual(b.sentences.map((s) => s.tokens.length), [3, 150, 2]);
  });

  it('keep sentences within the splitter\'s 100 tokens however many cuts the entities cross', () => {
    const words = Array.from({ length: 1000 }, (_, i) => `w${i}`);
    const text = words.join(' ');
    const starts: number[] = [];
    words.reduce((at, w) => (starts.push(at), at + w.length + 1), 0);
    // Two-token entities over every boundary the splitter makes (it cuts runs of words every 100 tokens).
    const entities = Array.from({ length: 499 }, (_, k) => ({ start: starts[2 * k + 1], end: starts[2 * k + 2] + words[2 * k + 2].length, type: 'Org' }));
    const a = align(text, entities);
    assert.ok(a.sentences.every((s) => s.tokens.length <= 100), `longest ${Math.max(...a.sentences.map((s) => s.tokens.length))}`);
    assert.equal(a.sentences.reduce((n, s) => n + s.tokens.length, 0), 1000, 'every token kept');
    assert.equal(a.entities.flat().length, 499, 'no entity cut in two');
    for (const [si, list] of a.entities.entries()) for (const e of list) assert.ok(e.end <= a.sentences[si].tokens.length, 'e.end <= a.sentences[si].tokens.length');
  });
});
