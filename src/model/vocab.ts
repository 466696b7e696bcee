/**
 * Vocabularies of the joint model (reference spec §1.3, with two deliberate departures):
 * - words and characters come from the TRAINING split only (the authors used train+dev+test, a leak),
 *   with an UNK id for everything else (the authors mapped unknowns to PAD);
 * - tag and relation-label vocabularies come from the label schema in schema order, not from data order,
 *   so they are deterministic and cover labels the training data happens not to show.
 *
 * Ids: words PAD=0, UNK=1 (lowercased); chars PAD=0, UNK=1 (case-sensitive, by code point);
 * tags O=0, then B, I, L|E, U for each entity type in schema order; relation labels NONE=0, then
 * `T-->` and `T<--` per relation type in schema order (symmetric types only `T-->`, spec §1.5).
 */
import type { LabelSchema, Sentence } from '../data/corpus.js';
import { UserError } from '../errors.js';

export const PAD = 0;
export const UNK = 1;
export const NONE = 0;
export const PAD_WORD = '<pad>';
export const UNK_WORD = '<unk>';
const NONE_LABEL = 'NONE';
export const FORWARD = '-->';
export const BACKWARD = '<--';

type TagScheme = 'BILOU' | 'BIEOU';

/**
 * Most entity types a model takes (4 tags each): the tag grammar, the CRF's transition masks and the
 * tag one-hot table grow with the square of the tag count (1,024 types: 315 MB and 0.8 s to build a
 * model, 520 MB and 2 s with a CRF; 4,096 would take 16 times that). Label schemas have a few to a few
 * dozen; a schema.json of a hundred thousand types, a few megabytes, would otherwise make loading its
 * model exhaust memory.
 */
export const MAX_ENTITY_TYPES = 1024;

/** Why `count` entity types are too many for a model (undefined: they are not). */
export function entityTypesLimit(count: number): string | undefined {
  return count > MAX_ENTITY_TYPES
    ? `has ${count} entity types, more than the ${MAX_ENTITY_TYPES} a model takes (its tag tables grow with the square of the number of tags)`
    : undefined;
}

/** A string ↔ id table. */
class Index {
  readonly items: readonly string[];
  private readonly ids: Map<string, number>;
  constructor(items: readonly string[]) {
    this.items = items;
    this.ids = new Map(items.map((w, i) => [w, i]));
    if (this.ids.size !== items.length) throw new Error('Index: duplicate items');
  }
  get size(): number {
    return this.items.length;
  }
  get(item: string): number | undefined {
    return this.ids.get(item);
  }
  has(item: string): boolean {
    return this.ids.has(item);
  }
}

/** Decoded meaning of one relation label id. */
interface RelationLabelInfo {
  /** Relation type; '' for NONE. */
  type: string;
  /** true: (left → right) = (head → tail); false: the label ends in `<--`, head is the right entity. */
  forward: boolean;
}

export function tagNames(schema: LabelSchema, scheme: TagScheme): string[] {
  const last = scheme === 'BILOU' ? 'L' : 'E';
  const out = ['O'];
  for (const t of schema.entityTypes) out.push(`B-${t}`, `I-${t}`, `${last}-${t}`, `U-${t}`);
  return out;
}

function relationLabelNames(schema: LabelSchema): string[] {
  const out = [NONE_LABEL];
  for (const r of schema.relationTypes) {
    out.push(r.name + FORWARD);
    if (!r.symmetric) out.push(r.name + BACKWARD);
  }
  return out;
}

interface VocabJson {
  format: 'entrel-vocab';
  version: 1;
  tagScheme: TagScheme;
  words: string[];
  chars: string[];
  tags: string[];
  relations: string[];
}

export class Vocabulary {
  readonly words: Index;
  readonly chars: Index;
  readonly tags: Index;
  readonly relations: Index;
  readonly tagScheme: TagScheme;
  /** Per relation label id: type and direction. */
  readonly relationInfo: readonly RelationLabelInfo[];

  constructor(parts: { words: string[]; chars: string[]; tags: string[]; relations: string[]; tagScheme: TagScheme }) {
    this.words = new Index(parts.words);
    this.chars = new Index(parts.chars);
    this.tags = new Index(parts.tags);
    this.relations = new Index(parts.relations);
    this.tagScheme = parts.tagScheme;
    this.relationInfo = parts.relations.map((l, i) =>
      i === NONE
        ? { type: '', forward: true }
        : { type: l.slice(0, -3), forward: l.endsWith(FORWARD) },
    );
  }

  /** Builds the vocabularies: words/chars from `train` (the training split only), labels from `schema`. */
  static build(train: Iterable<Sentence>, schema: LabelSchema, tagScheme: TagScheme = 'BILOU'): Vocabulary {
    const tooMany = entityTypesLimit(schema.entityTypes.length);
    if (tooMany) throw new UserError(`the training data's label schema ${tooMany}`);
    const words = new Set<string>();
    const chars = new Set<string>();
    for (const s of train)
      for (const tok of s.tokens) {
        words.add(tok.text.toLowerCase());
        for (const c of tok.text) chars.add(c);
      }
    words.delete(PAD_WORD);
    words.delete(UNK_WORD);
    chars.delete(PAD_WORD);
    chars.delete(UNK_WORD);
    return new Vocabulary({
      words: [PAD_WORD, UNK_WORD, ...words],
      chars: [PAD_WORD, UNK_WORD, ...chars],
      tags: tagNames(schema, tagScheme),
      relations: relationLabelNames(schema),
      tagScheme,
    });
  }

