/**
 * Mutations of a valid input file, as fast-check arbitraries: what real annotation exports and
 * half-written files look like when they go wrong. Each mutation starts from the bytes of a valid file and
 * returns new bytes plus a short name (the bench counts cases per name).
 *
 * - byte level: truncation, bit flips, invalid UTF-8 sequences spliced in, a line deleted or duplicated;
 * - JSON level (for JSON and JSON Lines): one value anywhere in the tree replaced by a value of the wrong
 *   type, a huge or non-integer number, a deeply nested array, a long string, or a key deleted;
 * - field level (for TSV and brat): one tab- or space-separated field replaced by the same kind of values.
 */
import fc from 'fast-check';

export interface Mutated {
  kind: string;
  bytes: Buffer;
}

/** Byte sequences no UTF-8 decoder may accept: a lone continuation, an overlong NUL, a surrogate, 0xFF. */
const INVALID_UTF8 = [[0x80], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xff], [0xc3], [0xf4, 0x90, 0x80, 0x80]].map((b) => Buffer.from(b));

/** Raw JSON texts that are valid JSON but hostile values (written verbatim, so 1e400 stays 1e400). */
const DEEP = 100_000;
const HOSTILE_JSON = [
  '1e400', '-1e400', '123456789012345678901234567890', '9007199254740993', '-1', '-0', '0.5', '2147483648',
  'null', 'true', '""', '"x"', '{}', '[]', '[[]]', '{"__proto__": {"x": 1}}',
  '['.repeat(DEEP) + ']'.repeat(DEEP),
  '{"a":'.repeat(DEEP / 10) + '1' + '}'.repeat(DEEP / 10),
  JSON.stringify('é😀\u0000\u2028'.repeat(2000)),
  JSON.stringify('\uD800'), // a lone surrogate escape: valid JSON, not valid Unicode
];

/** Field values for line formats: numbers out of every range, empties, separators, junk. */
const HOSTILE_FIELD = [
  '', '-1', '0', '99999999999999999999999', '1e400', 'NaN', '1.5', ' ', '\t', '[', "['", '[1,', 'B-', 'I-X', 'T', 'R1',
  'Arg1:', 'x'.repeat(5000),
];

const splice = (b: Buffer, at: number, del: number, ins: Buffer) =>
  Buffer.concat([b.subarray(0, at), ins, b.subarray(Math.min(b.length, at + del))]);

const truncate = (seed: Buffer) => fc.nat(seed.length).map((n): Mutated => ({ kind: 'truncate', bytes: seed.subarray(0, n) }));

const flip = (seed: Buffer) =>
  fc.array(fc.tuple(fc.nat(Math.max(0, seed.length - 1)), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }).map(
    (flips): Mutated => {
      const b = Buffer.from(seed);
      for (const [at, mask] of flips) if (at < b.length) b[at] ^= mask;
      return { kind: 'byte-flip', bytes: b };
    },
  );

const nonUtf8 = (seed: Buffer) =>
  fc.tuple(fc.nat(seed.length), fc.constantFrom(...INVALID_UTF8)).map(([at, bad]): Mutated => ({ kind: 'non-utf8', bytes: splice(seed, at, 0, bad) }));

/** Lines as [start, end) byte ranges including their '\n'. */
function lineRanges(b: Buffer): [number, number][] {
  const out: [number, number][] = [];
  let from = 0;
  while (from < b.length) {
    const nl = b.indexOf(0x0a, from);
    const end = nl === -1 ? b.length : nl + 1;
    out.push([from, end]);
    from = end;
  }
  return out.length ? out : [[0, 0]];
}

const lineEdit = (seed: Buffer) => {
  const lines = lineRanges(seed);
  return fc.tuple(fc.nat(lines.length - 1), fc.boolean()).map(([i, dup]): Mutated => {
    const [a, b] = lines[i];
    return dup
      ? { kind: 'line-duplicated', bytes: splice(seed, b, 0, seed.subarray(a, b)) }
      : { kind: 'line-deleted', bytes: splice(seed, a, b - a, Buffer.alloc(0)) };
  });
};

/** Paths to every value of a JSON tree (the root included), in document order. */
function valuePaths(v: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(path);
  if (Array.isArray(v)) v.forEach((x, i) => valuePaths(x, [...path, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) valuePaths(x, [...path, k], out);
  return out;
}

const MARK = '"\u0000hostile\u0000"';

/**
 * `text` (one JSON value) with the value at path index `i` replaced by `raw` (or deleted, when `raw` is
 * undefined and the parent is an object). The replacement is spliced into the serialised text, so huge
 * literals and deep nesting reach the reader byte for byte.
 */
function replaceValue(text: string, i: number, raw: string | undefined): string {
  const root = JSON.parse(text) as unknown;
  const paths = valuePaths(root);
  const path = paths[i % paths.length];
  if (path.length === 0) return raw ?? '';
  const parent = path.slice(0, -1).reduce<any>((node, k) => node[k], root);
  const key = path[path.length - 1];
  if (raw === undefined && !Array.isArray(parent)) delete parent[key];
  else parent[key] = MARK;
  return JSON.stringify(root).replace(MARK, () => raw ?? 'null');
}

/** JSON-level mutation of one value: of the whole file, or of one line of JSON Lines. */
const jsonValue = (seed: Buffer, lines: boolean) => {
  const text = seed.toString('utf8');
  const units = lines ? text.split('\n') : [text];
  const candidates = units.map((u, i) => [u, i] as const).filter(([u]) => u.trim() !== '');
  return fc
    .tuple(fc.nat(candidates.length - 1), fc.nat(), fc.option(fc.constantFrom(...HOSTILE_JSON), { freq: 8 }))
    .map(([c, node, raw]): Mutated => {
      const [unit, at] = candidates[c];
      const next = [...units];
      next[at] = replaceValue(unit, node, raw ?? undefined);
      return { kind: raw === null ? 'json-key-deleted' : hostileKind(raw), bytes: Buffer.from(next.join('\n')) };
    });
};

function hostileKind(raw: string): string {
  if (raw.startsWith('[[[') || raw.startsWith('{"a":{')) return 'json-deep-nesting';
  if (/^-?[\d.e]+$/.test(raw) && raw.length > 3) return 'json-huge-number';
  if (raw.length > 1000) return 'json-long-string';
  return 'json-wrong-type';
}

/** Field-level mutation of a line format: one field of one line, split on tabs (or spaces in brat). */
const field = (seed: Buffer) => {
  const lines = seed.toString('utf8').split('\n');
  return fc
    .tuple(fc.nat(lines.length - 1), fc.nat(), fc.constantFrom(...HOSTILE_FIELD), fc.constantFrom('\t', ' '))
    .map(([li, fi, value, sep]): Mutated => {
      const parts = lines[li].split(sep);
      parts[fi % parts.length] = value;
      const next = [...lines];
      next[li] = parts.join(sep);
      return { kind: 'field-replaced', bytes: Buffer.from(next.join('\n')) };
    });
};

export type Shape = 'json' | 'jsonl' | 'lines';

/** Every mutation that fits an input of this shape, equally likely by family. */
export function mutation(seed: Buffer, shape: Shape): fc.Arbitrary<Mutated> {
  const generic = [truncate(seed), flip(seed), nonUtf8(seed), lineEdit(seed)];
  const specific = shape === 'lines' ? [field(seed), field(seed)] : [jsonValue(seed, shape === 'jsonl'), jsonValue(seed, shape === 'jsonl')];
  return fc.oneof(...generic, ...specific);
}
