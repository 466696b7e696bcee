/**
 * The corpus, evaluation and text functions of the package, called from JavaScript with what they do
 * not take: a UserError naming the argument, not a TypeError from inside.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadCorpus, writeCorpus } from '../../src/data/formats/index.js';
import { compareSystems, confidenceIntervals, evaluate, evaluateWithErrors, Scorer, vote } from '../../src/eval/index.js';
import { textToDocument } from '../../src/data/text-document.js';
import { tokenize, tokenizedSentences } from '../../src/text/index.js';
import { tempDir } from '../temp-dir.js';

const refused = (message: RegExp) => (e: Error) => e.name === 'UserError' && message.test(e.message);
const doc = textToDocument('d1', 'Ann met Bob.');

test('evaluate and Scorer: document lists, options and schema checked', () => {
  for (const f of [evaluate, evaluateWithErrors]) {
    assert.throws(() => f(null as never, [doc]), refused(/^gold: must be an array of documents \{id, sentences\}, got null$/));
    assert.throws(() => f([doc], [doc, 'x'] as never), refused(/^pred\[1\]: must be a document \{id, sentences\}, got "x"$/));
    assert.throws(() => f([doc], [doc], 'strict' as never), refused(/^options: must be an object \{schema, paperCompat, diagnostics, goldFile, predFile\}, got "strict"$/));
    assert.throws(() => f([doc], [doc], { schema: { entityTypes: 'Peop' } as never }), refused(/^options\.schema: must be a label schema /));
  }
  assert.equal(evaluate([doc], [doc]).sentences, 1);
  // null is no options, as the check takes it: not a TypeError after it.
  assert.equal(evaluate([doc], [doc], null as never).sentences, 1);
  assert.equal(evaluateWithErrors([doc], [doc], null as never).report.sentences, 1);
  assert.throws(() => new Scorer(null as never), refused(/^schema: must be a label schema \{entityTypes: string\[\], relationTypes: \{name, symmetric\}\[\]\}, got null$/));
  assert.throws(() => new Scorer({ entityTypes: [], relationTypes: ['Kill'] } as never), refused(/^schema: must be a label schema/));
  assert.equal(new Scorer({ entityTypes: ['Peop'], relationTypes: [] }).report().sentences, 0);
  // Options that are not an object are refused (review 10a: the constructor's check was not exercised); null is none.
  for (const bad of ['x', 7, true, ['paperCompat']])
    assert.throws(() => new Scorer({ entityTypes: ['Peop'], relationTypes: [] }, bad as never), refused(/^options: must be an object \{paperCompat\}, got /), JSON.stringify(bad));
  assert.equal(new Scorer({ entityTypes: ['Peop'], relationTypes: [] }, null as never).report().sentences, 0);
  assert.throws(() => new Scorer({ entityTypes: ['Peop'], relationTypes: [] }, { paperCompatt: true } as never), refused(/^options: unknown option "paperCompatt" \(allowed: paperCompat\)$/));
});

test('loadCorpus and writeCorpus: a file name, options and a schema checked', async () => {
  await assert.rejects(loadCorpus(undefined as never), refused(/^file: must be a file name, got undefined$/));
  await assert.rejects(loadCorpus('x.jsonl', 'jsonl' as never), refused(/^options: must be an object \{format, typesFile, .*\}, got "jsonl"$/));
  // A misspelt option, or a value out of its choices, would be read as the default.
  await assert.rejects(loadCorpus('x', { bratLayuot: 'text' } as never), refused(/^options: unknown option "bratLayuot" \(allowed: format, typesFile, split, ace05, bratLayout, tokenizer, labelStudioResults, symmetric, diagnostics\)$/));
  await assert.rejects(loadCorpus('x', { bratLayout: 'Lines' } as never), refused(/^bratLayout: must be one of "auto", "lines", "text", got "Lines"$/));
  await assert.rejects(loadCorpus('x', { tokenizer: 'spacy' } as never), refused(/^tokenizer: must be one of "ptb", "conll04", got "spacy"$/));
  const out = join(tempDir('entrel-args-'), 'out.jsonl');
  await assert.rejects(writeCorpus([doc], null as never, out, 'jsonl'), refused(/^schema: must be a label schema .*got null$/));
});

test('textToDocument, tokenize and tokenizedSentences: strings and a positive maxTokens', () => {
  assert.throws(() => textToDocument('d', undefined as never), refused(/^text: must be a string, got undefined$/));
  assert.throws(() => textToDocument(7 as never, 'x'), refused(/^id: must be a string, got 7$/));
  assert.throws(() => tokenize(5 as never), refused(/^text: must be a string, got 5$/));
  assert.throws(() => tokenizedSentences('a b', { maxTokens: NaN }), refused(/^maxTokens: must be a positive integer, got NaN$/));
  assert.deepEqual(tokenize('Ann met').map((t) => t.text), ['Ann', 'met']);
  // null is no options.
  assert.deepEqual(tokenize('Ann met', 0, 7, null as never).map((t) => t.text), ['Ann', 'met']);
  assert.equal(tokenizedSentences('Ann met Bob. He left.', null as never).length, 2);
  assert.deepEqual(textToDocument('d1', 'Ann met Bob.', null as never), doc);
});

test('vote, confidenceIntervals and compareSystems: null options mean none, other misuse is named', () => {
  assert.equal(vote([[doc], [doc]], null as never).documents.length, 1);
  assert.throws(() => vote([[doc], 'x'] as never), refused(/^systems\[1\]: must be an array of documents \{id, sentences\}, got "x"$/));
  assert.throws(() => vote([[doc], [doc]], 2 as never), refused(/^options: must be an object \{minVotes, schema, files, diagnostics\}, got 2$/));
  const gold = [textToDocument('a', 'Ann met Bob.'), textToDocument('b', 'Bob met Ann.')];
  assert.equal(confidenceIntervals(gold, gold, null as never).units, 2);
  assert.equal(compareSystems(gold, [gold, gold], null as never).systems.length, 2);
});
