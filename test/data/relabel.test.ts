/** relabelCorpus (`convert --rename-type / --drop-type`) on hand-made corpora: renames, merges, swaps, drops, duplicates, errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documentFromTokens, type Document, type Entity, type LabelSchema, type Relation } from '../../src/data/corpus.js';
import { Diagnostics } from '../../src/data/diagnostics.js';
import { formatRelabelCounts, parseRenameSpec, relabelCorpus, type RelabelOptions } from '../../src/data/relabel.js';
import { UserError } from '../../src/errors.js';

const E = (id: string, type: string, start: number, end: number): Entity => ({ id, type, start, end });
const R = (type: string, head: string, tail: string): Relation => ({ type, head, tail });
const doc = (id: string, entities: Entity[], relations: Relation[], tokens = ['John', 'Smith', 'works', 'for', 'Acme', 'in', 'Boston', '.']) =>
  documentFromTokens(id, [{ tokens, entities, relations }]);
const schema = (entityTypes: string[], relations: [string, boolean][]): LabelSchema => ({
  entityTypes,
  relationTypes: relations.map(([name, symmetric]) => ({ name, symmetric })),
});

/** Entities as `id:start:end:type` and relations as `type head→tail`, sentence by sentence. */
const view = (docs: Document[]) =>
  docs.flatMap((d) => d.sentences.map((s) => ({ entities: s.entities.map((e) => `${e.id}:${e.start}:${e.end}:${e.type}`), relations: s.relations.map((r) => `${r.type} ${r.head}→${r.tail}`) })));

function relabel(documents: Document[], sch: LabelSchema, options: RelabelOptions) {
  const diagnostics = new Diagnostics();
  return { ...relabelCorpus({ documents, schema: sch }, options, diagnostics), diagnostics };
}

const base = () => [doc('d1', [E('T1', 'PER', 0, 2), E('T2', 'ORG', 4, 5), E('T3', 'LOC', 6, 7)], [R('works_for', 'T1', 'T2'), R('based_in', 'T2', 'T3')])];
const baseSchema = () => schema(['PER', 'ORG', 'LOC'], [['works_for', false], ['based_in', false]]);

test('renames entity and relation types, keeps ids and order, leaves the input as it was', () => {
  const docs = base();
  const before = structuredClone(docs);
  const r = relabel(docs, baseSchema(), { rename: [['PER', 'Peop'], ['ORG', 'Org'], ['works_for', 'Work_For']] });
  assert.deepEqual(view(r.documents), [{ entities: ['T1:0:2:Peop', 'T2:4:5:Org', 'T3:6:7:LOC'], relations: ['Work_For T1→T2', 'based_in T2→T3'] }]);
  assert.deepEqual(r.schema, schema(['Peop', 'Org', 'LOC'], [['Work_For', false], ['based_in', false]]));
  assert.deepEqual(docs, before);
  assert.equal(r.documents[0].text, docs[0].text);
  assert.equal(r.counts.entitiesRenamed, 2);
  assert.equal(r.counts.relationsRenamed, 1);
  assert.deepEqual(r.counts.renamed, [
    { kind: 'entity', from: 'PER', to: 'Peop', count: 1 },
    { kind: 'entity', from: 'ORG', to: 'Org', count: 1 },
    { kind: 'relation', from: 'works_for', to: 'Work_For', count: 1 },
  ]);
  assert.equal(r.diagnostics.count(), 0); // a rename loses nothing
});

test('a name that is an entity type and a relation type is renamed as both', () => {
  const docs = [doc('d', [E('T1', 'X', 0, 1), E('T2', 'Y', 4, 5)], [R('X', 'T1', 'T2')])];
  const r = relabel(docs, schema(['X', 'Y'], [['X', false]]), { rename: [['X', 'Z']] });
  assert.deepEqual(view(r.documents)[0], { entities: ['T1:0:1:Z', 'T2:4:5:Y'], relations: ['Z T1→T2'] });
  assert.deepEqual(r.schema, schema(['Z', 'Y'], [['Z', false]]));
  assert.deepEqual(r.counts.renamed.map((x) => `${x.kind} ${x.count}`), ['entity 1', 'relation 1']);
});

