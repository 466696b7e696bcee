/**
 * Relabelling a corpus (`entrel convert --rename-type OLD=NEW --drop-type T`): types renamed, merged or
 * dropped, so that a corpus matches another label scheme — a brat project's `PER`/`ORG` made the
 * bundled model's `Peop`/`Org` before `entrel train --init … --local`, which refuses types it does not
 * know — or two corpora's schemes are merged.
 *
 * - A rename applies to the entity type and to the relation type of that name, whichever the input has
 *   (a name may be both). All renames apply at once: `A=B` with `B=A` swaps the two, `A=B` with `B=C`
 *   moves A to B and B to C. Several names may become one, and a name may become a type the input has
 *   already: both merge. A merged type takes the schema position of its first source; relation types
 *   merged must agree on `symmetric`.
 * - A drop removes the entities of that type with every relation touching them, and the relations of
 *   that type. Each one is a counted warning (`entity-type-dropped`, `relation-type-dropped`,
 *   `relation-dropped-with-entity`; a relation of a dropped type is counted once, as that).
 * - What a merge makes the same is kept once, as the readers merge a repeated entity (formats/checks.ts,
 *   with the same merge.ts): an entity with the span and, now, the type of an earlier entity of its
 *   sentence is merged into that one (`duplicate-entity-merged`: its relations then name the kept id), a
 *   relation then the same as an earlier one — type, head and tail, either way round for a symmetric
 *   type — is dropped (`duplicate-relation-dropped`), and so is a relation whose two arguments were merged
 *   into one (`relation-between-duplicates-dropped`: the input had no such self-relation). Relabelling
 *   changes only what it makes the same: two entities of one span and type in its input (which the
 *   readers have merged already), or a symmetric relation listed both ways, are left as they are.
 *
 * Entity ids are kept; the input is not changed. Mistakes in the flags are `UserError`s naming the flag
 * and its value.
 */
import { UserError, quote } from '../errors.js';
import { entitySurface, inferSchema, type Document, type Entity, type LabelSchema, type Relation, type RelationType, type Sentence } from './corpus.js';
import { Diagnostics } from './diagnostics.js';
import { relationMerger } from './merge.js';

export interface RelabelOptions {
  /** `[OLD, NEW]` pairs, all applied at once; the same OLD may be given twice only with the same NEW. */
  rename?: readonly (readonly [string, string])[];
  /** Types whose entities (with their relations) and relations are removed. */
  drop?: readonly string[];
}

export interface RenameCount {
  kind: 'entity' | 'relation';
  from: string;
  to: string;
  /** Entities or relations of type `from` in the input (those merged into another included). */
  count: number;
}

export interface RelabelCounts {
  /** One row per rename and kind the input has the old type in (schema or data), in the order given. */
  renamed: RenameCount[];
  /** One row per drop and kind the input has the type in: the entities or relations of that type removed. */
  dropped: { kind: 'entity' | 'relation'; type: string; count: number }[];
  entitiesRenamed: number;
  relationsRenamed: number;
  /** `entity-type-dropped`. */
  entitiesDropped: number;
  /** `relation-type-dropped`. */
  relationsDropped: number;
  /** `relation-dropped-with-entity`. */
  relationsDroppedWithEntity: number;
  /** `duplicate-entity-merged`. */
  entitiesMerged: number;
  /** `duplicate-relation-dropped`. */
  duplicateRelationsDropped: number;
  /** `relation-between-duplicates-dropped`: relations whose two arguments were merged into one. */
  relationsBetweenDuplicatesDropped: number;
}

export interface RelabelResult {
  documents: Document[];
  schema: LabelSchema;
  counts: RelabelCounts;
}

/** The flag as the user would write it: `=` and `\\` in a type name escaped (parseRenameSpec). */
const escaped = (t: string) => t.replace(/[\\=]/g, (c) => `\\${c}`);
const renameFlag = (from: string, to: string) => `--rename-type ${quote(`${escaped(from)}=${escaped(to)}`)}`;
const dropFlag = (t: string) => `--drop-type ${quote(t)}`;

/**
 * `OLD=NEW` → `[OLD, NEW]`, split at the first `=` that no backslash escapes: a type whose name holds `=`
 * is written with `\=` (and a backslash as `\\`), e.g. `a\=b=c` renames "a=b" to "c". A malformed spec
 * is a `UserError` naming it.
 */
