/**
 * Entity error categories. Each strict error — an fp (a predicted entity no gold entity has with the
 * same span and type) or an fn (a gold entity no prediction has) — takes the first that applies,
 * looking at the other side's entities:
 * - `type`: one has the same span (so another type);
 * - `boundary`: one overlaps it with the same type (so another span);
 * - `boundary+type`: one overlaps it (another span and another type);
 * - else `spurious` (an fp overlapping no gold entity) or `missed` (an fn no prediction overlaps).
 * So an fp overlapping several gold entities counts once, as type > boundary > boundary+type. The other
 * side's entities count whether or not they were matched themselves: a prediction overlapping a gold
 * entity that another prediction found exactly is still a boundary error.
 */
import { spansOverlap, type SpanTuple } from './compact.js';
import type { EntityErrorCategory } from './errors-categories.js';
import { confusionCells, type CellLabel, type Classified } from './errors-tally.js';

type EntityError = Classified<EntityErrorCategory, SpanTuple>;

const key = (e: SpanTuple) => JSON.stringify(e);

/** Both sides hold each entity once. Errors come fps first, each side in its own order. */
export function classifyEntities(gold: readonly SpanTuple[], pred: readonly SpanTuple[]): EntityError[] {
  const [goldKeys, predKeys] = [new Set(gold.map(key)), new Set(pred.map(key))];
  return [
    ...pred.filter((p) => !goldKeys.has(key(p))).map((p) => classify(p, gold, 'fp')),
    ...gold.filter((g) => !predKeys.has(key(g))).map((g) => classify(g, pred, 'fn')),
  ];
}

function classify(e: SpanTuple, others: readonly SpanTuple[], side: 'fp' | 'fn'): EntityError {
  const near = others.filter((o) => spansOverlap(e, o));
  const error = (category: EntityErrorCategory, other?: SpanTuple): EntityError => ({ category, side, type: String(e[2]), item: e, other });
  const sameSpan = near.find((o) => o[0] === e[0] && o[1] === e[1]);
  if (sameSpan) return error('type', sameSpan);
  const sameType = near.find((o) => o[2] === e[2]);
  if (sameType) return error('boundary', sameType);
  if (near.length > 0) return error('boundary+type', near[0]);
  return error(side === 'fp' ? 'spurious' : 'missed');
}

/** The entity type confusion over exact spans: per span, its gold types against its predicted ones (null: no item). */
export function entityConfusion(gold: readonly SpanTuple[], pred: readonly SpanTuple[]): [CellLabel, CellLabel][] {
  return confusionCells(gold, pred, (e) => `${e[0]},${e[1]}`, key, (e) => String(e[2]));
}
