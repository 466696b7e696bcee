import type { ExtractedDocument, ExtractedEntity } from '../extract/types.js';
import { statusOf, statusWords } from './marks.js';

/**
 * What a drawing shows, as sentences for its `<desc>`: a screen reader reads a `role="img"` SVG as its
 * name and description only (its text elements, scattered over rows and arcs, are not read), so without
 * this a listener hears "3 entities, 2 relations" and nothing of them. Compared items say their status.
 */
/** Longest name of an argument repeated with each of its relations (in the description and the arcs' titles). */
const MAX_ARGUMENT_NAME = 60;

/**
 * `name`, cut to MAX_ARGUMENT_NAME characters with `…`: an entity's name is repeated for every relation it
 * has, so a long entity with thousands of relations made a drawing of gigabytes.
 */
export function argumentName(name: string): string {
  if (name.length <= MAX_ARGUMENT_NAME) return name;
  const cut = /[\ud800-\udbff]/.test(name[MAX_ARGUMENT_NAME - 1]) ? MAX_ARGUMENT_NAME - 1 : MAX_ARGUMENT_NAME; // not inside a surrogate pair
  return `${name.slice(0, cut)}…`;
}

export function describeDrawing(doc: ExtractedDocument, drawn: ExtractedEntity[]): string {
  const byId = new Map(drawn.map((e) => [e.id, e]));
  const name = (e: ExtractedEntity) => doc.text.slice(e.start, e.end);
  const entities = drawn.map((e) => `${name(e)} (${e.type}${statusWords(e)})`);
  const relations = doc.relations.flatMap((r) => {
    const [head, tail] = [byId.get(r.head), byId.get(r.tail)];
    // A comparison often has one text twice, typed differently in gold and predictions: say which.
    const arg = (e: ExtractedEntity) => (statusOf(r) ? `${argumentName(name(e))} (${e.type})` : argumentName(name(e)));
    return head && tail && head !== tail ? [`${r.type} from ${arg(head)} to ${arg(tail)}${statusWords(r)}`] : [];
  });
  const parts = [];
  if (entities.length > 0) parts.push(`Entities: ${entities.join(', ')}.`);
  if (relations.length > 0) parts.push(`Relations: ${relations.join('; ')}.`);
  return parts.join(' ');
}