export function parseRenameSpec(spec: string): [string, string] {
  const parts: [string, string] = ['', ''];
  let side = 0;
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c === '\\' && (spec[i + 1] === '=' || spec[i + 1] === '\\')) parts[side] += spec[++i];
    else if (c === '=' && side === 0) side = 1;
    else parts[side] += c;
  }
  if (side === 0) throw new UserError(`--rename-type ${quote(spec)}: expected OLD=NEW (e.g. PER=Peop; \\= for an = in a type name)`);
  checkPair(parts[0], parts[1]);
  return parts;
}

function checkPair(from: string, to: string): void {
  const flag = renameFlag(from, to);
  if (from === '') throw new UserError(`${flag}: the old type name is empty (expected OLD=NEW, e.g. PER=Peop)`);
  if (to === '') throw new UserError(`${flag}: the new type name is empty (expected OLD=NEW, e.g. PER=Peop)`);
  if (from === to) throw new UserError(`${flag}: renames ${quote(from)} to itself`);
}

interface Plan {
  /** OLD → NEW, one entry per OLD. */
  rename: Map<string, string>;
  drop: Set<string>;
}

/**
 * Checks the flags alone, before any data is read: malformed renames, one OLD renamed two ways, a type
 * both renamed and dropped, a dropped type that a rename names as its new type.
 */
export function checkRelabelOptions(options: RelabelOptions): void {
  plan(options);
}

function plan(options: RelabelOptions): Plan {
  const rename = new Map<string, string>();
  for (const [from, to] of options.rename ?? []) {
    checkPair(from, to);
    const before = rename.get(from);
    if (before !== undefined && before !== to)
      throw new UserError(`${renameFlag(from, to)}: ${quote(from)} is already renamed to ${quote(before)} by ${renameFlag(from, before)}`);
    rename.set(from, to);
  }
  const drop = new Set<string>();
  for (const t of options.drop ?? []) {
    if (t === '') throw new UserError('--drop-type "": the type name is empty');
    const to = rename.get(t);
    if (to !== undefined) throw new UserError(`${dropFlag(t)}: ${quote(t)} is also renamed, by ${renameFlag(t, to)}; drop it or rename it, not both`);
    const into = [...rename].find(([, n]) => n === t);
    if (into)
      throw new UserError(
        `${dropFlag(t)}: ${renameFlag(into[0], t)} renames to the type dropped (renames and drops apply to the input's types at once); drop ${quote(into[0])} too, or rename it to another type`,
      );
    drop.add(t);
  }
  return { rename, drop };
}

/** `entity types: A, B; relation types: R` — what the input has, for an unknown-type message. */
function existing(entities: readonly string[], relations: readonly string[]): string {
  const list = (names: readonly string[]) => (names.length ? names.join(', ') : 'none');
  return `entity types: ${list(entities)}; relation types: ${list(relations)}`;
}

/** Old type → new type of one kind (undefined = dropped), and the output's types of that kind in order. */
function mapping(types: readonly string[], p: Plan): { to: (t: string) => string | undefined; out: string[] } {
  const to = (t: string) => (p.drop.has(t) ? undefined : (p.rename.get(t) ?? t));
  const out = [...new Set(types.map(to).filter((t): t is string => t !== undefined))];
  return { to, out };
}

/**
 * The documents and schema with the types renamed and dropped (see the module comment); what it drops
 * or merges is counted in `diagnostics`. The input's types are its schema's and its documents'.
 */
