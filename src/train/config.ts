/**
 * Reading a training configuration: a JSON file, adjusted with `--set key=value` and validated against
 * the schema (config-schema.ts: every key, its rule and its default).
 *
 * Paths in the file (`data.*`, `init`, `embeddings`) are relative to the directory of the config file; paths given
 * with `--set` are relative to the current directory (where the user typed them). Every validation
 * error is one line naming the file and the field; unknown keys are rejected with a suggestion.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseJsonFile } from '../data/io.js';
import { fieldPath, valueAt } from '../data/validate.js';
import { envCount, quote, UserError } from '../errors.js';
import { locateModel } from '../model/model-ref.js';
import type { ModelConfig } from '../model/types.js';
import { MAX_THREADS } from '../tensor/index.js';
import { DEFAULT_THREADS, knownKeys, TrainConfigSchema, type TrainConfig } from './config-schema.js';

/** Top-level `--set` names that mean a key of the `mrt` block (issue 5's interface). */
const SHORTCUTS: Record<string, string> = {
  delta: 'mrt.delta',
  gamma: 'mrt.gamma',
  alpha: 'mrt.alpha',
  mu: 'mrt.mu',
  K: 'mrt.K',
  sampleRelations: 'mrt.sampleRelations',
  paperCompat: 'mrt.paperCompat',
};

/** Reads, overrides and validates a config; relative data paths become absolute. */
export function loadConfig(file: string, overrides: string[] = []): TrainConfig {
  const obj = readConfigObject(file);
  resolvePaths(obj, dirname(file));
  const fromSet = applyOverrides(obj, overrides, file);
  // Set neither in the file nor with --set: the count every other command takes (ENTREL_THREADS, read as
  // the native loader reads it, else 2), so that `ENTREL_THREADS=1 entrel train …` trains on one thread as
  // the README says; on a machine of one core, 1 (checkThreads would warn of a count nobody chose).
  if (obj.threads === undefined) obj.threads = envCount('ENTREL_THREADS', 1, MAX_THREADS) ?? Math.min(DEFAULT_THREADS, availableParallelism());
  resolvePaths(obj, process.cwd());
  return parseConfig(obj, file, fromSet);
}

/** The config file's JSON object, as written (no --set, no defaults). */
function readConfigObject(file: string): Record<string, unknown> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read config: ${code === 'ENOENT' ? 'no such file' : code ?? String(e)}`, { file });
  }
  let text: string;
  try {
    // Strictly: a lenient decode would turn a bad byte in a path into U+FFFD and a confusing "not found".
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UserError('not valid UTF-8 text', { file });
  }
  const raw = parseJsonFile(text, file);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new UserError('expected a JSON object at the top level', { file });
  return raw as Record<string, unknown>;
}

/**
 * The `--set key=value` items that set a key of the `mrt` block (`mrt.K`, or its shortcut `K`): only
 * minimum risk training reads them, so a run of the local loss must not take them without a word.
 */
function mrtOnlySets(sets: readonly string[]): string[] {
  return sets.filter((s) => {
    const key = s.split('=')[0].trim();
    return key === 'mrt' || key.startsWith('mrt.') || Object.hasOwn(SHORTCUTS, key);
  });
}

/**
 * Refuses the MRT settings a run of the local loss would ignore without a word: `--set` items of the
 * `mrt` block (mrtOnlySets), and the config `file`'s own `mrt` block. `because` ends the message "only
 * minimum risk training …" (what reads them, and why this run does not).
 */
export function refuseMrtSettings(file: string, sets: readonly string[], because: string): void {
  const [set] = mrtOnlySets(sets);
  if (set !== undefined) throw new UserError(`${set}: only minimum risk training ${because}`, { field: '--set' });
  if (Object.hasOwn(readConfigObject(file), 'mrt')) throw new UserError(`only minimum risk training ${because}`, { file, field: 'mrt' });
}

/** The config keys `--set key=value …` gives, each named by that flag (for checkDataFiles' messages). */
export function keysFromSet(sets: readonly string[]): Map<string, string> {
  return new Map(sets.map((s): [string, string] => [s.split('=')[0].trim(), '--set']));
}

/**
 * Refuses data paths that name nothing, naming the key and the config file: reading them later would
 * name only the resolved path, and only after loading everything before it. `given` names the flag a key
 * came from (`--set`, `--init`), for the message to say so: the config file does not hold that value.
 */
export function checkDataFiles(config: TrainConfig, source: string, given: ReadonlyMap<string, string> = new Map()): void {
  const refuse = (message: string, field: string) => {
    const flag = given.get(field) ?? given.get(field.replace(/\[\d+\]$/, ''));
    throw new UserError(`${message}${flag ? ` (from ${flag})` : ''}`, { file: source, field });
  };
  if (config.embeddings !== undefined && !existsSync(config.embeddings)) refuse(`no such file: ${config.embeddings}`, 'embeddings');
  if (config.embeddings !== undefined && !statSync(config.embeddings).isFile()) refuse(`is not a file: ${config.embeddings} (expected a word-vectors file)`, 'embeddings');
  if (config.init !== undefined && !existsSync(config.init)) refuse(`no such model directory: ${config.init} (a model package's name works once the package is installed)`, 'init');
  const format = config.data.format;
  for (const key of ['train', 'dev', 'test'] as const) {
    const [field, value] = [`data.${key}`, config.data[key]];
    for (const [i, path] of [value ?? []].flat().entries()) {
      const at = Array.isArray(value) ? `${field}[${i}]` : field;
      if (!existsSync(path)) refuse(`no such file or directory: ${path}`, at);
      // A directory is a brat project; another format's reader would name the path only, not the key.
      if (format !== undefined && format !== 'brat' && statSync(path).isDirectory()) refuse(`is a directory: ${path} (data.format ${format} reads a file; a directory is read as a brat project)`, at);
    }
  }
}

