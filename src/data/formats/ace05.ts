/**
 * What the paper's lib/ace2005_data_preprocess.py does to ACE05's relations (reference spec §1.5), for
 * every format ACE05 comes in (`ace05`: brat, LSTM-ER's own output; dygie and unified, as DyGIE/PURE and
 * others ship it): PER-SOC is symmetric, and its arguments are put in text order, so only `PER-SOC-->`
 * occurs. What is brat's alone (its 3 header lines, the date line, `.split` ids) is brat.ts's.
 */
import type { LabelSchema } from '../corpus.js';
import type { TokenSentence } from './common.js';

/** The formats `ace05` applies to. */
export const ACE05_FORMATS: ReadonlySet<string> = new Set(['brat', 'dygie', 'unified']);

/** The schema ACE05 read with `ace05` declares: PER-SOC symmetric. */
export const ACE05_SCHEMA: Partial<LabelSchema> = { relationTypes: [{ name: 'PER-SOC', symmetric: true }] };

/** Whether a relation's arguments are to be swapped: PER-SOC whose first argument starts after its second. */
export const outOfTextOrder = (type: string, head: { start: number }, tail: { start: number }): boolean => type === 'PER-SOC' && head.start > tail.start;

/** A sentence of a token format with its PER-SOC relations in text order. */
export function inTextOrder(s: TokenSentence): TokenSentence {
  const ordered = (r: TokenSentence['relations'][number]) => (outOfTextOrder(r.type, s.entities[r.head], s.entities[r.tail]) ? { ...r, head: r.tail, tail: r.head } : r);
  return { ...s, relations: s.relations.map(ordered) };
}
