/**
 * A Label Studio labelling config (its XML), read for what pre-annotation needs: the `<Text>` whose data
 * field holds the text, the `<Labels>` control on it, and the entity and relation types the project offers.
 * A small tag scanner rather than an XML parser: the config comes in a request, so it reads in one pass
 * (linear time, whatever the input), skips comments, and takes what Label Studio's own parser takes
 * (`toName="a,b"` lists, either quote, character references), and the ML backends' `predicted_values`.
 */

import { OWN_NAMES } from '../data/formats/labelstudio.js';

/** Where entrel's predictions go in a project. */
export interface LabelStudioTarget {
  textName: string;
  labelsName: string;
  /** The task data field holding the text. */
  field?: string;
  /** The types the project offers (undefined: no list, take every type). */
  entityTypes?: ReadonlySet<string>;
  relationTypes?: ReadonlySet<string>;
  /**
   * A model's type → the project's label, from `predicted_values="A,B"` on a `<Label>` or `<Relation>` (the
   * ML backends' convention for a project whose labels are named otherwise than the model's types).
   */
  entityMap?: ReadonlyMap<string, string>;
  relationMap?: ReadonlyMap<string, string>;
}

/** The project's name for a model's type (itself where the config maps it to nothing). */
export const projectLabel = (map: ReadonlyMap<string, string> | undefined, type: string): string => map?.get(type) ?? type;

/**
 * Longest labelling config a server reads, in characters (Label Studio's are a few KB; a hundred labels
 * with colours and hotkeys stays far below this).
 */
export const MAX_LABEL_CONFIG_LENGTH = 256 * 1024;

/** entrel's own config (data/formats/labelstudio.ts labelConfigText). */
export const DEFAULT_TARGET: LabelStudioTarget = { textName: OWN_NAMES.to, labelsName: OWN_NAMES.from, field: 'text' };

interface Tag {
  name: string;
  close: boolean;
  self: boolean;
  attrs: Map<string, string>;
}

const ENTITIES: Record<string, string> = { quot: '"', apos: "'", lt: '<', gt: '>', amp: '&' };

function unescape(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|quot|apos|lt|gt|amp);/g, (m, ref: string) => {
    if (ref[0] !== '#') return ENTITIES[ref];
    const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });
}

/**
 * An attribute `name="value"` (or 'value'). A name starts only where a run of name characters starts: else,
 * in a tag of n name characters and no `=`, the match was tried from each of them to the run's end
 * (n²/2 steps: a config of 300 KB held a server thread for 100 s).
 */
const ATTRIBUTE = /(?<![\w:.-])([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** The tags of `xml` in order, comments skipped; each character is looked at a bounded number of times. */
function tags(xml: string): Tag[] {
  const out: Tag[] = [];
  let i = 0;
  while ((i = xml.indexOf('<', i)) >= 0) {
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end < 0) break;
      i = end + 3;
      continue;
    }
    // The tag's end: the first '>' outside quotes. Without one the rest is no tag: stop (never rescan).
    let j = i + 1;
    let quote = '';
    for (; j < xml.length; j++) {
      const c = xml[j];
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '>') break;
    }
    if (j >= xml.length) break;
    const body = xml.slice(i + 1, j);
    i = j + 1;
    const head = /^(\/?)([A-Za-z][\w.-]*)/.exec(body);
    if (!head) continue; // <?xml …?>, <!DOCTYPE …>, stray '<'
    const attrs = new Map<string, string>();
    for (const a of body.slice(head[0].length).matchAll(ATTRIBUTE)) attrs.set(a[1], unescape(a[2] ?? a[3]));
    out.push({ name: head[2], close: head[1] === '/', self: body.endsWith('/'), attrs });
  }
  return out;
}

/**
 * The target in a labelling config, or undefined when it has no `<Labels>` on a `<Text>`: the project is
 * not one entrel can pre-annotate. The first such `<Labels>` is taken; of a `toName` list, its first `<Text>`.
 */
export function readLabelConfig(xml: string): LabelStudioTarget | undefined {
  const all = tags(xml);
  const texts = new Map<string, string | undefined>();
  for (const t of all) if (!t.close && t.name === 'Text') texts.set(t.attrs.get('name') ?? '', t.attrs.get('value')?.replace(/^\$/, ''));
  let target: LabelStudioTarget | undefined;
  let inLabels = false;
  let inRelations = false;
  const entityTypes = new Set<string>();
  const relationTypes = new Set<string>();
  const entityMap = new Map<string, string>();
  const relationMap = new Map<string, string>();
  const mapped = (t: Tag, into: Map<string, string>) => {
    const value = t.attrs.get('value') ?? '';
    for (const p of (t.attrs.get('predicted_values') ?? '').split(',').map((x) => x.trim()).filter(Boolean)) if (!into.has(p)) into.set(p, value);
    return value;
  };
  for (const t of all) {
    if (t.name === 'Labels') {
      if (t.close) inLabels = false;
      else if (!target) {
        const textName = (t.attrs.get('toName') ?? '').split(',').map((n) => n.trim()).find((n) => texts.has(n));
        if (textName === undefined) continue;
        target = { textName, labelsName: t.attrs.get('name') ?? '', field: texts.get(textName) };
        inLabels = !t.self;
      }
    } else if (t.name === 'Relations') inRelations = !t.close && !t.self;
    else if (!t.close && t.name === 'Label' && inLabels) entityTypes.add(mapped(t, entityMap));
    else if (!t.close && t.name === 'Relation' && inRelations) relationTypes.add(mapped(t, relationMap));
  }
  return target && {
    ...target,
    ...(entityTypes.size && { entityTypes }),
    ...(relationTypes.size && { relationTypes }),
    ...(entityMap.size && { entityMap }),
    ...(relationMap.size && { relationMap }),
  };
}
