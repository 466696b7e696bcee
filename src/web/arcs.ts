/** Where the relation arcs of one row go: anchor points on the entity boxes and stacking levels. */
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
