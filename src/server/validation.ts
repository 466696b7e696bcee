import type { FastifySchemaValidationError } from 'fastify';
import { clip } from './errors.js';

/** Ajv's error with `verbose: true`, which adds the schema the failing keyword sits in and the value. */
interface AjvError extends FastifySchemaValidationError {
  parentSchema?: { properties?: Record<string, unknown> };
  data?: unknown;
}

/**
 * Fastify's `schemaErrorFormatter`: one message naming the field of each Ajv error, as a JavaScript path
 * from the part of the request (`body.documents[0].sentences[1].start must be >= 0`), and the property
 * itself for an unknown one (`body has unknown property "threshold" (allowed: text, texts, …)`).
 */
export function formatValidationErrors(errors: FastifySchemaValidationError[], dataVar: string): Error {
  return new Error(withoutAlternatives(errors as AjvError[], dataVar).join('; '));
}

/**
 * Ajv reports every failed alternative of an `anyOf` (`texts[1]`: a string, or a `{text, entities}`
 * object) and then the `anyOf` itself. Kept: the reasons of the alternative of the right type (an unknown
 * property, a missing one, a bad entity), or, where the value's type fits none, the types it may have.
 */
function withoutAlternatives(errors: AjvError[], dataVar: string): string[] {
  const anyOf = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const types = new Map<string, string[]>();
  const out: string[] = [];
  for (const e of errors) {
    if (!anyOf.has(e.instancePath)) out.push(describe(e, dataVar));
    else if (e.keyword === 'type') types.set(e.instancePath, [...(types.get(e.instancePath) ?? []), String(e.params.type)]);
    else if (e.keyword !== 'anyOf') out.push(describe(e, dataVar));
  }
  for (const [path, allowed] of types) {
    const deeper = errors.some((e) => (e.instancePath === path && e.keyword !== 'type' && e.keyword !== 'anyOf') || e.instancePath.startsWith(`${path}/`));
    if (!deeper) out.push(`${fieldPath(dataVar, path)} must be ${allowed.join(' or ')}`);
  }
  return out;
}

function describe(e: AjvError, dataVar: string): string {
  const at = fieldPath(dataVar, e.instancePath);
  switch (e.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys(e.parentSchema?.properties ?? {});
      const list = allowed.length > 0 ? ` (allowed: ${clip(allowed.join(', '), 300)})` : '';
      return `${at} has unknown property ${JSON.stringify(clip(String(e.params.additionalProperty)))}${list}`;
    }
    case 'type':
      // JSON's 1e999 reads as Infinity, which Ajv refuses as a number: "must be number" would puzzle.
      if (typeof e.data === 'number' && !Number.isFinite(e.data)) return `${at} must be a finite number, got ${e.data} (${e.data > 0 ? 'too large' : 'too small'} for a number)`;
      return `${at} ${e.message ?? 'has the wrong type'}`;
    case 'enum': {
      const values = (e.params.allowedValues as unknown[] | undefined) ?? [];
      return `${at} must be one of ${clip(values.map((v) => JSON.stringify(v)).join(', '), 300)}`;
    }
    default:
      return `${at} ${e.message ?? `fails ${e.keyword}`}`;
  }
}

/** `body` + JSON pointer `/documents/0/text` → `body.documents[0].text`; other names quoted, long ones cut. */
function fieldPath(root: string, pointer: string): string {
  if (pointer === '') return root;
  let path = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^(0|[1-9]\d*)$/.test(key)) path += `[${key}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(key) && key.length <= 100) path += `.${key}`;
    else path += `[${JSON.stringify(clip(key))}]`;
  }
  return path;
}