  /**
   * This vocabulary with the words and characters of `sentences` it lacks appended (first-seen order),
   * labels unchanged: every id it had keeps its meaning, so a trained model's rows stay valid
   * (fine-tuning a model on new data, `--init`).
   */
  extendedWith(sentences: Iterable<Sentence>): Vocabulary {
    const words = new Set(this.words.items);
    const chars = new Set(this.chars.items);
    for (const s of sentences)
      for (const tok of s.tokens) {
        words.add(tok.text.toLowerCase());
        for (const c of tok.text) chars.add(c);
      }
    return new Vocabulary({ words: [...words], chars: [...chars], tags: [...this.tags.items], relations: [...this.relations.items], tagScheme: this.tagScheme });
  }

  /** Is `this` `base` with (possibly) words and characters appended, labels and scheme the same? */
  extends(base: Vocabulary): boolean {
    const prefix = (a: Index, b: Index) => a.size >= b.size && b.items.every((x, i) => a.items[i] === x);
    return this.tagScheme === base.tagScheme && prefix(this.words, base.words) && prefix(this.chars, base.chars) &&
      sameList(this.tags.items, base.tags.items) && sameList(this.relations.items, base.relations.items);
  }

  /**
   * The form of `token` to look up: itself when the vocabulary has it (lowercased), else its folded form
   * (`Ｂｏｓｔｏｎ`, `Bos\u00ADton` → `Boston`), so that vocabularies built before folding read as they did.
   */
  lookupForm(token: string): string {
    return this.lookup(token).form;
  }

  /** Lowercased lookup of the token's lookup form; UNK when absent. */
  wordId(token: string): number {
    return this.lookup(token).id;
  }

  /** The token's lookup form and its word id (UNK when absent): one lowercasing, and a folding only for a word the vocabulary lacks. */
  lookup(token: string): { form: string; id: number } {
    const id = this.words.get(token.toLowerCase());
    if (id !== undefined) return { form: token, id };
    const form = folded(token);
    return { form, id: this.words.get(form.toLowerCase()) ?? UNK };
  }

  /**
   * Char ids of a token, one per code point, a code point the vocabulary lacks by its folded form (none for
   * a format character, `Ｂ` → `B`, `…` → three periods); UNK when absent.
   */
  charIds(token: string): Int32Array {
    const ids: number[] = [];
    for (const c of token) {
      const id = this.chars.get(c);
      if (id !== undefined) ids.push(id);
      else for (const f of folded(c)) ids.push(this.chars.get(f) ?? UNK);
    }
    return Int32Array.from(ids);
  }

  /** Does this vocabulary's label part agree with `schema` (same tags and relation labels, same order)? */
  matchesSchema(schema: LabelSchema): boolean {
    const t = tagNames(schema, this.tagScheme);
    const r = relationLabelNames(schema);
    return sameList(t, this.tags.items) && sameList(r, this.relations.items);
  }

  toJSON(): VocabJson {
    return {
      format: 'entrel-vocab',
      version: 1,
      tagScheme: this.tagScheme,
      words: [...this.words.items],
      chars: [...this.chars.items],
      tags: [...this.tags.items],
      relations: [...this.relations.items],
    };
  }

  /** Validating inverse of `toJSON`; errors name `file`. */
  static fromJSON(obj: unknown, file = 'vocab.json'): Vocabulary {
    const fail = (msg: string, field?: string): never => {
      throw new UserError(msg, { file, field });
    };
    if (obj === null || typeof obj !== 'object') fail('not a JSON object');
    const o = obj as Record<string, unknown>;
    if (o.format !== 'entrel-vocab') fail(`format is ${JSON.stringify(o.format)}, expected "entrel-vocab"`, 'format');
    if (o.version !== 1) fail(`unsupported vocabulary version ${JSON.stringify(o.version)} (this build reads 1)`, 'version');
    if (o.tagScheme !== 'BILOU' && o.tagScheme !== 'BIEOU') fail('tagScheme must be "BILOU" or "BIEOU"', 'tagScheme');
    const list = (k: string): string[] => {
      const v = o[k];
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return fail('must be an array of strings', k);
      if (new Set(v).size !== v.length) fail('has duplicate entries', k);
      return v as string[];
    };
    const words = list('words');
    const chars = list('chars');
    const tags = list('tags');
    const relations = list('relations');
    if (words[PAD] !== PAD_WORD || words[UNK] !== UNK_WORD) fail(`must start with "${PAD_WORD}", "${UNK_WORD}"`, 'words');
    if (chars[PAD] !== PAD_WORD || chars[UNK] !== UNK_WORD) fail(`must start with "${PAD_WORD}", "${UNK_WORD}"`, 'chars');
    if (tags[0] !== 'O' || (tags.length - 1) % 4 !== 0) fail('must be O followed by 4 tags per entity type', 'tags');
    if (relations[NONE] !== NONE_LABEL) fail(`must start with "${NONE_LABEL}"`, 'relations');
    for (const r of relations.slice(1))
      if (!r.endsWith(FORWARD) && !r.endsWith(BACKWARD)) fail(`label ${JSON.stringify(r)} has no direction suffix`, 'relations');
    return new Vocabulary({ words, chars, tags, relations, tagScheme: o.tagScheme as TagScheme });
  }
}

/**
 * The form a word is looked up by when its own is not in the vocabulary (a vocabulary holds the forms its
 * training data had): without format characters (soft hyphens, zero-width spaces, bidi marks, which text
 * from web pages and PDFs has inside words), compatibility characters folded (NFKC: full-width Latin from
 * CJK sources, ligatures).
 */
const folded = (s: string): string => s.replace(/\p{Cf}/gu, '').normalize('NFKC');

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
