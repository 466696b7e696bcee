/**
 * The public text functions' options (review 15b finding 3): a typo in a key or a value, a bad locale or
 * offset is a one-line UserError naming the field, not the default applied in silence or a RangeError.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { textToDocument } from '../../src/data/text-document.js';
import { splitSentences, tokenize, tokenizedSentences } from '../../src/index.js';
import { tokenizedSentencesInSlices } from '../../src/text/index.js';

/** A UserError whose one-line message is `field: …` and matches `message`. */
const refused = (field: string, message: RegExp) => (e: Error) => {
  assert.equal(e.name, 'UserError', `${e.name}: ${e.message}`);
  assert.ok(!e.message.includes('\n'), `one line: ${e.message}`);
  assert.equal((e as Error & { location: { field?: string } }).location.field, field, e.message);
  assert.match(e.message, message);
  return true;
};
const TEXT = 'Alice left\nBob stayed. He did not.';
// Every way to hand sentence options in: the four public functions that take them.
const takers: [string, (opts: unknown) => unknown][] = [
  ['splitSentences', (o) => splitSentences(TEXT, o as never)],
  ['tokenizedSentences', (o) => tokenizedSentences(TEXT, o as never)],
  ['textToDocument', (o) => textToDocument('d', TEXT, o as never)],
];

test('sentence options: unknown keys, bad style, newlines, maxTokens and locale are refused, naming the field', () => {
  for (const [name, f] of takers) {
    const at = `(${name})`;
    assert.throws(() => f({ bogus: 1 }), refused('options', /^options: unknown option "bogus" \(allowed: style, newlines, maxTokens, locale\)$/), at);
    assert.throws(() => f('line'), refused('options', /^options: must be an object \{style, newlines, maxTokens, locale\}, got "line"$/), at);
    assert.throws(() => f({ newlines: 'lines' }), refused('newlines', /^newlines: must be "paragraph", "line" or "none", got "lines"$/), at);
    assert.throws(() => f({ newlines: null }), refused('newlines', /got null$/), at);
    assert.throws(() => f({ style: 'CoNLL04' }), refused('style', /^style: must be "ptb" or "conll04", got "CoNLL04"$/), at);
    assert.throws(() => f({ maxTokens: 2.5 }), refused('maxTokens', /^maxTokens: must be a positive integer, got 2.5$/), at);
    for (const locale of ['not a locale', 'en_US', '', 'xx', 'la', 'und_x', 7, ['en']])
      assert.throws(() => f({ locale }), refused('locale', /^locale: must be a BCP 47 language tag that ICU has locale data for, such as "en" or "de-CH", or "und" for no language in particular, got /), `${at} ${locale}`);
  }
});

test('sentence options that are right still work: null is none, undefined values are defaults', () => {
  const split = (opts: unknown) => splitSentences(TEXT, opts as never).map((s) => TEXT.slice(s.start, s.end));
  assert.deepEqual(split({ newlines: 'line' }), ['Alice left', 'Bob stayed.', 'He did not.']);
  assert.deepEqual(split({ newlines: 'paragraph', locale: 'de-CH', maxTokens: 50, style: 'conll04' }), ['Alice left\nBob stayed.', 'He did not.']);
  for (const none of [null, undefined, {}, { style: undefined, newlines: undefined, maxTokens: undefined, locale: undefined }])
    assert.deepEqual(split(none), ['Alice left\nBob stayed.', 'He did not.'], JSON.stringify(none));
  // conll04 reaches the tokenizer through the sentence options.
  assert.deepEqual(tokenizedSentences("I don't.", { style: 'conll04' })[0].tokens.map((t) => t.text), ['I', 'don', "'t", '.']);
});

test('tokenize: its one option, and offsets that are integers within the text', () => {
  const text = "I don't know $5.";
  assert.throws(() => tokenize(text, 0, 16, { style: 'CoNLL04' } as never), refused('style', /^style: must be "ptb" or "conll04", got "CoNLL04"$/));
  assert.throws(() => tokenize(text, 0, 16, { newlines: 'line' } as never), refused('options', /^options: unknown option "newlines" \(allowed: style\)$/));
  assert.throws(() => tokenize(text, 0, 16, 'conll04' as never), refused('options', /^options: must be an object \{style\}, got "conll04"$/));
  // The options in the start slot, where they were read as 0 and the style lost.
  assert.throws(
    () => tokenize(text, { style: 'conll04' } as never),
    refused('start', /^start: must be an integer offset from 0 to 16 \(the text's length\), got an object \{"style":"conll04"\}; options go fourth: tokenize\(text, start, end, options\)$/),
  );
  for (const start of [-1, 1.5, 17, NaN, '2', null])
    assert.throws(() => tokenize(text, start as never), refused('start', /^start: must be an integer offset from 0 to 16 \(the text's length\), got /), String(start));
  for (const end of [-3, 3, 17, 4.5, Infinity, '9', null])
    assert.throws(() => tokenize(text, 4, end as never), refused('end', /^end: must be an integer offset from 4 \(start\) to 16 \(the text's length\), got /), String(end));
  assert.deepEqual(tokenize(text, 0, 16, { style: 'conll04' }).map((t) => t.text), ['I', 'don', "'t", 'know', '$5', '.']);
  assert.deepEqual(tokenize(text, 2, 7, null as never), [{ text: 'do', start: 2, end: 4 }, { text: "n't", start: 4, end: 7 }]);
  assert.deepEqual(tokenize(text, 16), []);
  assert.deepEqual(tokenize(text, undefined, undefined, { style: undefined }).length, 7);
});

test('the time-sliced splitter (the Extractor\'s) rejects with the same errors', async () => {
  await assert.rejects(tokenizedSentencesInSlices(TEXT, { locale: 'en_US' }), refused('locale', /^locale: /));
  await assert.rejects(tokenizedSentencesInSlices(TEXT, { newlines: 'lines' } as never), refused('newlines', /^newlines: /));
});
