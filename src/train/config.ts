/**
 * Reading a training configuration: a JSON file, adjusted with `--set key=value` and validated against
 * the schema (config-schema.ts: every key, its rule and its default).
 *
 * Paths in the file (`data.*`, `init`, `embeddings`) are relative to the directory of the config file; paths given
 * with `--set` are relative to the current directory (where the user typed them). Every validation
 * error is one line naming the file, the line of the key where it is in the file, and the field; unknown
 * keys are rejected with a suggestion.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { decodeUtf8File } from '../data/decode-file.js';
import { parseJsonFile } from '../data/parse-json.js';
import { editDistance } from '../data/edit-distance.js';
import { jsonKeyLine } from '../data/json-key-line.js';
import { fieldPath, valueAt } from '../data/validate.js';
import { described, envCount, isObject, quote, UserError } from '../errors.js';
import { locateModel } from '../model/model-ref.js';
import type { ModelConfig } from '../model/types.js';
import { MAX_THREADS } from '../tensor/index.js';
import { configKeys, DEFAULT_THREADS, knownKeys, THREADS_PER_CORE, TrainConfigSchema, type TrainConfig, type TrainConfigInput } from './config-schema.js';

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

/** The reading commands' options and the config keys `train` reads them from (its data block, the model's tokenizer). */
const READING_OPTION_KEYS: Record<string, string[]> = {
  types: ['data.types'],
  format: ['data.format'],
  split: ['data.devSplit', 'data.testSplit'],
  'brat-layout': ['data.bratLayout'],
  ace05: ['data.ace05'],
  tokenizer: ['model.tokenizer'],
};

/**
 * The config keys `train --OPTION` may have meant, for its unknown-option hint: a reading command's option
 * (`--types` → data.types), a key or shortcut of that name (`--seed`, `--batch-size` → batchSize, `--K`),
 * or keys of blocks that end so (`--dropout` → model.dropout; `--lr` → adadelta.lr, adam.lr). None when
 * no key has that name.
 */
export function keysForOption(option: string): string[] {
  if (Object.hasOwn(READING_OPTION_KEYS, option)) return READING_OPTION_KEYS[option];
  const name = option.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  if (Object.hasOwn(SHORTCUTS, name)) return [name];
  const keys = configKeys().map((k) => k.key);
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const exact = keys.filter((k) => same(k, name));
  return exact.length ? exact : keys.filter((k) => same(k.split('.').pop()!, name));
}

/** Reads, overrides and validates a config; relative data paths become absolute. */
export function loadConfig(file: string, overrides: string[] = []): TrainConfig {
  const { obj, text } = readConfigFile(file);
  const threadsInFile = Object.hasOwn(obj, 'threads');
  resolvePaths(obj, dirname(file));
  const fromSet = applyOverrides(obj, overrides, file);
  defaultThreads(obj);
  resolvePaths(obj, process.cwd());
  const config = validated(obj, file, { fromSet, text });
  if (threadsInFile && !fromSet.has('threads')) refuseThreadsBeyondCores(config.threads, file, text);
  return config;
}

/**
 * Refuses the thread count of the config file `file` (its `text`) that this machine would crawl with,
 * naming the line: loop.ts checkThreads refuses it too as the run starts (and a count --set or
 * ENTREL_THREADS gave), but knows neither the file nor the line.
 */
function refuseThreadsBeyondCores(threads: number, file: string, text: string): void {
  const cores = availableParallelism();
  if (threads > THREADS_PER_CORE * cores)
    throw new UserError(
      `${threads} is more than ${THREADS_PER_CORE} times the ${cores} cores of this machine: the threads would only wait on each other, and training crawl; set threads to at most ${cores}`,
      { file, line: jsonKeyLine(text, ['threads']), field: 'threads' },
    );
}

/**
 * Validates a training config given as an object (what a config file's JSON holds, `TrainConfigInput`)
 * and fills in every default, as `loadConfig` does for a file: relative paths are relative to the current
 * directory, and `threads`, absent, is ENTREL_THREADS, else 2 (or the machine's cores if fewer). A bad or
 * unknown key is a UserError naming it, with `source` (default "config") for the file. `obj` is not
 * changed. `trainNN` validates so any object that did not come from here or from `loadConfig`.
 */
export function parseConfig(obj: unknown, source = 'config'): TrainConfig {
  if (!isObject(obj)) throw new UserError(`expected an object of settings (what a config file holds: configs/README.md), got ${described(obj)}`, { file: source });
  // A copy of what resolvePaths and defaultThreads change: the caller's object stays as it was.
  const copy: Record<string, unknown> = { ...obj, ...(isObject(obj.data) && { data: { ...obj.data } }) };
  defaultThreads(copy);
  resolvePaths(copy, process.cwd());
  return validated(copy, source);
}

