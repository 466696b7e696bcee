/**
 * Multi-head selection CoNLL04 TSV (Bekoulis et al. 2018): each sentence opens with `#doc N`, then one
 * line per token: `idx<TAB>token<TAB>BIO-tag<TAB>['rel', …]<TAB>[headTokenIdx, …]`. A relation is written
 * on the LAST token of its head (Arg1) entity and points at the LAST token of its tail entity; `N` with
 * the token's own index means "no relation". An I- tag that continues no entity of its type is read as
 * the start of one (spec §5.1), counted: `invalid-tag-sequence-repaired`.
 */
import { decodeTags, encodeTags, isRepairedTag } from '../bilou.js';
import { MAX_DOCUMENT_BYTES } from '../document-size.js';
import { readLineBatches } from '../lines.js';
import type { Located } from '../located.js';
import { fail, tokenProblem } from '../validate.js';
import { writeAtomic, type Source } from '../write.js';
import { countSymmetricNotKept, sentencesOf, toTokenSentence, tokenDocument, unwritableLabel } from './common.js';
import { quote, UserError, type ErrorLocation } from '../../errors.js';
import type { Diagnostics } from '../diagnostics.js';
import type { Document } from '../corpus.js';
import type { Format, ReadOptions } from './types.js';

interface Pending {
  id: string;
  /** The `#doc` line. */
  loc: ErrorLocation;
  tokens: string[];
  tags: string[];
  rels: { type: string; from: number; to: number; loc: ErrorLocation }[];
}

function finish(p: Pending): Document {
  const entities = decodeTags(p.tags);
  const endingAt = new Map(entities.map((e, i) => [e.end - 1, i]));
  const relations = p.rels.map((r) => {
    if (r.to >= p.tokens.length) fail(`head ${r.to} is past the end (${p.tokens.length} tokens)`, r.loc, 'heads');
    const head = endingAt.get(r.from);
    const tail = endingAt.get(r.to);
    if (head === undefined) fail(`token ${r.from} carries relation ${quote(r.type)} but ends no entity`, r.loc, 'relations');
    if (tail === undefined) fail(`relation ${quote(r.type)} points at token ${r.to}, which ends no entity`, r.loc, 'heads');
    return { type: r.type, head, tail };
  });
  return tokenDocument(p.id, [{ tokens: p.tokens, entities, relations }]);
}

const LIST = /^\[(.*)\]$/;

function parseList(field: string, text: string, loc: ErrorLocation): string[] {
  const m = LIST.exec(text.trim());
  if (!m) fail(`expected a [list], got ${quote(text)}`, loc, field);
  return m[1].trim() === '' ? [] : m[1].split(',').map((s) => s.trim());
}

async function* read(file: string, opts: ReadOptions): AsyncGenerator<Located<Document>> {
  let cur: Pending | undefined;
  let any = false;
  for await (const batch of readLineBatches(file, MAX_DOCUMENT_BYTES))
    for (const { value: line, loc } of batch) {
      if (line.trim() === '') continue;
      any = true;
      const header = /^#doc\s+(\S+)\s*$/.exec(line);
      if (header) {
        if (cur) yield { value: finish(cur), loc: cur.loc };
        cur = { id: header[1], loc, tokens: [], tags: [], rels: [] };
        continue;
      }
      if (!cur) fail('expected a "#doc N" header before the first token', loc);
      const f = line.split('\t');
      if (f.length !== 5) fail(`expected 5 tab-separated fields, got ${f.length}`, loc);
      const [idx, token, tag, relText, headText] = f;
      if (Number(idx) !== cur.tokens.length) fail(`token index ${quote(idx)}, expected ${cur.tokens.length}`, loc, 'idx');
      const labels = parseList('relations', relText, loc).map((s, k) => {
        const m = /^'(.*)'$/.exec(s);
        if (!m) fail(`expected a quoted label, got ${quote(s)}`, loc, 'relations');
        if (m[1] === '') fail('empty type', loc, `relations[${k}]`);
        return m[1];
      });
      const heads = parseList('heads', headText, loc).map((s) => {
        if (!/^\d+$/.test(s)) fail(`expected a token index, got ${quote(s)}`, loc, 'heads');
        return Number(s);
      });
      if (labels.length !== heads.length) fail(`${labels.length} relation labels for ${heads.length} heads`, loc, 'heads');
      if (!/^(O|[BI]-.+)$/.test(tag)) fail(`expected a BIO tag, got ${quote(tag)}`, loc, 'tag');
      const bad = tokenProblem(token);
      if (bad) fail(bad, loc, 'token');
      const prev = cur.tags.at(-1);
      if (isRepairedTag(prev, tag))
        opts.diagnostics.warn('invalid-tag-sequence-repaired', `${file}:${loc.line} tag ${quote(tag)} after ${prev === undefined ? 'the start' : quote(prev)}: read as the start of an entity`);
      cur.tokens.push(token);
      cur.tags.push(tag);
      labels.forEach((type, k) => {
        if (type !== 'N') cur!.rels.push({ type, from: Number(idx), to: heads[k], loc });
      });
    }
  if (!any) fail('empty file', { file });
  if (cur) yield { value: finish(cur), loc: cur.loc };
}

