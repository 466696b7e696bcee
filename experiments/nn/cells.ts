/**
 * What experiments/nn/run.ts and experiments/mrt/run.ts share about their cells (one run of a study,
 * in a directory of its own): what makes a finished cell the one asked for, the budget it ran with,
 * and how a script ends on an error.
 *
 * A cell is finished when its result.json exists. It is the cell asked for only if it ran with the same
 * settings: the study's own and the command line's `--set` items (`threads` aside: it changes no result
 * beyond the last bits of a float), and the same budget (`epochs`, `patience`), compared as the config
 * resolves them: a setting written out at the value the config gives anyway (`--set glove=true`, or
 * `mrt.K=2` beside the cell's own `K=2`) is the same cell. A finished cell with other settings is
 * refused, never skipped and reported as if it were the one asked for (a 2-epoch trial was once taken
 * for the real run). An unfinished cell may be resumed with another budget (the training loop allows
 * it); its result.json then records the budget it ended with and the ones a resume replaced.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { Interrupted, UserError } from '../../src/errors.js';
import { loadConfig } from '../../src/train/config.js';
import { configKeys, knownKeys } from '../../src/train/config-schema.js';
import { readLogRecords } from '../../src/train/log.js';

/** A bad command line: the script prints the message and its usage, and ends with status 2. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Runs a script's `main`: a UsageError ends it with the message and `usage` (status 2), any other
 * UserError with its one line (status 1; 130 when interrupted), and only an internal error with its stack.
 */
