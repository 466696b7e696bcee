/**
 * entrel's canonical form: JSON Lines, one document a line:
 * `{"id", "text", "sentences": [{"tokens": [[start, end], …], "entities": [{"id", "type", "start", "end"}],
 *   "relations": [{"type", "head", "tail"}]}]}`
 * Tokens are character offsets into `text` (UTF-16 units), each over at least one character and with no
 * whitespace at its edges (tokenProblem); entities are token spans, end-exclusive, with
 * ids unique in the document; relations link entity ids of the same sentence. Every line is validated.
 * The label schema lives in a sidecar `NAME_types.json` (SpERT's types-file shape) written beside it.
 */
import { access } from 'node:fs/promises';
import { z } from 'zod';
import { quote } from '../../errors.js';
import { readJsonLines } from '../json-lines.js';
import type { Located } from '../located.js';
import { checkSpan, fail, label, parseWith, tokenProblem } from '../validate.js';
import { countSkippedCompanion, writeAtomicTogether, type Source } from '../write.js';
import { jsonLinesText, refuseUnreadable } from './common.js';
import { countUnreadKeys, type PartShape } from './unread-keys.js';
import { readTypesFile, typesFileFor, typesFileText } from './types-file.js';
import type { Document, Sentence } from '../corpus.js';
import type { Format, ReadOptions } from './types.js';

const int = z.number().int();
const Line = z.object({
  id: z.string(),
  text: z.string(),
  sentences: z.array(
    z.object({
      tokens: z.array(z.tuple([int, int])),
      entities: z.array(z.object({ id: z.string(), type: label(), start: int, end: int })).default([]),
      relations: z.array(z.object({ type: label(), head: z.string(), tail: z.string() })).default([]),
    }),
  ),
});

/** The keys the reader reads, part by part (unread-keys.ts). */
const SHAPE: PartShape = {
  kind: 'record',
  known: ['id', 'text', 'sentences'],
  lists: ['sentences'],
  parts: {
    sentences: {
      kind: 'sentence',
      known: ['tokens', 'entities', 'relations'],
      lists: ['tokens', 'entities', 'relations'],
      parts: { entities: { kind: 'entity', known: ['id', 'type', 'start', 'end'] }, relations: { kind: 'relation', known: ['type', 'head', 'tail'] } },
    },
  },
};

/**
 * The format a record of another JSON Lines format is read with, and the keys that tell it, where `value`
 * is one (read as canonical JSONL, its own error would point elsewhere: a DyGIE record has "relations" at
 * the document level, as extract's output has). None has the canonical "text" beside "sentences".
 */
function otherFormat(value: unknown): { format: string; name: string; keys: string[] } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const has = (keys: string[]) => keys.filter((k) => k in value);
  if ('text' in value && 'sentences' in value) return undefined;
  if ('doc_key' in value || ('ner' in value && 'sentences' in value)) return { format: 'dygie', name: 'DyGIE', keys: has(['doc_key', 'sentences', 'ner']) };
  if ('sentText' in value) return { format: 'nyt', name: 'CoType NYT', keys: has(['sentText', 'entityMentions', 'relationMentions']) };
  const first = 'entities' in value && Array.isArray(value.entities) ? value.entities[0] : undefined;
  const offsets = typeof first === 'object' && first !== null && 'start_offset' in first;
  if ('text' in value && (offsets || ('label' in value && Array.isArray(value.label)))) return { format: 'doccano', name: 'doccano', keys: has(['text', offsets ? 'entities' : 'label']) };
  return undefined;
}

async function* read(file: string, opts: ReadOptions): AsyncGenerator<Located<Document>> {
  for await (const { value, loc } of readJsonLines(file)) {
    const other = otherFormat(value);
    if (other)
      fail(`a ${other.name} record (it has ${other.keys.map((k) => `"${k}"`).join(', ')}), not entrel's canonical JSONL: read it with --format ${other.format}`, loc, other.keys[0]);
    // `entrel extract --format jsonl` writes entities and relations beside the sentences, document-level;
    // read as a corpus they would be dropped without a word (stats: 0 entities, evaluate: empty predictions).
    for (const key of ['entities', 'relations'] as const)
      if (typeof value === 'object' && value !== null && key in value)
        fail(
          `"${key}" at the document level (the shape \`entrel extract\` writes) is not part of the canonical JSONL, which holds them in each sentence; use \`entrel predict\` for predictions to score or convert`,
          loc,
          key,
        );
    countUnreadKeys(value, SHAPE, 'jsonl', loc, opts.diagnostics);
    const r = parseWith(Line, value, loc);
    const ids = new Set<string>();
    let prevEnd = 0;
    const sentences = r.sentences.map((s, si): Sentence => {
      const at = `sentences[${si}]`;
      const tokens = s.tokens.map(([start, end], ti) => {
        const field = `${at}.tokens[${ti}]`;
        if (end < start) fail(`end ${end} is before start ${start}`, loc, field);
        if (end > r.text.length) fail(`end ${end} is past the end of the text (${r.text.length} characters)`, loc, field);
        const bad = tokenProblem(r.text.slice(start, end));
        if (bad) fail(`${bad} (characters ${start}–${end})`, loc, field);
        if (start < prevEnd) fail(`token starts at ${start}, inside the previous token (ends at ${prevEnd})`, loc, field);
        prevEnd = end;
        return { text: r.text.slice(start, end), start, end };
      });
      const mine = new Set<string>();
      s.entities.forEach((e, ei) => {
        checkSpan(e.start, e.end, tokens.length, loc, `${at}.entities[${ei}]`);
        if (ids.has(e.id)) fail(`duplicate entity id ${quote(e.id)}`, loc, `${at}.entities[${ei}].id`);
        ids.add(e.id);
        mine.add(e.id);
      });
      s.relations.forEach((x, ri) => {
        for (const role of ['head', 'tail'] as const)
          if (!mine.has(x[role])) fail(`unknown entity ${quote(x[role])} (not in this sentence)`, loc, `${at}.relations[${ri}].${role}`);
      });
      return { tokens, entities: s.entities, relations: s.relations };
    });
    yield { value: { id: r.id, text: r.text, sentences }, loc };
  }
}

async function* jsonlRecords(docs: Source<Document>) {
  for await (const d of docs) {
    refuseUnreadable(d, 'jsonl');
    yield {
      id: d.id,
      text: d.text,
      sentences: d.sentences.map((s) => ({
        tokens: s.tokens.map((t) => [t.start, t.end]),
        entities: s.entities.map(({ id, type, start, end }) => ({ id, type, start, end })),
        relations: s.relations.map(({ type, head, tail }) => ({ type, head, tail })),
      })),
    };
  }
}

export const jsonl: Format = {
  name: 'jsonl',
  description: "entrel's canonical JSON Lines, a document a line, character offsets into the text",
  read,
  schema: async (file, opts) => {
    const sidecar = opts.typesFile ?? typesFileFor(file);
    const exists = await access(sidecar).then(() => true, () => false);
    return exists ? { ...(await readTypesFile(sidecar)), source: sidecar } : undefined;
  },
  write: async (docs, schema, out, diagnostics) => {
    // The data and its types file together: a failure leaves neither half of a new pair.
    await writeAtomicTogether([
      { out, pieces: jsonLinesText(jsonlRecords(docs)) },
      { out: typesFileFor(out), pieces: [typesFileText(schema)] },
    ], countSkippedCompanion(diagnostics, 'the types file'));
  },
};