/**
 * `config` as training reads it, validated by parseConfig: a library caller's plain object, or
 * `undefined`, is a UserError naming the key, not a TypeError from deep inside training, and a parsed
 * config is checked again, as its caller may have changed it since (`config.epochs = -3`). `mrt`: the run
 * is MRT; else an `mrt` block other than the defaults (which a parsed config, or a copy of one, holds),
 * which the local loss would ignore without a word, is refused, as refuseMrtSettings refuses one in a
 * config file.
 */
export function checkedConfig(config: TrainConfig | TrainConfigInput, source = 'config', mrt = false): TrainConfig {
  const parsed = parseConfig(config, source);
  if (!mrt && isObject(config) && Object.hasOwn(config, 'mrt')) {
    const { mrt: _given, ...rest } = config;
    if (!isDeepStrictEqual(parsed.mrt, parseConfig(rest, source).mrt))
      throw new UserError('only minimum risk training reads it (entrel train --init DIR), not trainNN or continueNN: remove it', { file: source, field: 'mrt' });
  }
  return parsed;
}

/**
 * Set neither in the file nor with --set: the count every other command takes (ENTREL_THREADS, read as
 * the native loader reads it, else 2), so that `ENTREL_THREADS=1 entrel train …` trains on one thread as
 * the README says; on a machine of one core, 1 (checkThreads would warn of a count nobody chose).
 */
function defaultThreads(obj: Record<string, unknown>): void {
  if (obj.threads === undefined) obj.threads = envCount('ENTREL_THREADS', 1, MAX_THREADS) ?? Math.min(DEFAULT_THREADS, availableParallelism());
}

