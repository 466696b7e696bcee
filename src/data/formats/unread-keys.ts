/**
 * Keys of a record that its reader does not read. zod's objects drop them without a word, and the lists of
 * a record are optional: a misspelt `entites` would read as no entities at all. So each key holding
 * something (not null, "", [] or {}: doccano's `"Comments": []`) is counted as `<format>-field-dropped`,
 * once per record and kind of part (the record, its entities…) it is in, and a key one edit from a list
 * key of its part (`relation`, `Entities`) is refused, naming it: all its annotations would be lost.
 */
import { counted, formatWhere, quote, type ErrorLocation } from '../../errors.js';
import type { Diagnostics } from '../diagnostics.js';
import { editDistance } from '../edit-distance.js';
import { fail } from '../validate.js';

/**
 * A kind of part of a record: what a warning calls it (`entity`; `record` for the record itself), the keys
 * read, those holding a list of annotations, and the shapes of the objects listed under a key.
 */
export interface PartShape {
  kind: string;
  known: readonly string[];
  lists?: readonly string[];
  parts?: Readonly<Record<string, PartShape>>;
}

const holdsNothing = (v: unknown) =>
  v === null || v === '' || (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && Object.keys(v).length === 0);

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Refuses a near miss of a list key in `record` (read at `loc`) and counts its other unread keys as
 * `<format>-field-dropped` (see the module comment). Parts that are not plain objects are skipped: the
 * reader's own check names what they are.
 */
export function countUnreadKeys(record: unknown, shape: PartShape, format: string, loc: ErrorLocation, diagnostics: Diagnostics): void {
  const unread = new Map<string, { kind: string; key: string; n: number }>(); // by kind and key
  const visit = (part: unknown, shape: PartShape, field: string) => {
    if (!isPlainObject(part)) return;
    const at = (key: string) => (field ? `${field}.${key}` : key);
    for (const [key, value] of Object.entries(part)) {
      if (shape.known.includes(key)) continue;
      const near = shape.lists?.find((list) => editDistance([...key], [...list], 1) <= 1);
      if (near !== undefined) fail(`not a key of this format: is it ${quote(near)}? (read as it is, all it holds would be lost)`, loc, at(key));
      if (holdsNothing(value)) continue;
      const k = JSON.stringify([shape.kind, key]);
      const seen = unread.get(k) ?? { kind: shape.kind, key, n: 0 };
      unread.set(k, { ...seen, n: seen.n + 1 });
    }
    for (const [key, inner] of Object.entries(shape.parts ?? {})) {
      const list = Object.hasOwn(part, key) ? part[key] : undefined;
      if (Array.isArray(list)) list.forEach((item, i) => visit(item, inner, `${at(key)}[${i}]`));
    }
  };
  visit(record, shape, '');
  for (const { kind, key, n } of unread.values()) {
    const of = kind === 'record' ? '' : ` of ${counted(n, kind, kind.replace(/y$/, 'ie') + 's')}`;
    diagnostics.warn(`${format}-field-dropped`, `${formatWhere(loc)}: ${quote(key)}${of}`);
  }
}
