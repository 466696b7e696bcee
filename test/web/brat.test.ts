import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toBratAnn } from '../../src/extract/brat.js';
import type { ExtractedDocument } from '../../src/extract/types.js';
import { fakeExtract } from '../server/fake-extractor.js';

describe('toBratAnn', () => {
  it('writes T lines with offsets and text, and R lines with Arg1/Arg2', () => {
    const doc = fakeExtract('John Smith works for Acme Corp in Boston.');
    assert.equal(
      toBratAnn(doc),
      'T1\tPeop 0 10\tJohn Smith\n' +
        'T2\tOrg 21 30\tAcme Corp\n' +
        'T3\tLoc 34 40\tBoston\n' +
        'R1\tWork_For Arg1:T1 Arg2:T2\n' +
        'R2\tOrgBased_In Arg1:T2 Arg2:T3\n',
    );
  });

  it('writes code point offsets, as brat counts them, with emoji and combining marks', () => {
    const text = '😀 Jose\u0301 met Zoë in Paris 🇫🇷 and Lyon.';
    const ann = toBratAnn(fakeExtract(text));
    const codePoints = [...text];
    const lines = ann.trim().split('\n').filter((l) => l.startsWith('T'));
    assert.equal(lines.length, 4);
    for (const line of lines) {
      const [, typeAndSpan, surface] = line.split('\t');
      const [, a, b] = typeAndSpan.split(' ');
      assert.equal(codePoints.slice(Number(a), Number(b)).join(''), surface);
    }
    assert.match(ann, /^T1\tPeop 2 7\tJose\u0301$/m);
  });

  it('splits an entity across a line break into fragments, maps ids, and skips dangling relations', () => {
    const doc: ExtractedDocument = {
      text: 'New\nYork Times',
      sentences: [],
      entities: [{ id: 'e7', text: 'New\nYork Times', type: 'News Org', start: 0, end: 14, sentence: 0, tokenStart: 0, tokenEnd: 3, score: 1 }],
      relations: [
        { type: 'Self', head: 'e7', tail: 'e7', score: 1 },
        { type: 'Gone', head: 'e7', tail: 'e99', score: 1 },
      ],
    };
    assert.equal(toBratAnn(doc), 'T1\tNews_Org 0 3;4 14\tNew York Times\nR1\tSelf Arg1:T1 Arg2:T1\n');
  });

  it('gives an empty file for a document without entities', () => {
    assert.equal(toBratAnn(fakeExtract('nothing here')), '');
  });

  it('rejects what is not an extracted document with a UserError naming the argument', () => {
    for (const bad of [undefined, 'text', { text: 'x', entities: [] }])
      assert.throws(() => toBratAnn(bad as never), { name: 'UserError', message: /^doc: must be an extracted document \{text, entities, relations\}, got / });
  });
});
