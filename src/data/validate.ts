/** Record validation shared by the readers: zod shapes, then span checks, all as located UserErrors. */
import { z } from 'zod';
import { described, quote, UserError, type ErrorLocation } from '../errors.js';

/** An entity or relation type: a non-empty string (a model with an empty type could not be loaded back). */
export const label = () => z.string().min(1, 'empty type');

/**
 * Why `text` cannot be a token, if it cannot: an empty token, or one with whitespace at an edge. The token
 * formats join tokens with spaces, and the raw-text writers would write an entity on such a token as a
 * span entrel's readers refuse (empty) or read back otherwise.
 */
export function tokenProblem(text: string): string | undefined {
  if (text === '') return 'empty token';
  if (/^\s|\s$/.test(text)) return `token ${quote(text)} starts or ends with whitespace`;
  return undefined;
}

/** A token of the pre-tokenised formats: a string `tokenProblem` finds nothing wrong with. */
export const tokenText = () =>
  z.string().superRefine((t, ctx) => {
    const why = tokenProblem(t);
    if (why) ctx.addIssue({ code: 'custom', message: why });
  });

/** `entities[2].end` from a zod issue path. */
export function fieldPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

export function fail(message: string, loc: ErrorLocation, field?: string): never {
  throw new UserError(message, field === undefined ? loc : { ...loc, field });
}

/**
 * Parses `value` with `schema` or throws the first issue, naming its field; `prefix` is the path of
 * `value` inside the record, for a part validated on its own.
 */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, loc: ErrorLocation, prefix: readonly PropertyKey[] = []): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const { path: inner, message } = explain(r.error.issues[0], [], value);
  const path = [...prefix, ...inner];
  const field = fieldPath(path);
  return fail(message, loc, field === '' ? undefined : field);
}

type Issue = z.core.$ZodIssue;

/** The part of `root` at `path` (a zod issue's), or undefined where the path leaves it. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const k of path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, k)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

const EXPECTED: Record<string, string> = {
  string: 'a string', number: 'a number', int: 'an integer', boolean: 'a boolean', array: 'an array',
  tuple: 'an array', object: 'an object', record: 'an object', null: 'null',
};
const expected = (t: string) => (Object.hasOwn(EXPECTED, t) ? EXPECTED[t] : t);

const expectedButGot = (want: string[], got: unknown) =>
  `expected ${[...new Set(want)].join(' or ')}, ${got === undefined ? 'but it is missing' : `got ${described(got)}`}`;

/**
 * A zod issue as a message that says what was expected and what the input holds. zod's own text for a
 * union is "Invalid input" and for a type "Invalid input: expected string, received undefined"; a union
 * whose branches all fail on the value's type becomes "expected a string or a number, got true",
 * and one whose branches got further (a union of shapes) is explained by the branch that got furthest.
 */
function explain(issue: Issue, prefix: readonly PropertyKey[], root: unknown): { path: PropertyKey[]; message: string } {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length) {
    const firsts = issue.errors.map((branch) => branch[0]).filter((x): x is Issue => x !== undefined);
    if (firsts.length && firsts.every((b) => b.code === 'invalid_type' && b.path.length === 0))
      return { path, message: expectedButGot(firsts.map((b) => expected((b as { expected: string }).expected)), valueAt(root, path)) };
    const furthest = firsts.reduce((a, b) => (b.path.length > a.path.length ? b : a), firsts[0]);
    if (furthest) return explain(furthest, path, root);
  }
  if (issue.code === 'invalid_type') return { path, message: expectedButGot([expected(issue.expected)], valueAt(root, path)) };
  return { path, message: issue.message };
}

/**
 * Checks that each relation's `head` and `tail` index one of `count` entities (SpERT's records);
 * `held` says where they are, for the message: "the record has 3".
 */
export function checkArgumentIndexes(relations: readonly { head: number; tail: number }[], count: number, held: string, loc: ErrorLocation): void {
  relations.forEach((r, i) => {
    for (const role of ['head', 'tail'] as const)
      if (r[role] < 0 || r[role] >= count) fail(`no entity ${r[role]} (${held})`, loc, `relations[${i}].${role}`);
  });
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
