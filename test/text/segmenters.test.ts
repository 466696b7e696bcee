import assert from 'node:assert/strict';
import { test } from 'node:test';
import { segmenterCache } from '../../src/text/segmenters.js';

test('segmenters are kept for the most recently used locales only (a new locale per call cannot grow memory)', () => {
  const segmenter = segmenterCache(2);
  const en = segmenter('en');
  assert.equal(segmenter('en'), en, 'a kept locale gives the segmenter made for it');
  const de = segmenter('de');
  assert.equal(segmenter('en'), en, 'en still kept');
  segmenter('fr'); // evicts de, the least recently used
  assert.equal(segmenter('en'), en, 'en, used after de, is kept');
  assert.notEqual(segmenter('de'), de, 'de was evicted and is made anew');
  assert.equal(segmenter('de').resolvedOptions().granularity, 'sentence');
});

test('a locale is checked before a segmenter is made for it, and a refused one is not kept', () => {
  const segmenter = segmenterCache(2);
  const en = segmenter('en');
  for (const bad of ['en_US', 'xx', 'not a locale'])
    assert.throws(() => segmenter(bad), (e: Error) => e.name === 'UserError' && e.message.startsWith('locale: must be a BCP 47 language tag'), bad);
  assert.equal(segmenter('en'), en, 'refused locales took no place');
});