/** Line breaks end a line, tabs a field; the reader's tag and label patterns stop at them too. */
const LINE_OR_FIELD = /[\t\n\r\u2028\u2029]/;

/**
 * What the TSV cannot hold, refused rather than written into a file our reader rejects or misreads:
 * a `#doc` id with whitespace, a token or an entity type with a tab or line break, a relation type with
 * those or a comma (labels are a comma-separated list), or the relation type `N` (which means "no relation").
 */
function checkLabels(d: Document, s: Document['sentences'][number], id: string): void {
  if (!/^\S+$/.test(id))
    throw new UserError(`cannot write document ${quote(d.id)} as multihead: its id ${quote(id)} is empty or contains whitespace, which a "#doc" header cannot hold; rename it in the input`);
  const cannot = 'contains a tab or a line break, which a multihead TSV line cannot hold';
  s.tokens.forEach((t, i) => {
    if (LINE_OR_FIELD.test(t.text)) throw new UserError(`cannot write document ${quote(d.id)} as multihead: token ${i} of ${quote(id)}, ${quote(t.text)}, ${cannot}; cut it in the input`);
  });
  const lineOrField = (label: string) => LINE_OR_FIELD.test(label) ? cannot : undefined;
  for (const e of s.entities) {
    const why = lineOrField(e.type);
    if (why) unwritableLabel('multihead', d, 'entity type', e.type, why, e.type.replace(/\s+/g, '_'));
  }
  for (const r of s.relations) {
    const why =
      r.type === 'N' ? 'is the multihead label for "no relation" (it would be read back as none)'
      : r.type.includes(',') ? 'contains a comma, which separates the labels of a multihead relation list'
      : lineOrField(r.type);
    if (why) unwritableLabel('multihead', d, 'relation type', r.type, why, r.type === 'N' ? undefined : r.type.replace(/\s*,\s*|\s+/g, '_'));
  }
}

async function* lines(docs: Source<Document>, diagnostics?: Diagnostics): AsyncGenerator<string> {
  for await (const [d, s, id] of sentencesOf('multihead', docs, diagnostics)) {
    checkLabels(d, s, id);
    const t = toTokenSentence(d, s);
    const { tags, dropped } = encodeTags(t.tokens.length, t.entities, 'BIO');
    for (const e of dropped) diagnostics?.warn('overlapping-entity-dropped', `${id}: ${e.type} [${e.start}, ${e.end})`);
    const rels = t.tokens.map(() => [] as [string, number][]);
    for (const r of t.relations) {
      const h = t.entities[r.head];
      const x = t.entities[r.tail];
      if (dropped.includes(h) || dropped.includes(x)) diagnostics?.warn('relation-dropped-with-entity', `${id}: ${r.type}`);
      else rels[h.end - 1].push([r.type, x.end - 1]);
    }
    let out = `#doc ${id}\n`;
    t.tokens.forEach((tok, i) => {
      const rs = rels[i].length ? rels[i] : [['N', i] as [string, number]];
      out += `${i}\t${tok}\t${tags[i]}\t[${rs.map(([l]) => `'${l}'`).join(', ')}]\t[${rs.map(([, h]) => h).join(', ')}]\n`;
    });
    yield out;
  }
}

export const multihead: Format = {
  name: 'multihead',
  description: "multi-head CoNLL04 TSV: '#doc N', then idx token BIO ['rel',…] [headIdx,…] per token",
  read,
  write: (docs, schema, out, diagnostics) => {
    countSymmetricNotKept(schema, diagnostics);
    return writeAtomic(out, lines(docs, diagnostics));
  },
};
