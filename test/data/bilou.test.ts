import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeTags, encodeTags, isRepairedTag, type Span, type TagScheme } from '../../src/data/bilou.js';

const sp = (start: number, end: number, type = 'X'): Span => ({ type, start, end });

test('encode BILOU and BIEOU', () => {
  const spans = [sp(0, 1, 'A'), sp(2, 5, 'B'), sp(5, 7, 'A')];
  assert.deepEqual(encodeTags(8, spans).tags, ['U-A', 'O', 'B-B', 'I-B', 'L-B', 'B-A', 'L-A', 'O']);
  assert.deepEqual(encodeTags(8, spans, 'BIEOU').tags, ['U-A', 'O', 'B-B', 'I-B', 'E-B', 'B-A', 'E-A', 'O']);
  assert.deepEqual(encodeTags(3, [sp(0, 2)], 'BIO').tags, ['B-X', 'I-X', 'O']);
});

test('decoder follows reference spec §5.1 on invalid sequences', () => {
  assert.deepEqual(decodeTags(['B-X', 'E-X', 'E-X']), [sp(0, 2), sp(2, 3)]);
  assert.deepEqual(decodeTags(['O', 'I-X', 'I-X']), [sp(1, 3)]);
  assert.deepEqual(decodeTags(['B-X', 'I-X']), [sp(0, 2)]);
  assert.deepEqual(decodeTags(['B-X', 'I-Y']), [sp(0, 1), sp(1, 2, 'Y')]);
  assert.deepEqual(decodeTags(['U-X', 'I-X']), [sp(0, 1), sp(1, 2)]);
  assert.deepEqual(decodeTags(['B-X', 'O', 'E-X']), [sp(0, 1), sp(2, 3)]);
  assert.deepEqual(decodeTags(['B-X', 'B-X', 'L-X']), [sp(0, 1), sp(1, 3)]);
  assert.deepEqual(decodeTags(['B-PER-SOC', 'L-PER-SOC']), [sp(0, 2, 'PER-SOC')]);
  assert.deepEqual(decodeTags([]), []);
});

test('overlapping spans: keep-longest keeps the longer/earlier one and reports the rest', () => {
  const inner = sp(1, 2, 'A');
  const outer = sp(0, 3, 'B');
  const r = encodeTags(4, [inner, outer]);
  assert.deepEqual(r.tags, ['B-B', 'I-B', 'L-B', 'O']);
  assert.deepEqual(r.dropped, [inner]);
  const tie = encodeTags(3, [sp(1, 3, 'A'), sp(0, 2, 'B')]);
  assert.deepEqual(tie.dropped, [sp(1, 3, 'A')]);
});

test('overlapping spans: overwrite replicates the paper (later mention wins)', () => {
  const r = encodeTags(4, [sp(0, 3, 'B'), sp(1, 2, 'A')], 'BIEOU', 'overwrite');
  assert.deepEqual(r.tags, ['B-B', 'U-A', 'E-B', 'O']);
  assert.deepEqual(r.dropped, [sp(0, 3, 'B')]);
});

test('encode rejects spans outside the sentence', () => {
  assert.throws(() => encodeTags(2, [sp(1, 3)]), RangeError);
  assert.throws(() => encodeTags(2, [sp(1, 1)]), RangeError);
});

/** Random non-overlapping spans over a sentence, in text order. */
const flatSpans = fc
  .array(fc.record({ gap: fc.nat(3), len: fc.integer({ min: 1, max: 5 }), type: fc.constantFrom('PER', 'ORG', 'LOC', 'Used-for') }), { maxLength: 8 })
  .chain((parts) => {
    let at = 0;
    const spans = parts.map((p) => {
      const s = sp(at + p.gap, at + p.gap + p.len, p.type);
      at = s.end;
      return s;
    });
    return fc.nat(4).map((tail) => ({ length: at + tail, spans }));
  });

for (const scheme of ['BILOU', 'BIEOU', 'BIO'] as TagScheme[])
  test(`property: encode→decode is the identity on non-overlapping spans (${scheme})`, () => {
    fc.assert(
      fc.property(flatSpans, ({ length, spans }) => {
        // BIO cannot separate adjacent same-type spans; the tagging schemes with an end tag can
        const ok = scheme !== 'BIO' || spans.every((s, i) => i === 0 || spans[i - 1].end < s.start || spans[i - 1].type !== s.type);
        fc.pre(ok);
        const { tags, dropped } = encodeTags(length, spans, scheme);
        assert.deepEqual(dropped, []);
        assert.deepEqual(decodeTags(tags), spans);
        // a valid sequence: nothing for the readers to count as repaired
        assert.ok(tags.every((t, i) => !isRepairedTag(tags[i - 1], t)));
      }),
      { numRuns: 500 },
    );
  });

test('property: the decoder accepts any tag sequence and returns ordered, disjoint, in-range spans', () => {
  const tag = fc.oneof(fc.constant('O'), fc.tuple(fc.constantFrom('B', 'I', 'L', 'E', 'U'), fc.constantFrom('X', 'Y')).map(([p, t]) => `${p}-${t}`));
  fc.assert(
    fc.property(fc.array(tag, { maxLength: 30 }), (tags) => {
      const spans = decodeTags(tags);
      let prev = 0;
      for (const s of spans) {
        assert.ok(s.start >= prev && s.end > s.start && s.end <= tags.length);
        prev = s.end;
      }
    }),
  );
});

test('property: a tag is repaired exactly where the decoder starts an entity on a continuation (I-, L-, E-)', () => {
  const tag = fc.oneof(fc.constant('O'), fc.tuple(fc.constantFrom('B', 'I', 'L', 'E', 'U', 'S'), fc.constantFrom('X', 'Y')).map(([p, t]) => `${p}-${t}`));
  fc.assert(
    fc.property(fc.array(tag, { maxLength: 30 }), (tags) => {
      const starts = new Set(decodeTags(tags).map((s) => s.start));
      const repaired = tags.map((t, i) => isRepairedTag(tags[i - 1], t));
      tags.forEach((t, i) => assert.equal(repaired[i], /^[ILE]-/.test(t) && starts.has(i), `${tags.join(' ')} at ${i}`));
    }),
    { numRuns: 500 },
  );
  assert.deepEqual(['B-Peop', 'L-Org', 'O', 'I-X', 'B-X', 'I-X', 'L-X', 'B-Y'].map((t, i, a) => isRepairedTag(a[i - 1], t)), [false, true, false, true, false, false, false, false]);
});
