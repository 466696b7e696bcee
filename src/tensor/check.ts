/**
 * Checks of the numbers the tensor API passes to libtorch, made before the native call so that a wrong
 * one is refused naming the op and the argument. Without them NaN and ±Infinity became 0 and 1.5 became
 * 1 on the way into C++. The binding refuses the same values (intArg in src/native/entrel.cc); these
 * checks give JS errors earlier and cost a comparison or two.
 */

/** A value as an error message shows it. */
export function shown(v: unknown): string {
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'bigint') return `the BigInt ${v}n`;
  if (v === null || typeof v !== 'object') return String(v);
  return Array.isArray(v) ? 'an array' : 'an object';
}

function notAnInteger(op: string, what: string, v: unknown, range: string): Error {
  const msg = `${op}: ${what} must be ${range}, got ${shown(v)}`;
  return typeof v === 'number' ? new RangeError(msg) : new TypeError(msg);
}

/**
 * `v` as an integer argument (a dim, size, index or count): a finite integer within ±(2^53 − 1), where
 * every integer is exact in a double. Throws a RangeError (TypeError for a non-number) naming `op` and `what`.
 */
export function int(op: string, what: string, v: number): number {
  if (!Number.isSafeInteger(v)) throw notAnInteger(op, what, v, 'an integer within ±(2^53 − 1)');
  return v;
}

/** `v` as an integer argument from `lo` to `hi`. */
export function intIn(op: string, what: string, v: number, lo: number, hi: number): number {
  if (!Number.isSafeInteger(v) || v < lo || v > hi)
    throw notAnInteger(op, what, v, hi === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${lo}` : `an integer from ${lo} to ${hi}`);
  return v;
}

/** An optional integer argument: undefined and null pass as null (the binding's "none"). */
export function optInt(op: string, what: string, v: number | null | undefined): number | null {
  return v === undefined || v === null ? null : int(op, what, v);
}
