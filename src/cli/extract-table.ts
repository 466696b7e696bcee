/** The readable form of one extracted document that `entrel extract "TEXT"` prints. */
import type { ExtractedDocument } from '../extract/types.js';
import { formatTable } from './output.js';

const score = (x: number) => x.toFixed(2);
/** Control characters and line breaks would break the table's alignment. */
const oneLine = (s: string) => s.replace(/[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, ' ');

export function formatExtraction(doc: ExtractedDocument): string {
  const out: string[] = [];
  const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
  out.push(
    `${n(doc.sentences.length, 'sentence', 'sentences')}, ${n(doc.entities.length, 'entity', 'entities')}, ` +
      n(doc.relations.length, 'relation', 'relations'),
  );
  if (doc.entities.length) {
    out.push('', formatTable(['id', 'type', 'text', 'start', 'end', 'score'], doc.entities.map((e) => [e.id, e.type, oneLine(e.text), e.start, e.end, score(e.score)])));
  }
  if (doc.relations.length) {
    const byId = new Map(doc.entities.map((e) => [e.id, e]));
    const arg = (id: string) => `${id} ${oneLine(byId.get(id)?.text ?? '')}`;
    out.push('', formatTable(['relation', 'head', 'tail', 'score'], doc.relations.map((r) => [r.type, arg(r.head), arg(r.tail), score(r.score)])));
  }
  return out.join('\n');
}