test('several names merge into one, which takes the schema position of its first source', () => {
  const sch = schema(['A', 'B', 'C', 'D'], [['r1', false], ['r2', false], ['r3', false]]);
  const docs = [doc('d', [E('1', 'A', 0, 1), E('2', 'B', 1, 2), E('3', 'C', 2, 3), E('4', 'D', 3, 4)], [R('r3', '1', '2'), R('r1', '3', '4')])];
  // D and B into a new type: at B's place; C into A, which exists: at A's place.
  const r = relabel(docs, sch, { rename: [['D', 'BD'], ['B', 'BD'], ['C', 'A'], ['r3', 'r1']] });
  assert.deepEqual(r.schema.entityTypes, ['A', 'BD']);
  assert.deepEqual(view(r.documents)[0].entities, ['1:0:1:A', '2:1:2:BD', '3:2:3:A', '4:3:4:BD']);
  assert.deepEqual(r.schema.relationTypes.map((t) => t.name), ['r1', 'r2']);
  assert.deepEqual(view(r.documents)[0].relations, ['r1 1→2', 'r1 3→4']);
  // Renaming the first type into a later one: the merged type is where the first source was.
  assert.deepEqual(relabel(docs, sch, { rename: [['A', 'C']] }).schema.entityTypes, ['C', 'B', 'D']);
  // Types of the schema that no sentence has still move.
  assert.deepEqual(relabel([], sch, { rename: [['r2', 'R']] }).schema.relationTypes.map((t) => t.name), ['r1', 'R', 'r3']);
});

test('A=B with B=A swaps the two (renames apply at once); A=B with B=C moves both', () => {
  const docs = [doc('d', [E('T1', 'A', 0, 1), E('T2', 'B', 4, 5)], [R('ab', 'T1', 'T2')])];
  const sch = schema(['A', 'B'], [['ab', false]]);
  const swap = relabel(docs, sch, { rename: [['A', 'B'], ['B', 'A']] });
  assert.deepEqual(view(swap.documents)[0].entities, ['T1:0:1:B', 'T2:4:5:A']);
  assert.deepEqual(swap.schema.entityTypes, ['B', 'A']);
  assert.equal(swap.counts.entitiesMerged, 0);
  assert.equal(swap.counts.entitiesRenamed, 2);
  // The order of the flags does not matter.
  assert.deepEqual(view(relabel(docs, sch, { rename: [['B', 'A'], ['A', 'B']] }).documents), view(swap.documents));
  const chain = relabel(docs, sch, { rename: [['A', 'B'], ['B', 'C']] });
  assert.deepEqual(view(chain.documents)[0].entities, ['T1:0:1:B', 'T2:4:5:C']);
  assert.deepEqual(chain.schema.entityTypes, ['B', 'C']);
});

test('a dropped entity type takes the relations touching its entities along; a dropped relation type goes; each counted', () => {
  const docs = [
    doc('d1', [E('T1', 'PER', 0, 2), E('T2', 'ORG', 4, 5), E('T3', 'MISC', 6, 7)], [R('works_for', 'T1', 'T2'), R('rel', 'T3', 'T1'), R('rel', 'T2', 'T3'), R('kill', 'T1', 'T3'), R('kill', 'T1', 'T2')]),
    doc('d2', [E('T1', 'MISC', 0, 1)], []),
  ];
  const sch = schema(['PER', 'ORG', 'MISC'], [['works_for', false], ['rel', false], ['kill', false]]);
  const r = relabel(docs, sch, { drop: ['MISC', 'kill'] });
  assert.deepEqual(view(r.documents), [{ entities: ['T1:0:2:PER', 'T2:4:5:ORG'], relations: ['works_for T1→T2'] }, { entities: [], relations: [] }]);
  assert.deepEqual(r.schema, schema(['PER', 'ORG'], [['works_for', false], ['rel', false]]));
  const w = (code: string) => r.diagnostics.count(code);
  assert.equal(w('entity-type-dropped'), 2);
  assert.equal(w('relation-dropped-with-entity'), 2); // both `rel`s
  assert.equal(w('relation-type-dropped'), 2); // both `kill`s, the one touching MISC counted once, as this
  assert.deepEqual(
    [r.counts.entitiesDropped, r.counts.relationsDropped, r.counts.relationsDroppedWithEntity],
    [2, 2, 2],
  );
  assert.deepEqual(r.counts.dropped, [
    { kind: 'entity', type: 'MISC', count: 2 },
    { kind: 'relation', type: 'kill', count: 2 },
  ]);
  const examples = Object.fromEntries(r.diagnostics.summary().map((s) => [s.code, s.examples]));
  assert.equal(examples['entity-type-dropped'][0], 'document "d1", sentence 0: MISC T3 "Boston"');
  assert.equal(examples['relation-dropped-with-entity'][0], 'document "d1", sentence 0: rel T3→T1 ("Boston" → "John Smith")');
  assert.equal(examples['relation-type-dropped'][0], 'document "d1", sentence 0: kill T1→T3 ("John Smith" → "Boston")');
});