export function relabelCorpus(
  corpus: { documents: readonly Document[]; schema: LabelSchema },
  options: RelabelOptions,
  diagnostics: Diagnostics = new Diagnostics(),
): RelabelResult {
  const p = plan(options);
  const seen = inferSchema(corpus.documents);
  const entityTypes = [...new Set([...corpus.schema.entityTypes, ...seen.entityTypes])];
  const symmetricOf = new Map<string, boolean>();
  for (const r of [...corpus.schema.relationTypes, ...seen.relationTypes]) if (!symmetricOf.has(r.name)) symmetricOf.set(r.name, r.symmetric);
  const relationTypes = [...symmetricOf.keys()];

  const known = (t: string) => entityTypes.includes(t) || symmetricOf.has(t);
  const missing = `the input has no entity or relation type`;
  for (const [from, to] of p.rename)
    if (!known(from)) throw new UserError(`${renameFlag(from, to)}: ${missing} ${quote(from)} (${existing(entityTypes, relationTypes)})`);
  for (const t of p.drop) if (!known(t)) throw new UserError(`${dropFlag(t)}: ${missing} ${quote(t)} (${existing(entityTypes, relationTypes)})`);

  const ents = mapping(entityTypes, p);
  const rels = mapping(relationTypes, p);
  // A merged relation type is symmetric if its sources are, all of them or none.
  const outRelations = new Map<string, RelationType & { source: string }>();
  for (const name of relationTypes) {
    const to = rels.to(name);
    if (to === undefined) continue;
    const symmetric = symmetricOf.get(name) ?? false;
    const first = outRelations.get(to);
    if (!first) outRelations.set(to, { name: to, symmetric, source: name });
    else if (first.symmetric !== symmetric) {
      const sym = (t: string, s: boolean) => `${quote(t)} (${s ? 'symmetric' : 'not symmetric'})`;
      const flag = p.rename.has(name) ? renameFlag(name, to) : renameFlag(first.source, to);
      throw new UserError(
        `${flag}: relation types ${sym(first.source, first.symmetric)} and ${sym(name, symmetric)} would merge into ${quote(to)}, which cannot be both; rename them apart or make their symmetric flags agree`,
      );
    }
  }
  const schema: LabelSchema = { entityTypes: ents.out, relationTypes: [...outRelations.values()].map(({ name, symmetric }) => ({ name, symmetric })) };

  const counts: RelabelCounts = {
    renamed: [],
    dropped: [],
    entitiesRenamed: 0,
    relationsRenamed: 0,
    entitiesDropped: 0,
    relationsDropped: 0,
    relationsDroppedWithEntity: 0,
    entitiesMerged: 0,
    duplicateRelationsDropped: 0,
    relationsBetweenDuplicatesDropped: 0,
  };
  const byKind = { entity: new Map<string, number>(), relation: new Map<string, number>() };
  const droppedOf = { entity: new Map<string, number>(), relation: new Map<string, number>() };
  const ctx: SentenceContext = {
    entityTo: ents.to,
    relationTo: rels.to,
    symmetric: (t) => outRelations.get(t)?.symmetric ?? false,
    diagnostics,
    counts,
    renamedOf: byKind,
    droppedOf,
  };
  const documents = corpus.documents.map((d) => ({ ...d, sentences: d.sentences.map((s, si) => relabelSentence(d, s, si, ctx)) }));

  for (const [from, to] of p.rename) {
    if (entityTypes.includes(from)) counts.renamed.push({ kind: 'entity', from, to, count: byKind.entity.get(from) ?? 0 });
    if (symmetricOf.has(from)) counts.renamed.push({ kind: 'relation', from, to, count: byKind.relation.get(from) ?? 0 });
  }
  for (const type of p.drop) {
    if (entityTypes.includes(type)) counts.dropped.push({ kind: 'entity', type, count: droppedOf.entity.get(type) ?? 0 });
    if (symmetricOf.has(type)) counts.dropped.push({ kind: 'relation', type, count: droppedOf.relation.get(type) ?? 0 });
  }
  counts.entitiesRenamed = [...byKind.entity.values()].reduce((a, b) => a + b, 0);
  counts.relationsRenamed = [...byKind.relation.values()].reduce((a, b) => a + b, 0);
  return { documents, schema, counts };
}

interface SentenceContext {
  entityTo: (t: string) => string | undefined;
  relationTo: (t: string) => string | undefined;
  /** Of a relation type of the output (the same as each of its sources'). */
  symmetric: (t: string) => boolean;
  diagnostics: Diagnostics;
  counts: RelabelCounts;
  /** Entities and relations renamed, by old type. */
  renamedOf: { entity: Map<string, number>; relation: Map<string, number> };
  /** Entities and relations of a dropped type, by type. */
  droppedOf: { entity: Map<string, number>; relation: Map<string, number> };
}

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

