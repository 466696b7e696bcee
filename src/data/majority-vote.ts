/**
 * The majority vote of several systems' items of one text (not in the paper), shared by `entrel vote`
 * (eval/vote.ts: prediction files, a sentence at a time) and ensembles (extract/ensemble-vote.ts: the
 * models' extraction results, a document at a time). An entity is voted on as its token span and type;
 * a relation as its arguments (those entities), type and direction, unordered for a symmetric type:
 * strict scoring's own units. Each system's distinct items count once; an item is kept when at least
 * `minVotes` systems hold it, and scored by the mean of their scores, a system without it counting 0.
 *
 * A kept relation's arguments are always kept: every system voting for the relation holds both, so they
 * have at least its votes. With a majority, kept entities never overlap when no system's do (two
 * overlapping spans cannot both hold more than half the votes); with fewer votes overlapping entities
 * can both be kept, as nested entities are.
 */
import { quote, UserError, type ErrorLocation } from '../errors.js';

/** An item as a system gives it; `score` is its confidence where it has one (extraction results; prediction files have none). */
interface BallotEntity {
  id: string;
  type: string;
  score?: number;
}

interface BallotRelation {
  type: string;
  head: string;
  tail: string;
  score?: number;
}

/** One system's items of the text; relations name entities by id. */
export interface Ballot<E extends BallotEntity> {
  entities: readonly E[];
  relations: readonly BallotRelation[];
  /** Names the text and system in the error about a relation whose argument is missing. */
  where: string;
  location?: ErrorLocation;
}

interface MajorityVoteSettings<E> {
  minVotes: number;
  /** Relation types voted unordered (one item for both directions). */
  symmetric: ReadonlySet<string>;
  /** An entity's token span, end-exclusive: with its type, what it is voted on. */
  span: (e: E) => readonly [start: number, end: number];
}

/** A kept entity: as the first system that voted for it gave it, with its span and mean score. */
interface KeptEntity<E> {
  first: E;
  start: number;
  end: number;
  score: number;
}

/** A kept relation: its arguments are indices into the kept entities, in the first voter's direction. */
interface KeptRelation {
  type: string;
  head: number;
  tail: number;
  score: number;
}

interface MajorityVote<E> {
  /** In text order: by span, then type. */
  entities: KeptEntity<E>[];
  /** In the order a model lists them: by the pair's left entity, then its right one, then type, then direction. */
  relations: KeptRelation[];
  /** Distinct items any system voted for. */
  distinct: { entities: number; relations: number };
}

/** The votes an item needs among `n` systems: `minVotes`, checked, or more than half. */
export function resolveMinVotes(minVotes: number | undefined, n: number, systems: 'systems' | 'models' = 'systems'): number {
  const k = minVotes ?? Math.floor(n / 2) + 1;
  if (!Number.isInteger(k) || k < 1 || k > n)
    throw new UserError(`must be a whole number from 1 to ${n} (the ${systems}), got ${typeof k === 'number' ? k : quote(k)}`, { field: 'minVotes' });
  return k;
}

interface Tally<T> {
  votes: number;
  scoreSum: number;
  first: T;
}

function tally<T>(map: Map<string, Tally<T>>, key: string, first: T, score: number | undefined): void {
  const t = map.get(key);
  if (t) {
    t.votes++;
    t.scoreSum += score ?? 0;
  } else map.set(key, { votes: 1, scoreSum: score ?? 0, first });
}

/**
 * The items at least `minVotes` of the ballots hold. A ballot per system: `undefined` for one that has
 * nothing to say on this text (it votes for nothing, and counts 0 in the mean scores).
 */
export function majorityVote<E extends BallotEntity>(ballots: readonly (Ballot<E> | undefined)[], s: MajorityVoteSettings<E>): MajorityVote<E> {
  const entities = new Map<string, Tally<{ item: E; start: number; end: number }>>();
  const relations = new Map<string, Tally<{ type: string; head: string; tail: string }>>();
  const entityKey = (start: number, end: number, type: string) => JSON.stringify([start, end, type]);
  for (const ballot of ballots) {
    if (!ballot) continue;
    const keyOf = new Map<string, string>();
    // Each system's items once, even if it lists one twice.
    const voted = new Set<string>();
    for (const e of ballot.entities) {
      const [start, end] = s.span(e);
      const k = entityKey(start, end, e.type);
      keyOf.set(e.id, k);
      if (!voted.has(k)) tally(entities, k, { item: e, start, end }, e.score);
      voted.add(k);
    }
    ballot.relations.forEach((r, i) => {
      const [head, tail] = [keyOf.get(r.head), keyOf.get(r.tail)];
      if (head === undefined || tail === undefined)
        throw new UserError(`${ballot.where}: relation ${i} (${r.type}) names entity '${head === undefined ? r.head : r.tail}', which is not among its entities`, ballot.location);
      // A symmetric type votes with its arguments in a fixed order, so A–B and B–A are one item; the
      // first voter's direction is kept.
      const k = JSON.stringify(s.symmetric.has(r.type) && tail < head ? [tail, head, r.type] : [head, tail, r.type]);
      if (!voted.has(k)) tally(relations, k, { type: r.type, head, tail }, r.score);
      voted.add(k);
    });
  }
  const n = ballots.length;
  const kept = [...entities.values()]
    .filter((t) => t.votes >= s.minVotes)
    .map(({ first, scoreSum }) => ({ first: first.item, start: first.start, end: first.end, score: scoreSum / n }))
    .sort((a, b) => a.start - b.start || a.end - b.end || (a.first.type < b.first.type ? -1 : a.first.type > b.first.type ? 1 : 0));
  const position = new Map(kept.map((e, i) => [entityKey(e.start, e.end, e.first.type), i]));
  const keptRelations = [...relations.values()]
    .filter((t) => t.votes >= s.minVotes)
    // Both arguments have at least the relation's votes (above), so both are kept.
    .map(({ first, scoreSum }) => ({ type: first.type, head: position.get(first.head)!, tail: position.get(first.tail)!, score: scoreSum / n }))
    // In an order that does not depend on which system comes first.
    .sort((a, b) => {
      const [p, q] = [[a.head, a.tail].sort((x, y) => x - y), [b.head, b.tail].sort((x, y) => x - y)];
      return p[0] - q[0] || p[1] - q[1] || (a.type < b.type ? -1 : a.type > b.type ? 1 : a.head - b.head);
    });
  return { entities: kept, relations: keptRelations, distinct: { entities: entities.size, relations: relations.size } };
}