test('entities a merge makes the same are merged into the first, their relations moved; relations made the same are kept once', () => {
  // "John Smith" annotated as PER and as PERSON (two annotators' schemes); each with a works_for.
  const docs = [
    doc('d', [E('T1', 'PER', 0, 2), E('T2', 'PERSON', 0, 2), E('T3', 'ORG', 4, 5), E('T4', 'PER', 6, 7), E('T5', 'PER', 6, 7)], [
      R('works_for', 'T1', 'T3'),
      R('works_for', 'T2', 'T3'), // the same as the first once T2 is T1
      R('employed_by', 'T1', 'T3'), // the same once employed_by is works_for
      R('knows', 'T2', 'T4'), // moves to T1
      R('knows', 'T4', 'T5'), // T4/T5: the same span and type in the input, left as they are
    ]),
  ];
  const sch = schema(['PER', 'PERSON', 'ORG'], [['works_for', false], ['employed_by', false], ['knows', false]]);
  const r = relabel(docs, sch, { rename: [['PERSON', 'PER'], ['employed_by', 'works_for']] });
  assert.deepEqual(view(r.documents)[0], {
    entities: ['T1:0:2:PER', 'T3:4:5:ORG', 'T4:6:7:PER', 'T5:6:7:PER'],
    relations: ['works_for T1→T3', 'knows T1→T4', 'knows T4→T5'],
  });
  assert.equal(r.diagnostics.count('duplicate-entity-merged'), 1);
  assert.equal(r.diagnostics.count('duplicate-relation-dropped'), 2);
  assert.deepEqual([r.counts.entitiesMerged, r.counts.duplicateRelationsDropped], [1, 2]);
  assert.match(r.diagnostics.summary()[0].examples[0], /^document "d", sentence 0: PERSON T2 "John Smith" merged into T1 \(PER\)$/);
  assert.deepEqual(r.schema.entityTypes, ['PER', 'ORG']);
  // Without the rename nothing is merged (the check sees what the rename made the same, not spans alone).
  assert.equal(relabel(docs, sch, { rename: [['ORG', 'Org']] }).diagnostics.count(), 0);
});

test('a relation between two entities merged into one is dropped and counted: the input had no self-relation (it was kept as one)', () => {
  const docs = [doc('d', [E('T1', 'PER', 0, 2), E('T2', 'PERSON', 0, 2), E('T3', 'PER', 0, 1)], [R('alias', 'T1', 'T2'), R('alias', 'T3', 'T3')])];
  const r = relabel(docs, schema(['PER', 'PERSON'], [['alias', false]]), { rename: [['PERSON', 'PER']] });
  // the input's own self-relation stays (the readers keep one, counted)
  assert.deepEqual(view(r.documents)[0], { entities: ['T1:0:2:PER', 'T3:0:1:PER'], relations: ['alias T3→T3'] });
  assert.equal(r.diagnostics.count('relation-between-duplicates-dropped'), 1);
  assert.equal(r.diagnostics.count('self-relation-kept'), 0);
  assert.match(r.diagnostics.format().join('\n'), /relation-between-duplicates-dropped ×1 \(e\.g\. document "d", sentence 0: alias T1→T2 \("John Smith" → "John Smith"\): its arguments were merged into T1\)/);
  assert.equal(r.counts.relationsBetweenDuplicatesDropped, 1);
  assert.deepEqual(formatRelabelCounts(r.counts).at(-1), 'kept once what the renames made the same: 1 entity merged into another, 1 relation dropped');
});

