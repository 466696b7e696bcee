/**
 * System combination by voting (not in the paper): several systems' predictions of the same documents
 * become one, keeping each entity (exact span and type) and each relation (both arguments' spans and
 * types, its type and direction; unordered for a symmetric type) that at least `minVotes` systems
 * predicted — by default a majority. Strict scoring's own units, so a kept item is one that the
 * majority would have scored alike.
 *
 * A kept relation's arguments are always kept: every system voting for the relation predicted both, so
 * they have at least its votes. With a majority, kept entities never overlap when no system's do (two
 * overlapping spans cannot both hold more than half the votes); with fewer votes overlapping entities
 * can both be kept, as nested entities are.
 */
import type { Document, LabelSchema, Sentence } from '../data/corpus.js';
import type { Diagnostics } from '../data/diagnostics.js';
import { UserError, type ErrorLocation } from '../errors.js';
import { pairDocuments, sameTokens } from './evaluate.js';

export interface VoteOptions {
  /** Systems that must agree on an item (default: more than half of them). */
  minVotes?: number;
  /** Symmetric relation types vote unordered (default: none is). */
  schema?: LabelSchema;
  /** The files the systems were read from, named in errors. */
  files?: readonly string[];
  /** Per system: where to warn about a document it lacks (which votes for nothing). */
  diagnostics?: readonly (Diagnostics | undefined)[];
}

export interface VoteCounts {
  systems: number;
  minVotes: number;
  /** Distinct items predicted by any system, and those kept. */
  entities: { distinct: number; kept: number };
  relations: { distinct: number; kept: number };
}

interface Ballot {
  entities: Map<string, number>;
  /** By relation key: its votes, and its arguments (entity keys) as the first system to vote for it gave them. */
  relations: Map<string, { votes: number; head: string; tail: string; type: string }>;
}

const entityKey = (e: { start: number; end: number; type: string }) => JSON.stringify([e.start, e.end, e.type]);

/**
 * One document list: the first system's documents (ids, texts, tokens), with the items that got the
 * votes. The other systems pair with the first as predictions pair with gold in `evaluate` (by position
 * when they list the same ids in the same order, else by id; a document a system lacks votes for
 * nothing), and must tokenise every sentence alike.
 */
export function vote(systems: readonly (readonly Document[])[], opts: VoteOptions = {}): { documents: Document[]; counts: VoteCounts } {
  const n = systems.length;
  if (n < 2) throw new UserError(`voting needs at least two systems' predictions, not ${n}`);
  const minVotes = resolveMinVotes(opts.minVotes, n);
  const symmetric = new Set(opts.schema?.relationTypes.filter((r) => r.symmetric).map((r) => r.name));
  const fileOf = (i: number): ErrorLocation => (opts.files?.[i] === undefined ? {} : { file: opts.files[i] });
  const base = systems[0];
  const names = { goldHas: 'the first system has', predHave: 'this system has', gold: 'the first system' };
  const paired = systems.map((docs, i) => (i === 0 ? [...base] : pairDocuments(base, docs, { goldFile: opts.files?.[0], predFile: opts.files?.[i] }, names)));
  const counts: VoteCounts = { systems: n, minVotes, entities: { distinct: 0, kept: 0 }, relations: { distinct: 0, kept: 0 } };
  paired.forEach((docs, i) =>
    base.forEach((doc, di) => {
      if (!docs[di]) opts.diagnostics?.[i]?.warn('missing-document', `document '${doc.id}' is not in this file: it votes for nothing there`);
    }),
  );
  const documents = base.map((doc, di): Document => ({
    id: doc.id,
    text: doc.text,
    sentences: doc.sentences.map((sentence, si) => {
      const ballot: Ballot = { entities: new Map(), relations: new Map() };
      paired.forEach((docs, i) => {
        const d = docs[di];
        if (!d) return;
        const where = `document '${doc.id}', sentence ${si}`;
        if (d.sentences.length !== doc.sentences.length)
          throw new UserError(`document '${doc.id}': ${d.sentences.length} sentences, the first system's has ${doc.sentences.length}`, fileOf(i));
        const s = d.sentences[si];
        if (!sameTokens(s, sentence)) throw new UserError(`${where}: tokens differ from the first system's (count or character offsets)`, fileOf(i));
        cast(ballot, s, symmetric, where, fileOf(i));
      });
      return count(ballot, sentence, `s${si}`, minVotes, counts);
    }),
  }));
  return { documents, counts };
}

/** The votes an item needs among `n` systems: `minVotes`, checked, or more than half. */
export function resolveMinVotes(minVotes: number | undefined, n: number): number {
  const k = minVotes ?? Math.floor(n / 2) + 1;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new UserError(`minVotes must be a whole number from 1 to ${n} (the systems), not ${k}`);
  return k;
}

/** One system's votes: each distinct item of its sentence once. */
function cast(ballot: Ballot, s: Sentence, symmetric: ReadonlySet<string>, where: string, loc: ErrorLocation): void {
  const byId = new Map(s.entities.map((e) => [e.id, entityKey(e)]));
  for (const k of new Set(byId.values())) ballot.entities.set(k, (ballot.entities.get(k) ?? 0) + 1);
  const voted = new Set<string>();
  s.relations.forEach((r, i) => {
    const [h, t] = [byId.get(r.head), byId.get(r.tail)];
    if (h === undefined || t === undefined) throw new UserError(`${where}: relation ${i} (${r.type}) names entity '${h === undefined ? r.head : r.tail}', which the sentence does not hold`, loc);
    // A symmetric relation votes with its arguments in a fixed order, so A–B and B–A are one item.
    const key = JSON.stringify(symmetric.has(r.type) && t < h ? [t, h, r.type] : [h, t, r.type]);
    if (voted.has(key)) return;
    voted.add(key);
    const b = ballot.relations.get(key);
    if (b) b.votes++;
    else ballot.relations.set(key, { votes: 1, head: h, tail: t, type: r.type });
  });
}

/**
 * The sentence (its tokens) with the items that got `minVotes`, entities in text order, ids prefixed by
 * the sentence (`s0e1`: unique in the document); counts what was kept.
 */
function count(ballot: Ballot, sentence: Sentence, idPrefix: string, minVotes: number, counts: VoteCounts): Sentence {
  const entities = [...ballot.entities]
    .filter(([, votes]) => votes >= minVotes)
    .map(([k]) => JSON.parse(k) as [number, number, string])
    .sort((x, y) => x[0] - y[0] || x[1] - y[1] || (x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0))
    .map(([start, end, type], i) => ({ id: `${idPrefix}e${i}`, type, start, end }));
  const idOf = new Map(entities.map((e) => [entityKey(e), e.id]));
  const relations = [...ballot.relations.values()]
    .filter((r) => r.votes >= minVotes)
    // Both arguments have at least the relation's votes (above), so both are kept.
    .map(({ type, head, tail }) => ({ type, head: idOf.get(head)!, tail: idOf.get(tail)! }));
  counts.entities.distinct += ballot.entities.size;
  counts.entities.kept += entities.length;
  counts.relations.distinct += ballot.relations.size;
  counts.relations.kept += relations.length;
  return { tokens: sentence.tokens, entities, relations };
}