/** Validates an already-built object (`source` names it in errors). */
export function parseConfig(obj: unknown, source: string, fromSet: Set<string> = new Set()): TrainConfig {
  // Not `reportInput`: zod serialises the issues it builds, and a value nested 100,000 deep overflows the
  // stack there. The offending value is looked up by the issue's path instead.
  const r = TrainConfigSchema.safeParse(obj);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = fieldPath(issue.path) || undefined;
  let msg: string;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    const known = knownKeys(issue.path.map(String));
    const near = suggest(key, known);
    const where = issue.path.length ? `${fieldPath(issue.path)}.${key}` : key;
    // The message stays one short line: a long list (the 20-odd model settings) is cut, configs/README.md has them all.
    const shown = known.length <= 12 ? known.join(', ') : `${known.slice(0, 10).join(', ')}, … (${known.length} in all: configs/README.md)`;
    const hint = near ? `did you mean "${near}"?` : `known keys: ${shown}`;
    throw new UserError(`unknown key (${hint})`, { file: source, field: where });
  } else if (issue.code === 'custom') {
    msg = issue.message;
  } else {
    const input = valueAt(obj, issue.path);
    msg = input === undefined ? `missing (required)${MISSING_HINT[fieldPath(issue.path)] ?? ''}` : `${issue.message}, got ${quote(input)}`;
  }
  if (field !== undefined && fromSet.has(field)) msg += ' (from --set)';
  throw new UserError(msg, { file: source, field });
}

/** What to do about a missing key, where it is not obvious. */
const MISSING_HINT: Record<string, string> = {
  'data.dev': ': the dev file chooses the model; to carve one out of your data: entrel split FILE --out DIR',
};

/** Applies `key=value` items in place; returns the dotted keys they set. */
function applyOverrides(obj: Record<string, unknown>, overrides: string[], file: string): Set<string> {
  const set = new Set<string>();
  for (const item of overrides) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UserError(`--set expects key=value, got ${JSON.stringify(item)}`, { file });
    const rawKey = item.slice(0, eq).trim();
    const key = Object.hasOwn(SHORTCUTS, rawKey) ? SHORTCUTS[rawKey] : rawKey; // not an inherited `constructor`
    const parts = key.split('.');
    // Keys are identifiers; this also keeps `__proto__` and friends from reaching Object.prototype.
    if (!parts.every((p) => /^[A-Za-z][A-Za-z0-9]*$/.test(p)))
      throw new UserError(`--set ${JSON.stringify(rawKey)}: not a key (expected dotted names like model.dropout)`, { file });
    let node = obj;
    for (const p of parts.slice(0, -1)) {
      const next = node[p];
      if (next === undefined) node[p] = {};
      else if (typeof next !== 'object' || next === null || Array.isArray(next))
        throw new UserError(`--set ${rawKey}: "${p}" is not an object`, { file });
      node = node[p] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = parseValue(item.slice(eq + 1));
    set.add(key);
  }
  return set;
}

/** JSON when it parses (numbers, booleans, arrays), the plain string otherwise. */
function parseValue(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

const PATH_KEYS: [string | null, string][] = [
  ['data', 'train'],
  ['data', 'dev'],
  ['data', 'test'],
  [null, 'init'],
  [null, 'embeddings'],
];

/** Makes every still-relative path absolute against `base` (idempotent). */
function resolvePaths(obj: Record<string, unknown>, base: string): void {
  for (const [block, key] of PATH_KEYS) {
    const node = (block === null ? obj : obj[block]) as Record<string, unknown> | undefined;
    if (!node || typeof node !== 'object') continue;
    const abs = (v: unknown) => (typeof v === 'string' && v !== '' && !isAbsolute(v) ? resolve(base, v) : v);
    const v = node[key];
    // `init` may name a model package, by its directory or, installed, by its name (model/model-ref.ts).
    const model = key === 'init' && typeof v === 'string' && v !== '' ? locateModel(v, base) : undefined;
    if (model !== undefined) node[key] = model;
    else if (v !== undefined) node[key] = Array.isArray(v) ? v.map(abs) : abs(v);
  }
}


/** The known key closest in edit distance, if it is close enough to be a plausible typo. */
function suggest(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return bestD <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** The model part of the config, as the JointModel takes it. */
export function modelConfig(c: TrainConfig): ModelConfig {
  return { ...c.model };
}
