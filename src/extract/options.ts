/**
 * Extraction options checked against the model's label schema before any work is done, so that a typo
 * in a type name is a clear error instead of silently filtering everything out.
 */
import type { LabelSchema } from '../data/corpus.js';
import { checkOptions, described, quote, UserError } from '../errors.js';
import type { ExtractControl, ExtractOptions } from './types.js';

/** What the splitter and the decoder apply: the options with defaults filled in and triples as a lookup set. */
export interface ResolvedExtractOptions {
  relationThreshold: number;
  /** `head type\trelation\ttail type` keys; undefined = everything allowed. */
  allowedTriples?: Set<string>;
  maxPairDistance: number;
  newlines: NonNullable<ExtractOptions['newlines']>;
}

/** The option names `extract` takes: any other key is a typo, an error rather than silently ignored. */
const OPTION_NAMES = ['relationThreshold', 'allowedTriples', 'maxPairDistance', 'newlines'];
const NEWLINES: readonly unknown[] = ['paragraph', 'line', 'none'];

/** The names `extract`'s third argument takes. */
const CONTROL_NAMES = ['signal'];

/** `extract`'s third argument checked (Extractor and EnsembleExtractor both take it), `{}` when not given. */
export function checkExtractControl(control: ExtractControl | undefined): ExtractControl {
  checkOptions(control, 'control', CONTROL_NAMES);
  const signal = control?.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw new UserError(`must be an AbortSignal (e.g. AbortSignal.timeout(ms) or an AbortController's signal), got ${described(signal)}`, { field: 'signal' });
  return control ?? {};
}

export const tripleKey = (head: string, relation: string, tail: string): string => `${head}\t${relation}\t${tail}`;

export function resolveExtractOptions(options: ExtractOptions | undefined, schema: LabelSchema): ResolvedExtractOptions {
  const fail = (field: string, msg: string): never => {
    throw new UserError(msg, { field });
  };
  checkOptions(options, 'options', OPTION_NAMES);
  const o = options ?? {};
  // undefined is "not given"; null is no threshold and no distance either, so it is refused like any other non-number.
  const t = o.relationThreshold === undefined ? 0 : o.relationThreshold;
  if (typeof t !== 'number' || !(t >= 0 && t <= 1)) fail('relationThreshold', `must be a number in [0, 1], got ${described(t)}`);
  const d = o.maxPairDistance === undefined ? Infinity : o.maxPairDistance;
  if (d !== Infinity && !(Number.isInteger(d) && d >= 1))
    fail('maxPairDistance', `must be a positive integer (tokens), got ${described(d)}`);
  const newlines = o.newlines === undefined ? 'paragraph' : o.newlines;
  if (!NEWLINES.includes(newlines)) fail('newlines', `must be "paragraph", "line" or "none", got ${described(newlines)}`);
  let allowed: Set<string> | undefined;
  if (o.allowedTriples !== undefined) {
    if (!Array.isArray(o.allowedTriples)) fail('allowedTriples', 'must be a list of [head type, relation, tail type]');
    const entities = new Set(schema.entityTypes);
    const relations = new Set(schema.relationTypes.map((r) => r.name));
    const known = (kind: string, set: Set<string>) => `the model's ${kind} types are ${[...set].join(', ')}`;
    allowed = new Set();
    o.allowedTriples.forEach((triple, i) => {
      const field = `allowedTriples[${i}]`;
      if (!Array.isArray(triple) || triple.length !== 3 || triple.some((x) => typeof x !== 'string'))
        fail(field, `must be [head type, relation, tail type], got ${quote(triple)}`);
      const [h, r, tl] = triple;
      if (!entities.has(h)) fail(field, `unknown entity type "${h}" (${known('entity', entities)})`);
      if (!relations.has(r)) fail(field, `unknown relation type "${r}" (${known('relation', relations)})`);
      if (!entities.has(tl)) fail(field, `unknown entity type "${tl}" (${known('entity', entities)})`);
      allowed!.add(tripleKey(h, r, tl));
    });
  }
  return { relationThreshold: t, allowedTriples: allowed, maxPairDistance: d, newlines };
}
