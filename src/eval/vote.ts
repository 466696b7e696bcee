/**
 * System combination by voting (not in the paper): several systems' predictions of the same documents
 * become one, keeping each entity (exact span and type) and each relation (both arguments' spans and
 * types, its type and direction; unordered for a symmetric type) that at least `minVotes` systems
 * predicted — by default a majority. Strict scoring's own units, so a kept item is one that the
 * majority would have scored alike. The vote of each sentence is data/majority-vote.ts, which ensembles
 * share; here the systems' documents are paired and checked, a sentence at a time.
 */
import { checkDocumentArray, type Document, type Entity, type LabelSchema, type Sentence } from '../data/corpus.js';
import type { Diagnostics } from '../data/diagnostics.js';
import { majorityVote, resolveMinVotes, type Ballot } from '../data/majority-vote.js';
import { checkOptions, described, UserError, type ErrorLocation } from '../errors.js';
import { onCommonTokens } from '../data/common-tokens.js';
import { notAlike, pairDocuments, sameSentences, textDiffersNote, type PairingNames } from './evaluate.js';

export { resolveMinVotes };

/** What the systems are called in pairing errors. */
const SYSTEMS: PairingNames = { goldHas: 'the first system has', predHave: 'this system has', gold: 'the first system', predTokens: "tokens differ from the first system's" };

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

/**
 * One document list: the first system's documents (ids, texts, tokens; the common tokens and sentences
 * of all where the systems tokenise a document otherwise), with the items that got the
 * votes. The other systems pair with the first as predictions pair with gold in `evaluate` (by position
 * when they list the same ids in the same order, else by id; a document a system lacks votes for
 * nothing), and must tokenise every sentence alike, or be of one text, then put on common tokens.
 */
export function vote(systems: readonly (readonly Document[])[], opts: VoteOptions = {}): { documents: Document[]; counts: VoteCounts } {
  checkOptions(opts, 'options', ['minVotes', 'schema', 'files', 'diagnostics']);
  opts ??= {};
  if (!Array.isArray(systems as unknown)) throw new UserError(`must be an array of the systems' document lists, got ${described(systems)}`, { field: 'systems' });
  systems.forEach((docs, i) => checkDocumentArray(docs, `systems[${i}]`));
  const n = systems.length;
  if (n < 2) throw new UserError(`voting needs at least two systems' predictions, not ${n}`);
  const minVotes = resolveMinVotes(opts.minVotes, n);
  const symmetric = new Set(opts.schema?.relationTypes.filter((r) => r.symmetric).map((r) => r.name));
  const fileOf = (i: number): ErrorLocation => (opts.files?.[i] === undefined ? {} : { file: opts.files[i] });
  const base = systems[0];
  const names = SYSTEMS;
  const paired = systems.map((docs, i) => (i === 0 ? [...base] : pairDocuments(base, docs, { goldFile: opts.files?.[0], predFile: opts.files?.[i] }, names)));
  const counts: VoteCounts = { systems: n, minVotes, entities: { distinct: 0, kept: 0 }, relations: { distinct: 0, kept: 0 } };
  paired.forEach((docs, i) =>
    base.forEach((doc, di) => {
      if (!docs[di]) opts.diagnostics?.[i]?.warn('missing-document', `document '${doc.id}' is not in this file: it votes for nothing there`);
    }),
  );
  const settings = { minVotes, symmetric, span: (e: Entity) => [e.start, e.end] as const };
  const documents = base.map((original, di): Document => {
    const { first: doc, docs } = onSameTokens(original, paired.map((d) => d[di]), fileOf, opts.diagnostics);
    return {
      id: doc.id,
      text: doc.text,
      sentences: doc.sentences.map((sentence, si): Sentence => {
        const where = `document '${doc.id}', sentence ${si}${doc === original ? '' : ' (on common tokens)'}`;
        const ballots = docs.map((d, i): Ballot<Entity> | undefined => {
          if (!d) return undefined;
          const s = d.sentences[si];
          return { entities: s.entities, relations: s.relations, where, location: fileOf(i) };
        });
        const voted = majorityVote(ballots, settings);
        counts.entities.distinct += voted.distinct.entities;
        counts.entities.kept += voted.entities.length;
        counts.relations.distinct += voted.distinct.relations;
        counts.relations.kept += voted.relations.length;
        // Ids prefixed by the sentence (`s0e1`): unique in the document.
        const entities = voted.entities.map(({ first, start, end }, i) => ({ id: `s${si}e${i}`, type: first.type, start, end }));
        const relations = voted.relations.map(({ type, head, tail }) => ({ type, head: entities[head].id, tail: entities[tail].id }));
        return { tokens: sentence.tokens, entities, relations };
      }),
    };
  });
  return { documents, counts };
}

/**
 * One document as each system has it (`docs`, undefined: a system lacks it; `docs[0]` is `first`, the
 * first system's), with the first system's sentences and tokens: as they are, else all on the common
 * tokens of their one text (data/common-tokens.ts), warned about in the diagnostics of the first system
 * that tokenises it otherwise; refused where a text differs, naming that system's file.
 */
function onSameTokens(
  first: Document,
  docs: readonly (Document | undefined)[],
  fileOf: (i: number) => ErrorLocation,
  diagnostics: readonly (Diagnostics | undefined)[] | undefined,
): { first: Document; docs: readonly (Document | undefined)[] } {
  const present = docs.flatMap((doc, system) => (doc === undefined ? [] : [{ doc, system }]));
  const other = present.find((p) => !sameSentences(first, p.doc));
  if (!other) return { first, docs };
  const common = onCommonTokens(present.map((p) => p.doc));
  if (Array.isArray(common)) {
    diagnostics?.[other.system]?.warn('voted-on-common-tokens', `document '${first.id}': tokenised otherwise than by the first system, voted on the tokens of all`);
    let k = 0;
    const onCommon = docs.map((d) => (d === undefined ? undefined : common[k++]));
    return { first: common[0], docs: onCommon };
  }
  const culprit = common ? present[common.side] : other;
  const note = common ? textDiffersNote(culprit.doc, common.at) : '';
  throw notAlike(first, culprit.doc, SYSTEMS, fileOf(culprit.system), note);
}
