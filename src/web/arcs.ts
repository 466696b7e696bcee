/** Where the relation arcs of one row go: anchor points on the entity boxes and stacking levels. */
import { firstIndex } from '../data/search.js';
import { nearestClear } from './gaps.js';

export interface Box {
  x: number;
  w: number;
}

/** One end of an arc: an entity box, or the row's edge when the other argument is on another row. */
export type ArcEnd = { box: Box } | { edge: number };

export interface ArcPiece {
  from: ArcEnd;
  to: ArcEnd;
  label: string;
  /** Width the label needs, in px; arcs whose labels would collide go to different levels. */
  labelWidth: number;
  /** Set by `placeArcs`: anchor x of each end, label centre, stacking level (1 = lowest). */
  x1: number;
  x2: number;
  labelX: number;
  level: number;
}

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
export function placeArcs(pieces: ArcPiece[], rowWidth: number): void {
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
  const spans = sorted.map(extent);
  // Arcs p and q overlap (GAP between them included) when lo < q.hi + GAP and q.lo < hi + GAP, that is
  // when [lo, hi + GAP) and [q.lo, q.hi + GAP) meet: a tree of levels over those intervals gives the
  // highest level among the placed arcs an arc overlaps in log time (comparing it with every placed arc
  // made a row of thousands of arcs take seconds).
  const levels = new LevelTree(spans.flatMap(([lo, hi]) => [lo, hi + GAP]));
  sorted.forEach((p, i) => {
    const [lo, hi] = spans[i];
    p.level = 1 + levels.highest(lo, hi + GAP);
    levels.raise(lo, hi + GAP, p.level);
  });
  // Labels level by level from the top, each seeing the legs of the arcs above it.
  const order = sorted.map((_, i) => i).sort((a, b) => sorted[b].level - sorted[a].level);
  const above = new LegColumns();
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && sorted[order[j]].level === sorted[order[i]].level) j++;
    for (const k of order.slice(i, j)) clearLegs(sorted[k], spans[k][0], spans[k][1], above);
    for (const k of order.slice(i, j)) for (const x of legsOf(sorted[k])) above.add(x);
    i = j;
  }
}

/**
 * Levels along the row: `highest(a, b)` is the highest level raised over any part of [a, b), `raise(a, b,
 * level)` raises [a, b) to at least `level`; a and b are among the coordinates it was made with. A
 * segment tree over the gaps between those coordinates: `top` is the highest level within a node,
 * `all` a level raised over the whole of it (not pushed down to its children).
 */
class LevelTree {
  private readonly xs: number[];
  private readonly top: Int32Array;
  private readonly all: Int32Array;

  constructor(coordinates: number[]) {
    this.xs = [...new Set(coordinates)].sort((a, b) => a - b);
    this.top = new Int32Array(4 * this.xs.length);
    this.all = new Int32Array(4 * this.xs.length);
  }

  highest(a: number, b: number): number {
    return this.query(1, 0, this.xs.length - 1, this.at(a), this.at(b));
  }

  raise(a: number, b: number, level: number): void {
    this.update(1, 0, this.xs.length - 1, this.at(a), this.at(b), level);
  }

  private at(x: number): number {
    return firstIndex(this.xs.length, (i) => this.xs[i] >= x);
  }

  /** Node `node` covers the gaps [l, r); the query the gaps [a, b). */
  private query(node: number, l: number, r: number, a: number, b: number): number {
    if (b <= l || r <= a) return 0;
    if (a <= l && r <= b) return this.top[node];
    const m = (l + r) >> 1;
    return Math.max(this.all[node], this.query(2 * node, l, m, a, b), this.query(2 * node + 1, m, r, a, b));
  }

  private update(node: number, l: number, r: number, a: number, b: number, level: number): void {
    if (b <= l || r <= a) return;
    this.top[node] = Math.max(this.top[node], level);
    if (a <= l && r <= b) {
      this.all[node] = Math.max(this.all[node], level);
      return;
    }
    const m = (l + r) >> 1;
    this.update(2 * node, l, m, a, b, level);
    this.update(2 * node + 1, m, r, a, b, level);
  }
}

/**
 * Legs by whole-pixel column, each column as its leftmost and rightmost leg: legs less than a pixel apart
 * leave no room for a label between them, so those two rule out the same label places as all of them do
 * (many arcs between two boxes drop hundreds of legs into a few columns).
 */
class LegColumns {
  private readonly columns = new Map<number, { min: number; max: number }>();
  /** The columns' numbers, sorted. */
  private readonly keys: number[] = [];

  add(x: number): void {
    const k = Math.floor(x);
    const column = this.columns.get(k);
    if (column) {
      column.min = Math.min(column.min, x);
      column.max = Math.max(column.max, x);
      return;
    }
    this.columns.set(k, { min: x, max: x });
    this.keys.splice(firstIndex(this.keys.length, (i) => this.keys[i] > k), 0, k);
  }

  /**
   * The legs that can reach [lo, hi] (within LEG of it), sorted, each column by its leftmost and
   * rightmost of them. Where a column straddles an end of the span, the leg inside stands for the others
   * inside: their reach past the label's possible places is all that differs, and it cannot matter there.
   */
  near(lo: number, hi: number): number[] {
    const out: number[] = [];
    const reaches = (x: number) => x + LEG > lo && x - LEG < hi;
    for (let i = firstIndex(this.keys.length, (j) => this.keys[j] + 1 + LEG > lo); i < this.keys.length && this.keys[i] - LEG < hi; i++) {
      const { min, max } = this.columns.get(this.keys[i]) as { min: number; max: number };
      if (reaches(min)) out.push(min);
      if (max !== min && reaches(max)) out.push(max);
    }
    return out;
  }
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
function clearLegs(p: ArcPiece, lo: number, hi: number, above: LegColumns): void {
  const half = p.labelWidth / 2;
  const legs = above.near(lo, hi);
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