export function runScript(prefix: string, usage: string, main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\nusage: ${usage}\n`);
      process.exit(2);
    }
    if (e instanceof UserError) {
      process.stderr.write(`${prefix}: ${e.message}\n`);
      process.exit(e instanceof Interrupted ? 130 : 1);
    }
    process.stderr.write(`${prefix}: ${(e as Error | undefined)?.stack ?? String(e)}\n`);
    process.exit(1);
  });
}

/** `path` as a message shows it: relative to the working directory when inside it, else absolute. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** `key=value` items as a map: the key and value around the first `=`, trimmed; a later item wins. */
export function settingsOf(items: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq < 0) continue;
    out[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return out;
}

/** A run's budget: its epoch count and patience (0: no early stopping). */
export interface BudgetValues {
  epochs: number;
  patience: number;
}

/** The budget a cell ran with, as its result.json records it. */
export interface Budget extends BudgetValues {
  /** The budgets a resume replaced, in order, each with the last epoch done under it; only when one did. */
  replaced?: (BudgetValues & { until: number })[];
}

const BUDGET_KEYS = ['epochs', 'patience'] as const;

/**
 * The budget `sets` give a run of `configFile` (the file's value, a `--set` item's over it, else the
 * default), read without loading the config: a finished cell is checked even where its data is gone.
 */
export function askedBudget(configFile: string, sets: readonly string[]): BudgetValues {
  let file: Record<string, unknown> = {};
  try {
    file = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  } catch {
    // The run itself reports an unreadable config.
  }
  const set = settingsOf(sets);
  const defaults = new Map(configKeys().map(({ key, default: d }) => [key, d]));
  const value = (k: (typeof BUDGET_KEYS)[number]) => Number(set[k] ?? file[k] ?? defaults.get(k));
  return { epochs: value('epochs'), patience: value('patience') };
}
/** Settings that change no result a cell reports: told apart neither on resume nor when finished. */
const IGNORED = new Set(['threads']);

/**
 * The budget a cell ended with (`now`, the config of the invocation that finished it) and the ones its
 * log shows a resume replaced (its `start` record's config and the `resume` records' budget).
 */
export function cellBudget(logFile: string, now: BudgetValues): Budget {
  const replaced: (BudgetValues & { until: number })[] = [];
  let current: BudgetValues | undefined;
  for (const record of readLogRecords(logFile)) {
    const rec = record as { type?: unknown; after?: number; epochs?: unknown; patience?: unknown; config?: Partial<BudgetValues> };
    if (rec.type === 'start' && rec.config && typeof rec.config.epochs === 'number' && typeof rec.config.patience === 'number')
      current = { epochs: rec.config.epochs, patience: rec.config.patience };
    else if (rec.type === 'resume' && current && typeof rec.epochs === 'number' && typeof rec.patience === 'number') {
      if (rec.epochs !== current.epochs || rec.patience !== current.patience) replaced.push({ ...current, until: rec.after ?? 0 });
      current = { epochs: rec.epochs, patience: rec.patience };
    }
  }
  // A log of an older entrel records no budget on resume: what it started with, if not the budget now.
  if (current && (current.epochs !== now.epochs || current.patience !== now.patience)) replaced.push({ ...current, until: -1 });
  return { epochs: now.epochs, patience: now.patience, ...(replaced.length > 0 && { replaced }) };
}

/** What a finished cell recorded: its settings (the study's and the `--set` items) and, since 2026-12, its budget. */
export interface Recorded {
  settings: Record<string, string>;
  budget?: BudgetValues;
}

/** The value a config takes at each key (`model.dropout`, or a `--set` shortcut such as `K`), once loaded. */
export type Resolved = (key: string) => unknown;

/**
 * How a cell's settings resolve: the config `configFile` loads to with `pinned` and then the settings
 * (as `key=value` items) over it, every default applied, as training loads it (src/train/config.ts).
 * Throws the loader's one-line error where they do not load (an unknown key, a bad value).
 */
export function configResolver(configFile: string, pinned: readonly string[]): (settings: Record<string, string>) => Resolved {
  return (settings) => {
    const config = loadConfig(configFile, [...pinned, ...Object.entries(settings).map(([k, v]) => `${k}=${v}`)]);
    return (key) => valueOf(config, canonicalKey(key));
  };
}

/** `key` as the config holds it: a top-level shortcut of the `mrt` block (`K`, `gamma`) is `mrt.K`, `mrt.gamma`. */
function canonicalKey(key: string): string {
  if (key.includes('.') || knownKeys([]).includes(key)) return key;
  return knownKeys(['mrt']).includes(key) ? `mrt.${key}` : key;
}

/** The value at the dotted `key` of a loaded config, undefined where there is none. */
function valueOf(config: unknown, key: string): unknown {
  let node = config;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/**
 * The settings in which a finished cell differs from the one asked now: `[key, there, now]`, undefined
 * where unset. `asked` is the cell's own settings (`own`, its study's) with the command line's `--set`
 * items over them. `budgetNow` is the budget the config resolves to now; `budgetDefault` the one without
 * the command line's `--set` items, which a cell recorded before budgets were is taken to have run with
 * unless its settings name one. A key of `own` that the record lacks was pinned in the study since the
 * cell ran, to the value it had then (experiments/nn's PAPER_TAGGER): the record is taken to hold it.
 *
 * With `resolve` (configResolver of the cell's config), a key written differently on the two sides is
 * compared by the value each side's config takes there, defaults applied: `--set glove=true` asked of a
 * cell that never named glove (true by default), or `mrt.K=2` of one whose own settings hold `K=2`, is
 * the same cell; `--set ema=0.99` is still a change, named with the values as written (the config's
 * where a side does not write the key: `ema: 0 there, 0.99 now`). Settings asked now that do not load
 * are that error (the run would stop on it); a record that no longer loads (a key since removed from
 * the schema) is compared as written.
 */
export function changedSettings(
  recorded: Recorded,
  own: Record<string, string>,
  asked: Record<string, string>,
  budgetNow: BudgetValues,
  budgetDefault: BudgetValues,
  resolve?: (settings: Record<string, string>) => Resolved,
): [string, string | undefined, string | undefined][] {
  const effective = (settings: Record<string, string>, budget: Partial<BudgetValues> | undefined) => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(settings)) if (!IGNORED.has(k) && !(BUDGET_KEYS as readonly string[]).includes(k)) out[k] = String(v);
    for (const k of BUDGET_KEYS) out[k] = budget?.[k] !== undefined ? String(budget[k]) : settings[k] !== undefined ? String(settings[k]) : String(budgetDefault[k]);
    return out;
  };
  const thereSettings = { ...own, ...recorded.settings };
  const there = effective(thereSettings, recorded.budget);
  const now = effective(asked, budgetNow);
  const keys = [...new Set([...Object.keys(there), ...Object.keys(now)])];
  // Numbers compare as numbers ("1e-4" is "0.0001").
  const same = (a: string | undefined, b: string | undefined) => a === b || (a !== undefined && b !== undefined && a.trim() !== '' && b.trim() !== '' && Number(a) === Number(b));
  const differ = keys.filter((k) => !same(there[k], now[k]));
  // Written differently: the configs each side loads to decide (loaded only then, and once per side).
  const budgetKey = (k: string) => (BUDGET_KEYS as readonly string[]).includes(k);
  const settingKeys = differ.filter((k) => !budgetKey(k));
  let resolvedNow: Resolved | undefined;
  let resolvedThere: Resolved | undefined;
  if (resolve && settingKeys.length > 0) {
    resolvedNow = resolve(asked);
    try {
      resolvedThere = resolve(thereSettings);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
    }
  }
  const resolved = resolvedThere !== undefined && resolvedNow !== undefined ? { there: resolvedThere, now: resolvedNow } : undefined;
  const sameResolved = (k: string) => resolved !== undefined && !budgetKey(k) && sameValue(resolved.there(k), resolved.now(k));
  // A side that does not name the key is shown with the value its config takes there (`mrt.K: 3 there, 2 now`).
  const shown = (k: string, written: string | undefined, side: Resolved | undefined) =>
    written ?? (side === undefined || budgetKey(k) ? undefined : shownValue(side(k)));
  return differ.filter((k) => !sameResolved(k)).map((k) => [k, shown(k, there[k], resolved?.there), shown(k, now[k], resolved?.now)]);
}

/** Two values of a loaded config are the same: equal JSON (numbers, strings, booleans, lists, blocks); undefined is no value. */
function sameValue(a: unknown, b: unknown): boolean {
  return a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/** A loaded config's value as a `--set` item writes it: a string as it is, anything else as JSON; undefined stays unset. */
function shownValue(v: unknown): string | undefined {
  return v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * Refuses a finished cell in `dir` whose settings are not the ones asked now (`changes`, from
 * changedSettings or the like), saying how to run the ones asked: `elsewhere` names the options that
 * give it another directory.
 */
export function refuseChanged(dir: string, changes: [string, string | undefined, string | undefined][], elsewhere: string): void {
  if (changes.length === 0) return;
  const shown = changes.map(([k, there, now]) => `${k}: ${there ?? 'unset'} there, ${now ?? 'unset'} now`).join('; ');
  throw new UserError(
    `finished with other settings than asked now (${shown}): it is not the run asked for, and would be reported as it; to run these settings use ${elsewhere}, or remove the run directory to rerun it`,
    { file: shownPath(dir) },
  );
}
