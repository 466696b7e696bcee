import type { ExtractedDocument, ExtractedEntity } from '../extract/types.js';
import { statusOf, statusWords } from './marks.js';

/** Longest text of an entity (its name, its type) repeated with each of its relations (in the description and the arcs' titles). */
const MAX_REPEATED = 60;

/**
 * `text`, cut to MAX_REPEATED characters with `…`: what is said of an entity in each of its relations is
 * repeated as many times as it has relations, so a long name or type with thousands of relations made a
 * drawing of gigabytes. Cut so, the drawing stays in proportion to the request.
 */
export function repeatedText(text: string): string {
  if (text.length <= MAX_REPEATED) return text;
  const cut = /[\ud800-\udbff]/.test(text[MAX_REPEATED - 1]) ? MAX_REPEATED - 1 : MAX_REPEATED; // not inside a surrogate pair
  return `${text.slice(0, cut)}…`;
}

/**
 * What a drawing shows, as sentences for its `<desc>`: a screen reader reads a `role="img"` SVG as its
 * name and description only (its text elements, scattered over rows and arcs, are not read), so without
 * this a listener hears "3 entities, 2 relations" and nothing of them. Compared items say their status.
 */
export function describeDrawing(doc: ExtractedDocument, drawn: ExtractedEntity[]): string {
  const byId = new Map(drawn.map((e) => [e.id, e]));
  const name = (e: ExtractedEntity) => doc.text.slice(e.start, e.end);
  const entities = drawn.map((e) => `${name(e)} (${e.type}${statusWords(e)})`);
  const relations = doc.relations.flatMap((r) => {
    const [head, tail] = [byId.get(r.head), byId.get(r.tail)];
    // A comparison often has one text twice, typed differently in gold and predictions: say which.
    const arg = (e: ExtractedEntity) => repeatedText(name(e)) + (statusOf(r) ? ` (${repeatedText(e.type)})` : '');
    return head && tail && head !== tail ? [`${r.type} from ${arg(head)} to ${arg(tail)}${statusWords(r)}`] : [];
  });
  const parts = [];
  if (entities.length > 0) parts.push(`Entities: ${entities.join(', ')}.`);
  if (relations.length > 0) parts.push(`Relations: ${relations.join('; ')}.`);
  return parts.join(' ');
}
