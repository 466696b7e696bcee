/**
 * Placing a row's arcs (arcs.ts) stays fast with thousands of arcs, and places them exactly as the
 * straightforward quadratic algorithm below, which compared each arc with every other, does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { placeArcs, type ArcEnd, type ArcPiece, type Box } from '../../src/web/arcs.js';
import { nearestClear } from '../../src/web/gaps.js';
import { timed } from '../cpu-clock.js';

/** A deterministic pseudo-random generator (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const piece = (from: ArcEnd, to: ArcEnd, labelWidth: number): ArcPiece => ({ from, to, label: 'R', labelWidth, x1: 0, x2: 0, labelX: 0, level: 0 });
const copy = (pieces: ArcPiece[]) => pieces.map((p) => ({ ...p }));
const placed = (pieces: ArcPiece[]) => pieces.map(({ x1, x2, labelX, level }) => ({ x1, x2, labelX, level }));

/** A row of `boxes` entity boxes and `arcs` arcs between them (some to the row's edges), at random. */
function randomRow(rand: () => number, boxes: number, arcs: number, rowWidth: number): ArcPiece[] {
  const bs: Box[] = Array.from({ length: boxes }, () => ({ x: 18 + Math.floor(rand() * (rowWidth - 120)) * 0.7, w: 8.4 * (1 + Math.floor(rand() * 9)) }));
  // Boxes of one span (an entity stacked under another) share their legs' places.
  if (boxes > 1) bs.push({ ...bs[0] });
  const end = (): ArcEnd => (rand() < 0.1 ? { edge: rand() < 0.5 ? 4 : rowWidth - 4 } : { box: bs[Math.floor(rand() * bs.length)] });
  return Array.from({ length: arcs }, () => {
    let [from, to] = [end(), end()];
    while ('edge' in from && 'edge' in to) to = { box: bs[0] };
    return piece(from, to, 6.2 * (2 + Math.floor(rand() * 14)) + 8);
  });
}

describe('placeArcs', () => {
  it('places arcs as comparing every arc with every other does', () => {
    const rand = random(20261207);
    for (let round = 0; round < 400; round++) {
      const rowWidth = 200 + Math.floor(rand() * 800);
      const pieces = randomRow(rand, 1 + Math.floor(rand() * 12), Math.floor(rand() * 40), rowWidth);
      const [mine, reference] = [copy(pieces), copy(pieces)];
      placeArcs(mine, rowWidth);
      referencePlaceArcs(reference, rowWidth);
      assert.deepEqual(placed(mine), placed(reference), `round ${round}`);
    }
  });

  it('places the review\'s 16,000 arcs in a row, and other shapes of thousands, in a fraction of the time (they took 10 s)', () => {
    const rowWidth = 708;
    const [a, b, wide] = [{ x: 18, w: 84 }, { x: 600, w: 42 }, { x: 150, w: 400 }];
    const shapes: Record<string, ArcPiece[]> = {
      // All between the same two entities: every arc over every other (the review's 16,000 took 10 s).
      'one pair': Array.from({ length: 16_000 }, (_, i) => piece({ box: a }, { box: i % 2 ? a : b }, 60)),
      // Each one around the next: the legs of all higher arcs outside a lower one.
      nested: Array.from({ length: 10_000 }, (_, i) => piece({ edge: 4 }, { box: { x: 18 + (i % 600), w: 8.4 } }, 40)),
      // A wide entity whose legs spread over hundreds of pixels under every arc.
      'wide box': Array.from({ length: 5_000 }, () => piece({ box: wide }, { box: b }, 300)),
    };
    for (const [name, pieces] of Object.entries(shapes)) {
      // Time not counting other processes' (cpu-clock.ts): a bound on the work, whatever the machine's load.
      const { ms } = timed(() => placeArcs(pieces, rowWidth));
      assert.ok(ms < 2000, `${name}: ${pieces.length} arcs took ${Math.round(ms)} ms`);
      assert.ok(pieces.every((p) => p.level >= 1 && Number.isFinite(p.labelX)), name);
    }
  });
});

/** The arc placement as first written (quadratic in the arcs of a row): the reference. */
const GAP = 4;

const center = (b: Box) => b.x + b.w / 2;
const otherX = (end: ArcEnd) => ('box' in end ? center(end.box) : end.edge);

