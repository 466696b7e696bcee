import { entityLine } from '../data/formats/brat-fragments.js';
import { codePointOffsets } from '../data/formats/spans.js';
import { described, UserError } from '../errors.js';
import { checkDocument } from './args.js';
import type { ExtractedDocument } from './types.js';

/**
 * Predictions as a brat standoff `.ann` file (to pair with the text as `.txt`), so they can be corrected
 * in brat or INCEpTION and used for training again. Entities are `T` lines with character offsets in
 * code points (brat counts Python string indices; the document's UTF-16 offsets differ after an emoji,
 * and entrel's brat reader converts back), relations `R` lines. An entity that spans a line break is written as
 * fragments around it, as brat requires; spaces in type names become `_` (brat types are single words).
 */
export function toBratAnn(doc: ExtractedDocument): string {
  checkDocument(doc, 'doc');
  const lines: string[] = [];
  const ids = new Map<string, string>();
  const cp = codePointOffsets(doc.text);
  doc.entities.forEach((e, i) => {
    // A span outside the text would make a file brat rejects; a missing type, a TypeError here.
    const spanOk = Number.isInteger(e?.start) && Number.isInteger(e.end) && 0 <= e.start && e.start <= e.end && e.end <= doc.text.length;
    if (!spanOk || typeof e.type !== 'string')
      throw new UserError(`must be an entity {id, type, start, end} within the text (${doc.text.length} code units), got ${described(e)}`, { field: `doc.entities[${i}]` });
    const id = `T${i + 1}`;
    ids.set(e.id, id);
    lines.push(entityLine(id, bratName(e.type), doc.text, e.start, e.end, cp));
  });
  let r = 0;
  for (const [i, rel] of doc.relations.entries()) {
    if (typeof rel?.type !== 'string') throw new UserError(`must be a relation {type, head, tail}, got ${described(rel)}`, { field: `doc.relations[${i}]` });
    const head = ids.get(rel.head);
    const tail = ids.get(rel.tail);
    // A relation to an entity the document does not hold cannot be expressed; brat would reject the file.
    if (head && tail) lines.push(`R${++r}\t${bratName(rel.type)} Arg1:${head} Arg2:${tail}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

const bratName = (s: string) => s.replace(/\s+/g, '_');
