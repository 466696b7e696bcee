interface TypeColor {
  fill: string;
  stroke: string;
}

/**
 * Light fills that keep black text readable and stay apart from each other (CIE L*a*b* distance at
 * least 15), each with a darker border of the same hue, dark enough for the type tag drawn in it on
 * white (contrast at least 4.5:1, WCAG AA).
 */
export const palette: readonly TypeColor[] = [
  { fill: '#a6cee3', stroke: '#1f78b4' },
  { fill: '#b2df8a', stroke: '#2a7f22' },
  { fill: '#fb9a99', stroke: '#e31a1c' },
  { fill: '#fdbf6f', stroke: '#a85400' },
  { fill: '#cab2d6', stroke: '#6a3d9a' },
  { fill: '#ffff99', stroke: '#b15928' },
  { fill: '#8dd3c7', stroke: '#1d7770' },
  { fill: '#fccde5', stroke: '#c51b7d' },
  { fill: '#d9d9d9', stroke: '#525252' },
  { fill: '#e6c9a8', stroke: '#8c5a2b' },
  { fill: '#90f0c0', stroke: '#117a4f' },
  { fill: '#f0a0e0', stroke: '#a02d94' },
];

/** The usual types of CoNLL04, ACE, NYT and SciERC get fixed, distinct colours (a hash would collide on them). */
const known = new Map<string, number>([
  ['peop', 0], ['per', 0], ['person', 0],
  ['loc', 1], ['location', 1],
  ['fac', 2],
  ['org', 3], ['organization', 3],
  ['other', 4], ['misc', 4],
  ['veh', 5],
  ['gpe', 6],
  ['wea', 7],
  // SciERC: its own set, never drawn with the ones above.
  ['task', 0], ['method', 1], ['metric', 2], ['material', 3], ['otherscientificterm', 4], ['generic', 8],
]);

const knownIndex = (type: string) => known.get(type.toLowerCase());

/** A type's colour once a page has used the whole palette: a hash of the name, the same in every run. */
function hashIndex(type: string): number {
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < type.length; i++) h = Math.imul(h ^ type.charCodeAt(i), 0x01000193);
  return (h >>> 0) % palette.length;
}

/**
 * The colours of one page's entity types, each its own while the palette lasts (a hash modulo 12 gave
 * `Loc` and `Join` one colour). `types` (a model's or a corpus's schema, in its order) are given theirs
 * first: the usual types their fixed colour, the others the palette's unused colours in that order. A
 * type met later (not in `types`) takes the next unused colour when first asked for. Beyond the palette's
 * 12, the hash. One object per page: its figures and its legend ask the same one.
 */
export class PageColors {
  private readonly colors = new Map<string, TypeColor>();
  private readonly used = new Set<number>();

  constructor(types: Iterable<string> = []) {
    const order = [...new Set(types)];
    for (const t of order) {
      const k = knownIndex(t);
      if (k !== undefined && !this.used.has(k)) this.take(t, k);
    }
    for (const t of order) if (!this.colors.has(t)) this.of(t);
  }

  /** The colour of `type` on this page. */
  of(type: string): TypeColor {
    const have = this.colors.get(type);
    if (have) return have;
    const k = knownIndex(type);
    if (k !== undefined && !this.used.has(k)) return this.take(type, k);
    const free = palette.findIndex((_, i) => !this.used.has(i));
    if (free >= 0) return this.take(type, free);
    const c = palette[hashIndex(type)];
    this.colors.set(type, c);
    return c;
  }

  private take(type: string, index: number): TypeColor {
    this.used.add(index);
    this.colors.set(type, palette[index]);
    return palette[index];
  }
}

/** The entity types of `docs` in order of first appearance: the colours of a page that has no schema. */
export function typesOf(docs: Iterable<{ entities: readonly { type: string }[] }>): string[] {
  const types = new Set<string>();
  for (const d of docs) for (const e of d.entities) types.add(e.type);
  return [...types];
}
