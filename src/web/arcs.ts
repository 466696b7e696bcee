/** Where the relation arcs of one row go: anchor points on the entity boxes and stacking levels. */

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
 */
export function placeArcs(pieces: ArcPiece[], rowWidth: number): void {
  const ends = new Map<Box, { piece: ArcPiece; side: 'from' | 'to'; other: number }[]>();
  for (const piece of pieces) {
    for (const side of ['from', 'to'] as const) {
      const end = piece[side];
      if (!('box' in end)) {
        piece[side === 'from' ? 'x1' : 'x2'] = end.edge;
        continue;
      }
      const other = otherX(side === 'from' ? piece.to : piece.from);
      const list = ends.get(end.box) ?? [];
      list.push({ piece, side, other });
      ends.set(end.box, list);
    }
  }
  for (const [box, list] of ends) {
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
  const placed: { lo: number; hi: number; level: number }[] = [];
  for (const p of sorted) {
    const [lo, hi] = extent(p);
    p.level = 1 + Math.max(0, ...placed.filter((q) => lo < q.hi + GAP && q.lo < hi + GAP).map((q) => q.level));
    placed.push({ lo, hi, level: p.level });
  }
}
