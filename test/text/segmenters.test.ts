import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { segmenterCache } from '../../src/text/segmenters.js';
import { CHILD_LIMIT } from '../child-limit.js';

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

test('"und" (no language in particular) splits with ICU\'s root rules, whatever the machine\'s locale (review 18a finding 5)', () => {
  const segmenter = segmenterCache(4);
  const text = 'Τι κάνεις; Καλά. Mr. Smith left.';
  const sentences = (locale: string) => [...segmenter(locale).segment(text)].map((s) => s.segment);
  for (const und of ['und', 'UND', 'und-Latn']) assert.deepEqual(sentences(und), sentences('en'), und);
  assert.notDeepEqual(sentences('el'), sentences('und'), 'Greek rules end a question at ";"');
  // Intl itself gives `und` the machine's default locale's rules: Greek ones under LANG=el_GR.
  const child = (locale: string) => {
    const script = `import { segmenterCache } from ${JSON.stringify(new URL('../../src/text/segmenters.ts', import.meta.url).href)};
      process.stdout.write(JSON.stringify([...segmenterCache(1)(${JSON.stringify(locale)}).segment(${JSON.stringify(text)})].map((s) => s.segment)));`;
    const env = { ...process.env, LANG: 'el_GR.UTF-8', LC_ALL: 'el_GR.UTF-8' };
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { ...CHILD_LIMIT, env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as string[];
  };
  assert.deepEqual(child('und'), sentences('en'), 'und under LANG=el_GR');
  assert.deepEqual(child('el'), sentences('el'), 'the child does see Greek rules where asked');
});