test('symmetric relation types: the flag follows the rename; A–B and B–A merged are one relation; directed ones stay two', () => {
  const ents = [E('T1', 'PER', 0, 2), E('T2', 'PER', 4, 5)];
  const docs = [doc('d', ents, [R('sibling', 'T1', 'T2'), R('spouse', 'T2', 'T1'), R('likes', 'T1', 'T2'), R('admires', 'T2', 'T1')])];
  const sch = schema(['PER'], [['sibling', true], ['spouse', true], ['likes', false], ['admires', false]]);
  const r = relabel(docs, sch, { rename: [['sibling', 'kin'], ['spouse', 'kin'], ['admires', 'likes']] });
  assert.deepEqual(r.schema.relationTypes, [{ name: 'kin', symmetric: true }, { name: 'likes', symmetric: false }]);
  // kin T2→T1 is kin T1→T2 read the other way round; likes T2→T1 is another fact than likes T1→T2.
  assert.deepEqual(view(r.documents)[0].relations, ['kin T1→T2', 'likes T1→T2', 'likes T2→T1']);
  assert.equal(r.diagnostics.count('duplicate-relation-dropped'), 1);
  // A symmetric relation stored against text order in the input stays as it was.
  const back = relabel([doc('d', ents, [R('sibling', 'T2', 'T1')])], sch, { rename: [['sibling', 'kin']] });
  assert.deepEqual(view(back.documents)[0].relations, ['kin T2→T1']);
  assert.equal(back.diagnostics.count(), 0);
});

test('merging a symmetric and a directed relation type is an error naming both', () => {
  const sch = schema(['PER'], [['sibling', true], ['likes', false]]);
  assert.throws(
    () => relabel([], sch, { rename: [['likes', 'sibling']] }),
    (e: unknown) =>
      e instanceof UserError &&
      e.message === '--rename-type "likes=sibling": relation types "sibling" (symmetric) and "likes" (not symmetric) would merge into "sibling", which cannot be both; rename them apart or make their symmetric flags agree',
  );
  assert.throws(() => relabel([], sch, { rename: [['sibling', 'rel'], ['likes', 'rel']] }), /--rename-type "likes=rel": relation types "sibling" \(symmetric\) and "likes" \(not symmetric\)/);
  // Swapping them is no merge.
  assert.deepEqual(relabel([], sch, { rename: [['sibling', 'likes'], ['likes', 'sibling']] }).schema.relationTypes, [
    { name: 'likes', symmetric: true },
    { name: 'sibling', symmetric: false },
  ]);
});

test('malformed --rename-type values are errors naming the value', () => {
  assert.deepEqual(parseRenameSpec('PER=Peop'), ['PER', 'Peop']);
  assert.deepEqual(parseRenameSpec('a=b=c'), ['a', 'b=c']); // at the first "="
  // A type whose name holds "=" (or a backslash before one): escaped with a backslash.
  assert.deepEqual(parseRenameSpec('a\\=b=c'), ['a=b', 'c']);
  assert.deepEqual(parseRenameSpec('a=b\\=c'), ['a', 'b=c']);
  assert.deepEqual(parseRenameSpec('a\\\\=b'), ['a\\', 'b']);
  assert.deepEqual(parseRenameSpec('c\\d=e'), ['c\\d', 'e']);
  const cases: [string, string][] = [
    ['PER', '--rename-type "PER": expected OLD=NEW (e.g. PER=Peop; \\= for an = in a type name)'],
    ['a\\=b', '--rename-type "a\\\\=b": expected OLD=NEW (e.g. PER=Peop; \\= for an = in a type name)'],
    ['=Peop', '--rename-type "=Peop": the old type name is empty (expected OLD=NEW, e.g. PER=Peop)'],
    ['PER=', '--rename-type "PER=": the new type name is empty (expected OLD=NEW, e.g. PER=Peop)'],
    ['PER=PER', '--rename-type "PER=PER": renames "PER" to itself'],
  ];
  for (const [spec, message] of cases)
    assert.throws(() => parseRenameSpec(spec), (e: unknown) => e instanceof UserError && e.message === message, spec);
  // The same checks for pairs given to the library.
  assert.throws(() => relabel(base(), baseSchema(), { rename: [['PER', '']] }), /new type name is empty/);
  assert.throws(() => relabel(base(), baseSchema(), { rename: [['PER', 'PER']] }), /renames "PER" to itself/);
});

