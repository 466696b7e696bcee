/**
 * CoType NYT locates a mention by its text, at the first occurrence (reference spec §1.6, §7.2): where the
 * text occurs more than once the place is a guess, counted; so is a guess that puts the mention inside
 * another mention (`Mexico` in `Mexico City`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA, collect, shape, tmp } from './helpers.js';

test('a mention text occurring twice is placed at its first occurrence and counted once a sentence; inside another mention, counted again', async () => {
  const file = join(tmp(), 'nyt.json');
  const sentence = {
    sentId: 1,
    articleId: 7,
    sentText: 'He flew from Mexico City to Mexico and back to Mexico City .\r\n',
    entityMentions: [
      { start: 0, label: 'LOCATION', text: 'Mexico City' },
      { start: 1, label: 'LOCATION', text: 'Mexico' },
      { start: 2, label: 'LOCATION', text: 'Mexico' },
    ],
    relationMentions: [],
  };
  writeFileSync(file, JSON.stringify(sentence) + '\n');
  const { docs, diagnostics } = await collect(file);
  // Mexico's first occurrence is the one inside "Mexico City", not the Mexico of "to Mexico".
  assert.deepEqual(shape(docs[0])[0].entities, ['3:5:LOCATION', '3:4:LOCATION']);
  const w = (code: string) => diagnostics.summary().find((x) => x.code === code);
  assert.equal(w('nyt-mention-text-ambiguous')?.count, 2); // "Mexico City" and "Mexico", each once
  assert.match(w('nyt-mention-text-ambiguous')!.examples[1], /nyt\.json:1 \(7-1\) "Mexico" occurs 3 times: placed at its first, token 3$/);
  assert.equal(w('nyt-mention-placed-inside-another')?.count, 1);
  assert.match(w('nyt-mention-placed-inside-another')!.examples[0], /\(7-1\) "Mexico" at its first occurrence, inside "Mexico City"$/);
  assert.equal(diagnostics.count('nyt-duplicate-mention-merged'), 1);
});

test("NYT CoType's test file: 53 mention texts placed at the first of several occurrences, 4 of them inside another mention; the other counts as before", async () => {
  const { diagnostics } = await collect(join(DATA, 'nyt_cotype/test.json'));
  assert.equal(diagnostics.count('nyt-mention-text-ambiguous'), 53);
  const inside = diagnostics.summary().find((x) => x.code === 'nyt-mention-placed-inside-another');
  assert.equal(inside?.count, 4);
  assert.deepEqual(inside.examples.map((e) => /"([^"]+)" at its first occurrence, inside "([^"]+)"/.exec(e)?.slice(1).join(' in ')), ['Mexico in Mexico City', 'House in White House', 'Lloyd Wright in Frank Lloyd Wright']);
  assert.equal(diagnostics.count('nyt-duplicate-mention-merged'), 42);
  assert.equal(diagnostics.count('nyt-duplicate-relation-dropped'), 14);
  assert.equal(diagnostics.count('nyt-none-relation-dropped'), 3470);
  assert.equal(diagnostics.count('nyt-mention-not-found'), 0);
});