/** The config file's JSON object, as written, and its text (for the line of a key an error names). */
function readConfigFile(file: string): { obj: Record<string, unknown>; text: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read config: ${code === 'ENOENT' ? 'no such file' : code ?? String(e)}`, { file });
  }
  // Strictly: a lenient decode would turn a bad byte in a path into U+FFFD and a confusing "not found".
  const text = decodeUtf8File(bytes, file);
  const raw = parseJsonFile(text, file);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new UserError('expected a JSON object at the top level', { file });
  return { obj: raw as Record<string, unknown>, text };
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
  const { obj, text } = readConfigFile(file);
  if (Object.hasOwn(obj, 'mrt')) throw new UserError(`only minimum risk training ${because}`, { file, line: jsonKeyLine(text, ['mrt']), field: 'mrt' });
}

/** The config keys `--set key=value …` gives, each named by that flag (for checkDataFiles' messages). */
export function keysFromSet(sets: readonly string[]): Map<string, string> {
  return new Map(sets.map((s): [string, string] => [s.split('=')[0].trim(), '--set']));
}

/**
 * Refuses data paths that name nothing, naming the key and the config file: reading them later would
 * name only the resolved path, and only after loading everything before it. `given` names the flag a key
 * came from (`--set`, `--init`), for the message to say so: the config file does not hold that value;
 * where it does, the message names the line of the key in it.
 */
export function checkDataFiles(config: TrainConfig, source: string, given: ReadonlyMap<string, string> = new Map()): void {
  const refuse = (message: string, field: string) => {
    const flag = flagOf(field, given);
    throw new UserError(`${message}${flag ? ` (from ${flag})` : ''}`, { file: source, line: flag ? undefined : lineInFile(source, field), field });
  };
  if (config.embeddings !== undefined && !existsSync(config.embeddings)) refuse(`no such file: ${config.embeddings}`, 'embeddings');
  if (config.embeddings !== undefined && !statSync(config.embeddings).isFile()) refuse(`is not a file: ${config.embeddings} (expected a word-vectors file)`, 'embeddings');
  if (config.init !== undefined && !existsSync(config.init)) refuse(`no such model directory: ${config.init} (a model package's name works once the package is installed)`, 'init');
  const types = config.data.types;
  if (types !== undefined && !existsSync(types)) refuse(`no such file: ${types}`, 'data.types');
  if (types !== undefined && !statSync(types).isFile()) refuse(`is not a file: ${types} (expected a types file, as --types reads)`, 'data.types');
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

/** The flag of `given` that gave the value at `field`: that key's (`data.train` for `data.train[1]`), or a block's holding it. */
function flagOf(field: string, given: ReadonlyMap<string, string>): string | undefined {
  const key = field.replace(/\[\d+\]$/, '');
  for (const [k, flag] of given) if (k === field || k === key || field.startsWith(`${k}.`)) return flag;
  return undefined;
}

/** The line of `field` (`data.train[1]`) in the config file `file`, read again; none where it cannot be read or holds no such key. */
function lineInFile(file: string, field: string): number | undefined {
  const path = field.split('.').flatMap((part) => {
    const m = /^(.*)\[(\d+)\]$/.exec(part);
    return m ? [m[1], Number(m[2])] : [part];
  });
  try {
    return jsonKeyLine(readConfigFile(file).text, path);
  } catch {
    return undefined;
  }
}

/**
 * Validates an already-built object (`source` names it in errors). `fromSet`:
 * the keys `--set` gave, whose errors say so; `text`: the config file's, for the line of a key it holds.
 */
function validated(obj: Record<string, unknown>, source: string, how: { fromSet?: ReadonlySet<string>; text?: string } = {}): TrainConfig {
  // Not `reportInput`: zod serialises the issues it builds, and a value nested 100,000 deep overflows the
  // stack there. The offending value is looked up by the issue's path instead.
  const r = TrainConfigSchema.safeParse(obj);
  if (r.success) {
    return r.data;
  }
  const issue = r.error.issues[0];
  let path = issue.path;
  let msg: string;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    path = [...issue.path, key];
    msg = `unknown key (${unknownKeyHint(issue.path.map(String), key)})`;
  } else if (issue.code === 'custom') {
    msg = issue.message;
  } else {
    const input = valueAt(obj, issue.path);
    msg = input === undefined ? `missing (required)${MISSING_HINT[fieldPath(issue.path)] ?? ''}` : `${issue.message}, got ${quote(input)}`;
  }
  const field = fieldPath(path) || undefined;
  const set = field !== undefined && givenBySet(field, how.fromSet ?? new Set());
  if (set) msg += ' (from --set)';
  // The file's line of the key, unless --set gave what is wrong (the file's value is not the one refused).
  const line = set || how.text === undefined ? undefined : jsonKeyLine(how.text, path);
  throw new UserError(msg, { file: source, line, field });
}

/**
 * Whether `--set` gave the value at `field`: the key itself, a block holding it (`--set data={…}`), or a
 * key inside it (`--set foo.bar=1` makes the unknown block `foo`).
 */
function givenBySet(field: string, fromSet: ReadonlySet<string>): boolean {
  return [...fromSet].some((k) => k === field || field.startsWith(`${k}.`) || field.startsWith(`${k}[`) || k.startsWith(`${field}.`));
}

/**
 * What an unknown key of the block at `block` may have meant: the keys of that name in other blocks
 * (`dropout` → "model.dropout"; `lr` → "adadelta.lr" or "adam.lr"); else the known key of the block
 * closest to it, by its full path (`model.dropot` → "model.dropout"); else the block's keys. The same
 * name first: a short key is within a typo's 2 edits of unrelated ones (`lr` of `mrt`).
 */
function unknownKeyHint(block: string[], key: string): string {
  const known = knownKeys(block);
  const prefix = block.length ? `${block.join('.')}.` : '';
  const elsewhere = configKeys().filter((k) => k.key.split('.').pop()!.toLowerCase() === key.toLowerCase());
  if (elsewhere.length) return `did you mean ${elsewhere.map((k) => `"${k.key}"`).join(' or ')}?`;
  const near = suggest(key, known);
  if (near) return `did you mean "${prefix}${near}"?`;
  // The message stays one short line: a long list (the 20-odd model settings) is cut, configs/README.md has them all.
  const shown = known.length <= 12 ? known.join(', ') : `${known.slice(0, 10).join(', ')}, … (${known.length} in all: configs/README.md)`;
  return `known keys: ${shown}`;
}

/** What to do about a missing key, where it is not obvious. */
const MISSING_HINT: Record<string, string> = {
  'data.dev': ': the dev file chooses the model; to carve one out of your data: entrel split FILE --out DIR',
};

/**
 * Applies `key=value` items in place; returns the dotted keys they set. `key=null` removes the key: an
 * optional key (`data.devSplit`) is then absent, one with a default takes it, a required one is missing
 * (configs/nyt.json read as another format: `--set data.format=jsonl data.devSplit=null data.testSplit=null`).
 */
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
    const value = parseValue(item.slice(eq + 1));
    if (value === null) {
      // Removing a key that is not there leaves nothing for the schema to refuse: a misspelt one is refused here.
      refuseUnknownKey(parts, rawKey, file);
      delete node[parts[parts.length - 1]];
    } else node[parts[parts.length - 1]] = value;
    set.add(key);
  }
  return set;
}

/**
 * Refuses the dotted key `parts` (`--set RAWKEY=null`) where the schema has no such key or block, as the
 * schema refuses an unknown key given a value: its first unknown part, with the hint.
 */
function refuseUnknownKey(parts: string[], rawKey: string, file: string): void {
  const keys = configKeys().map((k) => k.key);
  for (let i = 1; i <= parts.length; i++) {
    const key = parts.slice(0, i).join('.');
    if (keys.some((k) => k === key || k.startsWith(`${key}.`))) continue;
    // Under a setting (`epochs.x`): what the walk says of a value that is not an object.
    if (keys.includes(parts.slice(0, i - 1).join('.'))) throw new UserError(`--set ${rawKey}: "${parts[i - 2]}" is not an object`, { file });
    throw new UserError(`unknown key (${unknownKeyHint(parts.slice(0, i - 1), parts[i - 1])}) (from --set)`, { file, field: key });
  }
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
  ['data', 'types'],
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
    const d = editDistance([...key.toLowerCase()], [...k.toLowerCase()]);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return bestD <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** The model part of the config, as the JointModel takes it. */
export function modelConfig(c: TrainConfig): ModelConfig {
  return { ...c.model };
}
