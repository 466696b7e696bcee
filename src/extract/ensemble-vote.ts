/**
 * One text's extractions by several models → the ensemble's: the majority vote of data/majority-vote.ts
 * (as `entrel vote` combines prediction files), on extraction results. An entity (token span and type)
 * or relation (both arguments, type, direction; unordered for a symmetric type) is kept when at least
 * `minVotes` models extracted it. Its score is the mean of the models' scores, a model that did not
 * extract it counting 0: an estimate of the ensemble's probability, which the relation threshold is then
 * applied to (ensemble.ts has each model extract without one).
 */
import { majorityVote } from '../data/majority-vote.js';
import type { ExtractedDocument, ExtractedEntity } from './types.js';

interface VoteSettings {
  minVotes: number;
  relationThreshold: number;
  symmetric: ReadonlySet<string>;
  /** The text's entities were given: every model kept them, under the ids the caller knows them by. */
  givenEntities?: boolean;
}

/** `docs`: the same text extracted by each model (same tokenizer, so the same sentences and tokens). */
export function voteExtractions(docs: readonly ExtractedDocument[], s: VoteSettings): ExtractedDocument {
  const ballots = docs.map((d, i) => ({ entities: d.entities, relations: d.relations, where: `model ${i + 1} of the ensemble` }));
  const voted = majorityVote(ballots, { ...s, span: (e: ExtractedEntity) => [e.tokenStart, e.tokenEnd] as const });
  const entities = voted.entities.map(({ first, score }, i): ExtractedEntity => ({ ...first, id: s.givenEntities ? first.id : `T${i + 1}`, score }));
  const relations = voted.relations
    // Only here: a prediction file's relations (eval/vote.ts) were thresholded by the system that wrote it.
    .filter((r) => r.score >= s.relationThreshold)
    .map(({ type, head, tail, score }) => ({ type, head: entities[head].id, tail: entities[tail].id, score }));
  return { text: docs[0].text, sentences: docs[0].sentences, entities, relations };
}
