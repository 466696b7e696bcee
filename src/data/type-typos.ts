/**
 * Label typos. A misspelt label (`Perosn` among 412 `Person`) is read as a type of its own, which the
 * model then learns and the scorer scores; where no schema is declared nothing else says so. A type that
 * is rare and a small edit away from a far more frequent one is warned about, counted as
 * `type-name-near-another`, unless the file's schema declares both (GENIA's `RNA` beside `DNA`): a type
 * the schema declares is no typo, and one it does not is `type-not-declared` already. Types are few:
 * comparing every rare one with the others costs nothing.
 */
import { quote } from '../errors.js';
import type { Document, LabelSchema } from './corpus.js';
import type { Diagnostics } from './diagnostics.js';
import { editDistance } from './edit-distance.js';

export const TYPE_TYPO = 'type-name-near-another';

/** A type is rare with at most this many mentions… */
const RARE_MENTIONS = 2;
/** …and at most this share of the other type's. */
const RARE_SHARE = 1 / 10;

/** A rare type and the frequent type its name is close to. */
interface NearType {
  type: string;
  count: number;
  near: string;
  nearCount: number;
}

/**
 * The rare types of `counts` (mentions per type) whose name, case aside, is within 1 edit (an insertion,
 * deletion, substitution, or swap of neighbours) of a more frequent type's, 2 where both names have 6
 * characters or more. Each is paired with the most frequent such type. A pair of types both `declared`
 * (by the schema) is none.
 */
export function nearTypes(counts: ReadonlyMap<string, number>, declared: ReadonlySet<string> = new Set()): NearType[] {
  const names = new Map([...counts.keys()].map((t) => [t, [...t.toLowerCase()]]));
  const out: NearType[] = [];
  for (const [type, count] of counts) {
    if (count > RARE_MENTIONS) continue;
    let best: NearType | undefined;
    for (const [other, nearCount] of counts) {
      if (other === type || count > nearCount * RARE_SHARE || (best && nearCount <= best.nearCount)) continue;
      if (declared.has(type) && declared.has(other)) continue;
      const [a, b] = [names.get(type)!, names.get(other)!];
      const most = Math.min(a.length, b.length) < 6 ? 1 : 2;
      if (editDistance(a, b, most) <= most) best = { type, count, near: other, nearCount };
    }
    if (best) out.push(best);
  }
  return out;
}

/** Mentions per entity type and per relation type, counted as documents pass. */
class TypeCounts {
  readonly entities = new Map<string, number>();
  readonly relations = new Map<string, number>();

  add(doc: Document): void {
    for (const s of doc.sentences) {
      for (const e of s.entities) this.entities.set(e.type, (this.entities.get(e.type) ?? 0) + 1);
      for (const r of s.relations) this.relations.set(r.type, (this.relations.get(r.type) ?? 0) + 1);
    }
  }

  /**
   * Warns about each likely typo: `entity type "Perosn" (1 mention) is close to "Person" (412): a typo?`;
   * not between two types `declared` declares.
   */
  warnTypos(diagnostics: Diagnostics, declared: DeclaredTypes | undefined): void {
    const entities = new Set(declared?.entityTypes ?? []);
    const relations = new Set((declared?.relationTypes ?? []).map((r) => r.name));
    for (const [kind, counts, known] of [['entity', this.entities, entities], ['relation', this.relations, relations]] as const)
      for (const t of nearTypes(counts, known)) {
        const mentions = t.count === 1 ? 'mention' : 'mentions';
        diagnostics.warn(TYPE_TYPO, `${kind} type ${quote(t.type)} (${t.count} ${mentions}) is close to ${quote(t.near)} (${t.nearCount}): a typo?`);
      }
  }
}

/** The types a file's schema declares (a types file, brat's annotation.conf), either kind possibly not. */
type DeclaredTypes = Partial<Pick<LabelSchema, 'entityTypes' | 'relationTypes'>>;

/**
 * `docs` as they are, with a warning about each likely label typo once they are all read; `declared`: the
 * schema the file declares, whose types are no typos of each other.
 */
export async function* warningTypos<T extends Document>(docs: AsyncIterable<T>, diagnostics: Diagnostics, declared?: DeclaredTypes): AsyncGenerator<T> {
  const counts = new TypeCounts();
  for await (const d of docs) {
    counts.add(d);
    yield d;
  }
  counts.warnTypos(diagnostics, declared);
}
