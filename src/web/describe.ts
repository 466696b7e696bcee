import type { ExtractedDocument, ExtractedEntity } from '../extract/types.js';
import { statusOf, statusWords } from './marks.js';
import { shorten } from './shorten.js';

/**
 * What a drawing shows, as sentences for its `<desc>`: a screen reader reads a `role="img"` SVG as its
 * name and description only (its text elements, scattered over rows and arcs, are not read), so without
 * this a listener hears "3 entities, 2 relations" and nothing of them. Compared items say their status.
 */
export function describeDrawing(doc: ExtractedDocument, drawn: ExtractedEntity[]): string {
  const byId = new Map(drawn.map((e) => [e.id, e]));
  const name = (e: ExtractedEntity) => doc.text.slice(e.start, e.end);
  const entities = drawn.map((e) => `${name(e)} (${shorten(e.type)}${statusWords(e)})`);
  const relations = doc.relations.flatMap((r) => {
    const [head, tail] = [byId.get(r.head), byId.get(r.tail)];
    // A comparison often has one text twice, typed differently in gold and predictions: say which.
    const arg = (e: ExtractedEntity) => shorten(name(e)) + (statusOf(r) ? ` (${shorten(e.type)})` : '');
    return head && tail && head !== tail ? [`${shorten(r.type)} from ${arg(head)} to ${arg(tail)}${statusWords(r)}`] : [];
  });
  const parts = [];
  if (entities.length > 0) parts.push(`Entities: ${entities.join(', ')}.`);
  if (relations.length > 0) parts.push(`Relations: ${relations.join('; ')}.`);
  return parts.join(' ');
}
