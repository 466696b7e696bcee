/** Where the type tags under a row's entity boxes go: centred under their box, on as many lines as needed. */
import { nearestClear } from './gaps.js';

export interface Tag {
  /** Centre x, width in px, and line under the box (0 = first). */
  x: number;
  w: number;
  line: number;
}

const GAP = 4;

/** Room kept between a tag and a line passing by it (the tag's white halo, the line's stroke). */
const CLEAR = 4;

/**
 * A tag is often wider than its box (`Organization` under `HP`): tags of nearby boxes would overprint
 * each other, so a tag that would touch one already on a line goes to the next line down. Tags stay
 * inside the row (a tag under a box at its edge would be cut off). `avoid` holds the x of vertical lines
 * crossing the tags' band (an arc's drop to a box stacked below, layout.ts): a tag they would cross
 * moves sideways, as little as it can, to where none does (where there is no such place, it stays).
 */
export function placeTags(boxes: { x: number; w: number; tagWidth: number }[], rowWidth: number, avoid: readonly number[] = []): Tag[] {
  const ends: number[] = []; // right end of the last tag on each line
  const tags: Tag[] = [];
  const lines = [...avoid].sort((a, b) => a - b);
  // Left to right (right-to-left text has its boxes in reading order, not in x order).
  for (const i of boxes.map((_, i) => i).sort((a, b) => boxes[a].x - boxes[b].x)) {
    const b = boxes[i];
    const half = b.tagWidth / 2;
    const [lo, hi] = [half + 2, rowWidth - half - 2];
    const want = Math.max(lo, Math.min(b.x + b.w / 2, hi));
    const x = nearestClear(lines, half + CLEAR, lo, hi, want) ?? want;
    let line = ends.findIndex((end) => end + GAP <= x - half);
    if (line < 0) line = ends.length;
    ends[line] = x + half;
    tags[i] = { x, w: b.tagWidth, line };
  }
  return tags;
}
