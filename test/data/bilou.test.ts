import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeTags, encodeTags, isRepairedTag, isUnclosedTag, type Span, type TagScheme } from '../../src/data/bilou.js';

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
  // Longer first whatever the start (review 10a B2: a corrupted sort key kept the later or the shorter span).
  assert.deepEqual(encodeTags(6, [sp(2, 5, 'A'), sp(0, 3, 'B')]), { tags: ['B-B', 'I-B', 'L-B', 'O', 'O', 'O'], dropped: [sp(2, 5, 'A')] });
  assert.deepEqual(encodeTags(6, [sp(3, 4, 'A'), sp(0, 4, 'B')]), { tags: ['B-B', 'I-B', 'I-B', 'L-B', 'O', 'O'], dropped: [sp(3, 4, 'A')] });
  assert.deepEqual(encodeTags(6, [sp(0, 2, 'A'), sp(1, 4, 'B'), sp(4, 5, 'C')]), { tags: ['O', 'B-B', 'I-B', 'L-B', 'U-C', 'O'], dropped: [sp(0, 2, 'A')] });
});

/** Every permutation of `xs`. */
const permutations = <T>(xs: T[]): T[][] => (xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p])));
const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

test('property: keep-longest is order-independent, keeps disjoint spans, each at least as long as any overlapping span it drops', () => {
  // Spans with distinct extents (two spans of one extent differ only in type: input order decides, as documented).
  const spans = fc
    .uniqueArray(fc.tuple(fc.nat(7), fc.integer({ min: 1, max: 4 })), { minLength: 1, maxLength: 5, selector: ([s, l]) => `${s}:${l}` })
    .map((xs) => xs.map(([s, l], i) => sp(s, s + l, 'ABCDE'[i])));
  fc.assert(
    fc.property(spans, (input) => {
      const { tags, dropped } = encodeTags(11, input);
      const kept = input.filter((s) => !dropped.includes(s));
      // What the tags hold is exactly the kept spans, and they do not overlap.
      assert.deepEqual(decodeTags(tags), [...kept].sort((a, b) => a.start - b.start));
      for (const a of kept) for (const b of kept) if (a !== b) assert.ok(!overlaps(a, b), `kept ${JSON.stringify([a, b])} overlap`);
      // A span is dropped only for an overlapping kept one that is longer, or as long and earlier.
      for (const d of dropped)
        assert.ok(kept.some((k) => overlaps(k, d) && (k.end - k.start > d.end - d.start || (k.end - k.start === d.end - d.start && k.start < d.start))), `${JSON.stringify(d)} dropped for nothing better`);
      // Longest first, then earliest start: a greedy pass in that order keeps the same spans.
      const order = [...input].sort((a, b) => (b.end - b.start) - (a.end - a.start) || a.start - b.start);
      const greedy: Span[] = [];
      for (const s of order) if (!greedy.some((k) => overlaps(k, s))) greedy.push(s);
      assert.deepEqual(new Set(kept), new Set(greedy));
      for (const p of permutations(input)) assert.deepEqual(encodeTags(11, p).tags, tags, `order ${JSON.stringify(p)}`);
    }),
    { numRuns: 300 },
  );
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
        assert.ok(tags.every((t, i) => !isRepairedTag(tags[i - 1], t)), tags.join(' '));
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
        assert.ok(s.start >= prev && s.end > s.start && s.end <= tags.length, `${tags.join(' ')}: ${JSON.stringify(spans)}`);
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

test('property: a B- or I- tag is unclosed (BILOU) exactly where the decoder ends its chunk on it', () => {
  // Review 10a B1: tested only through the spert-tags reader's repair counts.
  const tag = fc.oneof(fc.constant('O'), fc.tuple(fc.constantFrom('B', 'I', 'L', 'E', 'U', 'S'), fc.constantFrom('X', 'Y')).map(([p, t]) => `${p}-${t}`));
  fc.assert(
    fc.property(fc.array(tag, { maxLength: 30 }), (tags) => {
      const ends = new Set(decodeTags(tags).map((s) => s.end));
      tags.forEach((t, i) => assert.equal(isUnclosedTag(t, tags[i + 1]), /^[BI]-/.test(t) && ends.has(i + 1), `${tags.join(' ')} at ${i}`));
    }),
    { numRuns: 500 },
  );
  const seq = ['B-X', 'I-X', 'L-X', 'B-X', 'O', 'I-Y', 'E-Y', 'B-X', 'I-Y', 'B-Y', 'U-Y', 'I-X'];
  assert.deepEqual(seq.map((t, i) => isUnclosedTag(t, seq[i + 1])), [false, false, false, true, false, false, false, true, true, true, false, true]);
});