/**
 * Spread the arcs meeting at a box across its width, ordered so that a longer arc's leg stands outside
 * a shorter one's (legs do not cut bars); then stack arcs, shortest first, each one level above every
 * arc it overlaps (label included), so crossing arcs get different heights and labels never collide.
 * Boxes of the same span (one stacked below the other, layout.ts) share their legs' places: their
 * legs come down the same column.
 */
function referencePlaceArcs(pieces: ArcPiece[], rowWidth: number): void {
  const ends = new Map<string, { box: Box; list: { piece: ArcPiece; side: 'from' | 'to'; other: number }[] }>();
  for (const piece of pieces) {
    for (const side of ['from', 'to'] as const) {
      const end = piece[side];
      if (!('box' in end)) {
        piece[side === 'from' ? 'x1' : 'x2'] = end.edge;
        continue;
      }
      const other = otherX(side === 'from' ? piece.to : piece.from);
      const column = `${end.box.x},${end.box.w}`;
      const at = ends.get(column) ?? { box: end.box, list: [] };
      at.list.push({ piece, side, other });
      ends.set(column, at);
    }
  }
  for (const { box, list } of ends.values()) {
    const c = center(box);
    // Left-going arcs first, then right-going; within each, the farther the other end, the further right.
    list.sort((a, b) => Number(a.other > c) - Number(b.other > c) || b.other - a.other);
    list.forEach(({ piece, side }, i) => {
      piece[side === 'from' ? 'x1' : 'x2'] = box.x + (box.w * (i + 1)) / (list.length + 1);
    });
  }

  // Labels stay inside the row even when an arc runs to its edge.
  const extent = (p: ArcPiece): [number, number] => {
    const half = p.labelWidth / 2;
    p.labelX = Math.min(Math.max((p.x1 + p.x2) / 2, half + 2), rowWidth - half - 2);
    return [Math.min(p.x1, p.x2, p.labelX - half), Math.max(p.x1, p.x2, p.labelX + half)];
  };
  const sorted = [...pieces].sort((a, b) => Math.abs(a.x2 - a.x1) - Math.abs(b.x2 - b.x1));
  const placed: { piece: ArcPiece; lo: number; hi: number }[] = [];
  for (const p of sorted) {
    const [lo, hi] = extent(p);
    p.level = 1 + Math.max(0, ...placed.filter((q) => lo < q.hi + GAP && q.lo < hi + GAP).map((q) => q.piece.level));
    placed.push({ piece: p, lo, hi });
  }
  const legs = pieces.flatMap((q) => legsOf(q).map((x) => ({ x, level: q.level }))).sort((a, b) => a.x - b.x);
  for (const { piece, lo, hi } of placed) clearLegs(piece, lo, hi, legs);
}

/** Horizontal room a leg takes at any level: its slant (at most 4 px) and the stroke. */
const LEG = 5;

/** x of the vertical legs an arc drops to its boxes (an end at the row's edge has none). */
const legsOf = (p: ArcPiece): number[] => [...('box' in p.from ? [p.x1] : []), ...('box' in p.to ? [p.x2] : [])];

/**
 * Higher arcs' legs pass through a label's level on their way down to their boxes. Slide the label
 * along its own arc, within the room stacking gave it (so it still meets no label of its level), to the
 * nearest place no such leg crosses, and off its own arc's corners too if it can be (a label there hides
 * where the arc turns down). Where there is no such place it stays, drawn over the legs (svg.ts).
 */
function clearLegs(p: ArcPiece, lo: number, hi: number, allLegs: { x: number; level: number }[]): void {
  const half = p.labelWidth / 2;
  const legs: number[] = [];
  // allLegs is sorted by x: start at the first that can reach [lo, hi].
  let i = 0;
  for (let step = allLegs.length; step > 0; step >>= 1) while (i + step <= allLegs.length && allLegs[i + step - 1].x + LEG <= lo) i += step;
  for (; i < allLegs.length && allLegs[i].x - LEG < hi; i++) if (allLegs[i].level > p.level) legs.push(allLegs[i].x);
  if (legs.length === 0) return;
  // A leg rules out the label centres within LEG + half of it.
  const place = (xs: number[]) => nearestClear(xs, LEG + half, lo + half, hi - half, p.labelX);
  const withOwn = [...legs];
  for (const x of legsOf(p)) {
    const at = withOwn.findIndex((y) => y > x);
    withOwn.splice(at < 0 ? withOwn.length : at, 0, x);
  }
  p.labelX = place(withOwn) ?? place(legs) ?? p.labelX;
}
