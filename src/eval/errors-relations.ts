/**
 * Relation error categories, under the strict criterion (both spans, both entity types, relation type
 * and direction; symmetric types canonical, compact.ts). Each strict error — an fp or an fn — takes the
 * first that applies, looking at the other side's relations:
 * - `direction`: it has this relation with head and tail swapped (not for a symmetric type);
 * - `type`: it relates the same two arguments (spans and entity types, in either order) with another
 *   relation type;
 * - `entity`: it has a relation of the same type whose arguments both overlap this one's, head with head
 *   and tail with tail (either way round for a symmetric type), a span or an entity type differing;
 * - else `spurious` (fp) or `missed` (fn).
 */
import { spansOverlap, type RelTuple, type SpanTuple } from './compact.js';
import type { RelationErrorCategory } from './errors-categories.js';
import { confusionCells, type CellLabel, type Classified } from './errors-tally.js';

type RelationError = Classified<RelationErrorCategory, RelTuple>;

const key = (r: RelTuple) => JSON.stringify(r);
const head = (r: RelTuple): SpanTuple => [r[0], r[1], r[2]];
const tail = (r: RelTuple): SpanTuple => [r[3], r[4], r[5]];
const swapped = (r: RelTuple): RelTuple => [r[3], r[4], r[5], r[0], r[1], r[2], r[6]];
/** The unordered pair of arguments, the key of the relation confusion. */
const pairKey = (r: RelTuple) => JSON.stringify([JSON.stringify(head(r)), JSON.stringify(tail(r))].sort());

/** Both sides hold each relation once. Errors come fps first, each side in its own order. */
export function classifyRelations(gold: readonly RelTuple[], pred: readonly RelTuple[], isSymmetric: (rel: string) => boolean): RelationError[] {
  const [goldKeys, predKeys] = [new Set(gold.map(key)), new Set(pred.map(key))];
  return [
    ...pred.filter((p) => !goldKeys.has(key(p))).map((p) => classify(p, gold, 'fp', isSymmetric)),
    ...gold.filter((g) => !predKeys.has(key(g))).map((g) => classify(g, pred, 'fn', isSymmetric)),
  ];
}

function classify(r: RelTuple, others: readonly RelTuple[], side: 'fp' | 'fn', isSymmetric: (rel: string) => boolean): RelationError {
  const error = (category: RelationErrorCategory, other?: RelTuple): RelationError => ({ category, side, type: String(r[6]), item: r, other });
  // A symmetric relation is canonical (compact.ts): its swapped form is on neither side.
  const k = key(swapped(r));
  const reversed = others.find((o) => key(o) === k);
  if (reversed) return error('direction', reversed);
  const otherType = others.find((o) => o[6] !== r[6] && pairKey(o) === pairKey(r));
  if (otherType) return error('type', otherType);
  const near = (o: RelTuple) => spansOverlap(head(r), head(o)) && spansOverlap(tail(r), tail(o));
  const symmetric = isSymmetric(String(r[6]));
  const sameRel = others.find((o) => o[6] === r[6] && (near(o) || (symmetric && near(swapped(o)))));
  if (sameRel) return error('entity', sameRel);
  return error(side === 'fp' ? 'spurious' : 'missed');
}

/**
 * The relation type confusion over argument-exact pairs: per unordered pair of arguments (spans and
 * entity types), its gold relation types against its predicted ones. A direction error (same type, the
 * arguments swapped) is not a match: it counts against "no item" on both sides, as strict scoring sees it.
 */
export function relationConfusion(gold: readonly RelTuple[], pred: readonly RelTuple[]): [CellLabel, CellLabel][] {
  return confusionCells(gold, pred, pairKey, key, (r) => String(r[6]));
}
