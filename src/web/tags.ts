/** Where the type tags under a row's entity boxes go: centred under their box, on as many lines as needed. */

export interface Tag {
  /** Centre x, width in px, and line under the box (0 = first). */
  x: number;
  w: number;
  line: number;
}

const GAP = 4;

/**
 * A tag is often wider than its box (`Organization` under `HP`): tags of nearby boxes would overprint
 * each other, so a tag that would touch one already on a line goes to the next line down. Tags stay
 * inside the row (a tag under a box at its edge would be cut off).
 */
export function placeTags(boxes: { x: number; w: number; tagWidth: number }[], rowWidth: number): Tag[] {
  const ends: number[] = []; // right end of the last tag on each line
  const tags: Tag[] = [];
  // Left to right (right-to-left text has its boxes in reading order, not in x order).
  for (const i of boxes.map((_, i) => i).sort((a, b) => boxes[a].x - boxes[b].x)) {
    const b = boxes[i];
    const half = b.tagWidth / 2;
    const x = Math.max(half + 2, Math.min(b.x + b.w / 2, rowWidth - half - 2));
    let line = ends.findIndex((end) => end + GAP <= x - half);
    if (line < 0) line = ends.length;
    ends[line] = x + half;
    tags[i] = { x, w: b.tagWidth, line };
  }
  return tags;
}
