/** Record validation shared by the readers: zod shapes, then span checks, all as located UserErrors. */
import { z } from 'zod';
import { UserError, type ErrorLocation } from '../errors.js';

/** An entity or relation type: a non-empty string (a model with an empty type could not be loaded back). */
export const label = () => z.string().min(1, 'empty type');

/** `entities[2].end` from a zod issue path. */
export function fieldPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

export function fail(message: string, loc: ErrorLocation, field?: string): never {
  throw new UserError(message, field === undefined ? loc : { ...loc, field });
}

/** Parses `value` with `schema` or throws the first issue, naming its field. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, loc: ErrorLocation): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = fieldPath(issue.path);
  return fail(issue.message, loc, field === '' ? undefined : field);
}

/** Checks a half-open span `[start, end)` inside `[0, limit]`; `what` names the unit (tokens, chars). */
export function checkSpan(
  start: number,
  end: number,
  limit: number,
  loc: ErrorLocation,
  field: string,
  what = 'tokens',
): void {
  if (start < 0) fail(`start ${start} is negative`, loc, field);
  if (end <= start) fail(`end ${end} is not after start ${start}`, loc, field);
  if (end > limit) fail(`end ${end} is past the end (${limit} ${what})`, loc, field);
}
