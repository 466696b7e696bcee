/**
 * CoType NYT JSON Lines, read exactly as the paper's lib/nyt_data_preprocess.py (reference spec §1.6):
 * strip, fold the accented letters below to ASCII, drop a `"…"` wrapper, split on single spaces (the empty
 * token of two spaces in a row dropped, counted); each mention is the FIRST occurrence of its token sequence
 * (where the sequence occurs more than once, counted: `nyt-mention-text-ambiguous`, and
 * `nyt-mention-placed-inside-another` where that first occurrence lies inside another mention, `Mexico` in
 * `Mexico City`); `None` relations are dropped; relation arguments are found by text, the last mention with that text winning. One document per sentence, id
 * `articleId-sentId`. Where the paper's code would crash (a mention not found) we skip with a warning.
 */
import { z } from 'zod';
import { readJsonLines } from '../json-lines.js';
import type { Located } from '../located.js';
import { fail, label, parseWith, tokenProblem } from '../validate.js';
import { tokenDocument, type TokenSpan } from './common.js';
import devIds from '../nyt-dev-ids.json' with { type: 'json' };
import type { Document } from '../corpus.js';
import type { Format, ReadOptions } from './types.js';

const LATIN: Record<string, string> = {
  á: 'a', â: 'a', Á: 'A', É: 'E', è: 'e', é: 'e', ê: 'e', í: 'i', ó: 'o', ô: 'o', ö: 'o', Ó: 'O', ú: 'u', ü: 'u', ñ: 'n',
};
const foldLatin = (s: string) => s.replace(/[áâÁÉèéêíóôöÓúüñ]/g, (c) => LATIN[c]);

const id = z.union([z.string(), z.number()]);
const Rec = z.object({
  sentId: id,
  articleId: id,
  sentText: z.string(),
  entityMentions: z.array(z.object({ start: z.number().int(), label: label(), text: z.string() })),
  relationMentions: z.array(z.object({ em1Text: z.string(), em2Text: z.string(), label: label() })),
});

/** `text` split on single spaces, as the paper splits it, without the empty tokens of two spaces in a row. */
const words = (text: string) => text.split(' ').filter((t) => t !== '');

/** Where the token sequence `toks` occurs in `tokens`, in order. */
function occurrences(tokens: string[], toks: string[]): number[] {
  const at: number[] = [];
  outer: for (let i = 0; i + toks.length <= tokens.length; i++) {
    for (let k = 0; k < toks.length; k++) if (tokens[i + k] !== toks[k]) continue outer;
    at.push(i);
  }
  return at;
}

export const NYT_DEV_IDS: ReadonlySet<string> = new Set(devIds.dev);

async function* read(file: string, opts: ReadOptions): AsyncGenerator<Located<Document>> {
  const d = opts.diagnostics;
  const split = opts.split ?? 'all';
  let devSeen = 0;
  for await (const { value, loc } of readJsonLines(file)) {
    const r = parseWith(Rec, value, loc);
    const docId = `${r.articleId}-${r.sentId}`;
    const isDev = NYT_DEV_IDS.has(docId);
    if (isDev) devSeen++;
    if ((split === 'dev' && !isDev) || (split === 'test' && isDev)) continue;
    const where = `${file}:${loc.line} (${docId})`;

    let text = foldLatin(r.sentText.trim());
    if (text.length > 1 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1);
    const tokens = words(text);
    if (!tokens.length) fail('empty sentence', loc, 'sentText');
    // The paper's tokens hold an empty one for each two spaces in a row, which no other reader reads.
    const empty = text.split(' ').length - tokens.length;
    if (empty) d.warn('nyt-empty-token-dropped', `${where}: ${empty} (two spaces in a row; the text is split on single spaces)`);
    tokens.forEach((t, i) => {
      const bad = tokenProblem(t);
      if (bad) fail(`token ${i}: ${bad}`, loc, 'sentText');
    });

    const entities: TokenSpan[] = [];
    const bySpan = new Map<string, number>();
    const byText = new Map<string, number>();
    // Each entity placed at the first of several occurrences of its text, with that text.
    const ambiguous = new Map<number, string>();
    r.entityMentions.forEach((m, i) => {
      const mtext = foldLatin(m.text);
      const mtokens = words(mtext);
      const at = mtokens.length ? occurrences(tokens, mtokens) : [];
      if (!at.length) return d.warn('nyt-mention-not-found', `${where} entityMentions[${i}] "${m.text}"`);
      const [start, end] = [at[0], at[0] + mtokens.length];
      const key = `${start}:${end}:${m.label}`;
      let k = bySpan.get(key);
      if (k === undefined) bySpan.set(key, (k = entities.push({ type: m.label, start, end }) - 1));
      else d.warn('nyt-duplicate-mention-merged', `${where} "${m.text}"`);
      if (at.length > 1) {
        if (![...ambiguous.values()].includes(mtext)) d.warn('nyt-mention-text-ambiguous', `${where} "${m.text}" occurs ${at.length} times: placed at its first, token ${start}`);
        ambiguous.set(k, mtext);
      }
      byText.set(mtext, k);
    });
    for (const [k, mtext] of ambiguous) {
      const e = entities[k];
      const outer = entities.find((o) => o.start <= e.start && e.end <= o.end && o.end - o.start > e.end - e.start);
      if (outer) d.warn('nyt-mention-placed-inside-another', `${where} "${mtext}" at its first occurrence, inside "${tokens.slice(outer.start, outer.end).join(' ')}"`);
    }

    const relations: { type: string; head: number; tail: number }[] = [];
    const labels = new Map<string, string[]>();
    r.relationMentions.forEach((m, i) => {
      if (m.label === 'None') return d.warn('nyt-none-relation-dropped', `${where} relationMentions[${i}]`);
      const head = byText.get(foldLatin(m.em1Text));
      const tail = byText.get(foldLatin(m.em2Text));
      if (head === undefined || tail === undefined)
        return d.warn('nyt-relation-argument-not-found', `${where} relationMentions[${i}] "${m.em1Text}"→"${m.em2Text}"`);
      const pair = `${head}:${tail}`;
      const seen = labels.get(pair) ?? [];
      if (seen.includes(m.label)) return d.warn('nyt-duplicate-relation-dropped', `${where} relationMentions[${i}] ${m.label}`);
      if (seen.length) d.warn('nyt-pair-with-two-labels', `${where} ${seen[0]} + ${m.label}`);
      labels.set(pair, [...seen, m.label]);
      relations.push({ type: m.label, head, tail });
    });
    yield { value: tokenDocument(docId, [{ tokens, entities, relations }]), loc };
  }
  if (split !== 'all' && devSeen !== NYT_DEV_IDS.size)
    d.warn('nyt-dev-ids-not-in-file', `${file}: ${devSeen} of the ${NYT_DEV_IDS.size} dev ids found; the split is defined on CoType's test.json`);
}

export const nyt: Format = {
  name: 'nyt',
  description: "CoType NYT JSONL {sentId, articleId, sentText, entityMentions, relationMentions}, read as the paper does",
  read,
};