test('contradictory flags are errors naming both', () => {
  const err = (options: RelabelOptions, message: string) =>
    assert.throws(() => relabel(base(), baseSchema(), options), (e: unknown) => e instanceof UserError && e.message === message, message);
  err({ rename: [['PER', 'Peop'], ['PER', 'Person']] }, '--rename-type "PER=Person": "PER" is already renamed to "Peop" by --rename-type "PER=Peop"');
  err({ rename: [['PER', 'Peop']], drop: ['PER'] }, '--drop-type "PER": "PER" is also renamed, by --rename-type "PER=Peop"; drop it or rename it, not both');
  err(
    { rename: [['PER', 'ORG']], drop: ['ORG'] },
    '--drop-type "ORG": --rename-type "PER=ORG" renames to the type dropped (renames and drops apply to the input\'s types at once); drop "PER" too, or rename it to another type',
  );
  // The same rename twice is one rename.
  assert.equal(relabel(base(), baseSchema(), { rename: [['PER', 'Peop'], ['PER', 'Peop']] }).counts.entitiesRenamed, 1);
});

test('a type the input has neither in its schema nor in its data is an error saying which types it has', () => {
  const known = '(entity types: PER, ORG, LOC; relation types: works_for, based_in)';
  assert.throws(() => relabel(base(), baseSchema(), { rename: [['Person', 'Peop']] }), (e: unknown) => e instanceof UserError && e.message === `--rename-type "Person=Peop": the input has no entity or relation type "Person" ${known}`);
  assert.throws(() => relabel(base(), baseSchema(), { drop: ['MISC'] }), (e: unknown) => e instanceof UserError && e.message === `--drop-type "MISC": the input has no entity or relation type "MISC" ${known}`);
  assert.throws(() => relabel([], schema([], []), { drop: ['X'] }), /\(entity types: none; relation types: none\)$/);
  // A type of the schema alone, or of the data alone, is known; a type only in the data joins the schema.
  assert.deepEqual(relabel([], schema(['PER', 'MISC'], []), { drop: ['MISC'] }).counts.dropped, [{ kind: 'entity', type: 'MISC', count: 0 }]);
  const dataOnly = relabel(base(), schema(['PER'], []), { rename: [['ORG', 'Org']] });
  assert.deepEqual(dataOnly.schema, schema(['PER', 'Org', 'LOC'], [['works_for', false], ['based_in', false]]));
});

test('the counts as the CLI prints them', () => {
  const docs = [doc('d', [E('T1', 'PER', 0, 2), E('T2', 'PERSON', 0, 2), E('T3', 'MISC', 4, 5)], [R('r', 'T1', 'T3'), R('r', 'T2', 'T1')])];
  const r = relabel(docs, schema(['PER', 'PERSON', 'MISC'], [['r', false]]), { rename: [['PERSON', 'PER'], ['r', 'R']], drop: ['MISC'] });
  assert.deepEqual(formatRelabelCounts(r.counts), [
    'renamed 1 entity and 1 relation: entity type "PERSON" → "PER" ×1, relation type "r" → "R" ×1',
    'dropped 1 entity and 1 relation: entity type "MISC" ×1, relations with a dropped entity ×1',
    'kept once what the renames made the same: 1 entity merged into another, 1 relation dropped', // r T2→T1 became T1→T1
  ]);
  assert.deepEqual(formatRelabelCounts(relabel(base(), baseSchema(), { drop: ['based_in'] }).counts), ['dropped 0 entities and 1 relation: relation type "based_in" ×1']);
});
