import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shorten } from '../../src/web/shorten.js';

describe('shorten', () => {
  it('keeps a text of 60 units and cuts a longer one to 60 with an ellipsis', () => {
    assert.equal(shorten('a'.repeat(60)), 'a'.repeat(60));
    assert.equal(shorten('a'.repeat(61)), `${'a'.repeat(60)}…`);
  });

  it('does not cut inside a surrogate pair, an emoji sequence or a letter with combining marks', () => {
    const family = '👩‍👩‍👧'; // 8 UTF-16 units, one grapheme
    assert.equal(shorten(`${'a'.repeat(55)}${family}b`), `${'a'.repeat(55)}…`);
    assert.equal(shorten(`${'a'.repeat(59)}😀b`), `${'a'.repeat(59)}…`);
    assert.equal(shorten(`${'a'.repeat(59)}e\u0301b`), `${'a'.repeat(59)}…`);
    assert.equal(shorten(`${'a'.repeat(52)}${family}b`), `${'a'.repeat(52)}${family}…`);
  });

  it('keeps an astral character at the cut with what it joins: a flag, a skin tone, a ZWJ sequence', () => {
    for (const [head, whole] of [['🇫', '🇫🇷'], ['👍', '👍🏽'], ['👩', '👩‍💻']]) {
      // The sequence starts 2 or 4 units before the cut, so its second code point begins at unit 60.
      const text = `${'a'.repeat(60 - head.length)}${whole}b`;
      assert.equal(shorten(text), `${'a'.repeat(60 - head.length)}…`, whole);
    }
  });
});