function relabelSentence(doc: Document, s: Sentence, si: number, ctx: SentenceContext): Sentence {
  const { diagnostics: d, counts } = ctx;
  const at = `document ${quote(doc.id)}, sentence ${si}`;
  const byId = new Map(s.entities.map((e) => [e.id, e]));
  const surface = (id: string) => entitySurface(doc, s, byId.get(id));
  const describeEntity = (e: Entity) => `${at}: ${e.type} ${e.id} ${surface(e.id)}`;
  const describeRelation = (r: Relation) => `${at}: ${r.type} ${r.head}→${r.tail} (${surface(r.head)} → ${surface(r.tail)})`;

  const dropped = new Set<string>();
  /** Merged entity id → the id of the entity it was merged into. */
  const mergedInto = new Map<string, string>();
  const entities: Entity[] = [];
  const bySpan = new Map<string, { entity: Entity; oldType: string }[]>();
  for (const e of s.entities) {
    const type = ctx.entityTo(e.type);
    if (type === undefined) {
      dropped.add(e.id);
      counts.entitiesDropped++;
      bump(ctx.droppedOf.entity, e.type);
      d.warn('entity-type-dropped', describeEntity(e));
      continue;
    }
    if (type !== e.type) bump(ctx.renamedOf.entity, e.type);
    const key = JSON.stringify([e.start, e.end, type]);
    const same = bySpan.get(key) ?? [];
    // Two entities of one span and one type before relabelling were so in the input: left as they are.
    const into = same.find((k) => k.oldType !== e.type);
    if (into) {
      mergedInto.set(e.id, into.entity.id);
      counts.entitiesMerged++;
      d.warn('duplicate-entity-merged', `${describeEntity(e)} merged into ${into.entity.id} (${type})`);
      continue;
    }
    const kept = { ...e, type };
    entities.push(kept);
    bySpan.set(key, [...same, { entity: kept, oldType: e.type }]);
  }

  const relations: Relation[] = [];
  const merged = relationMerger(mergedInto, ctx.symmetric);
  for (const r of s.relations) {
    const type = ctx.relationTo(r.type);
    if (type === undefined) {
      counts.relationsDropped++;
      bump(ctx.droppedOf.relation, r.type);
      d.warn('relation-type-dropped', describeRelation(r));
      continue;
    }
    if (dropped.has(r.head) || dropped.has(r.tail)) {
      counts.relationsDroppedWithEntity++;
      d.warn('relation-dropped-with-entity', describeRelation(r));
      continue;
    }
    if (type !== r.type) bump(ctx.renamedOf.relation, r.type);
    const m = merged(r, type);
    if ('kept' in m) relations.push(m.kept);
    else if (m.dropped === 'duplicate') {
      counts.duplicateRelationsDropped++;
      d.warn('duplicate-relation-dropped', `${describeRelation(r)} is now the same as another ${type}`);
    } else {
      counts.relationsBetweenDuplicatesDropped++;
      d.warn('relation-between-duplicates-dropped', `${describeRelation(r)}: its arguments were merged into ${mergedInto.get(r.head) ?? r.head}`);
    }
  }
  return { ...s, entities, relations };
}

/** The counts as lines for the CLI: what was renamed, dropped and merged. */
export function formatRelabelCounts(c: RelabelCounts): string[] {
  const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  const lines: string[] = [];
  if (c.renamed.length)
    lines.push(
      `renamed ${n(c.entitiesRenamed, 'entity', 'entities')} and ${n(c.relationsRenamed, 'relation')}: ` +
        c.renamed.map((r) => `${r.kind} type ${quote(r.from)} → ${quote(r.to)} ×${r.count}`).join(', '),
    );
  if (c.dropped.length)
    lines.push(
      `dropped ${n(c.entitiesDropped, 'entity', 'entities')} and ${n(c.relationsDropped + c.relationsDroppedWithEntity, 'relation')}: ` +
        [
          ...c.dropped.map((r) => `${r.kind} type ${quote(r.type)} ×${r.count}`),
          ...(c.dropped.some((r) => r.kind === 'entity') ? [`relations with a dropped entity ×${c.relationsDroppedWithEntity}`] : []),
        ].join(', '),
    );
  const relationsDropped = c.duplicateRelationsDropped + c.relationsBetweenDuplicatesDropped;
  if (c.entitiesMerged + relationsDropped)
    lines.push(`kept once what the renames made the same: ${n(c.entitiesMerged, 'entity', 'entities')} merged into another, ${n(relationsDropped, 'relation')} dropped`);
  return lines;
}
