/**
 * The command line of a script, benchmark or experiment, read by node:util's parseArgs in strict mode:
 * an option the script does not know (a mistyped `--ot DIR`) or one without its value is an error, never
 * silently ignored. `--set key=value …` is read as `entrel train` reads it: every word after a `--set` up
 * to the next option, so `--set a=1 b=2` and `--set a=1 --set b=2` are the same. `--help` prints the
 * usage once the whole line has been read, so appending it to a command checks the command.
 *
 * A negative number after an option that takes a value is that value (`--seed -1` is `--seed=-1`, which
 * the option's own check then takes or refuses), where parseArgs alone would stop on a three-line
 * "argument is ambiguous".
 *
 * A bad value is refused the same way: `checkedArgs` reads the values with the helpers below (`numberArg`,
 * `integerArg`, `choiceArg`, …), whose errors name the option and the value, and ends the process with
 * that line and the usage (status 2), never a stack trace. `usageText` writes a usage that lists every
 * option with its default.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ScriptArgs<O extends Options> {
  values: ReturnType<typeof parseArgs<{ options: O }>>['values'];
  /** The `--set key=value` items, in order. */
  sets: string[];
  positionals: string[];
}

/**
 * `argv` read against `options`: their values, the `--set` items (when `options` has `set`), and the
 * words that are no option's value (refused unless `positionals`). Throws on anything else.
 */
export function readArgs<const O extends Options>(argv: readonly string[], options: O, positionals = false): ScriptArgs<O> {
  const { values, tokens } = parseArgs({ args: negativeValuesJoined(argv, options), options: { ...options, help: { type: 'boolean' } }, strict: true, allowPositionals: true, tokens: true });
  const sets: string[] = [];
  const words: string[] = [];
  let inSet = false;
  for (const t of tokens) {
    if (t.kind === 'option') {
      inSet = t.name === 'set';
      if (inSet && t.value !== undefined) sets.push(t.value);
    } else if (t.kind === 'option-terminator') inSet = false;
    else if (inSet) sets.push(t.value);
    else if (positionals) words.push(t.value);
    else throw new Error(`unexpected argument ${JSON.stringify(t.value)}`);
  }
  return { values: values as ScriptArgs<O>['values'], sets, positionals: words };
}

/** A negative number as a command line writes it: `-1`, `-0.5`, `-.5`, `-1e-3`, `-5,2` (a list starting with one). */
const NEGATIVE = /^-(\d|\.\d)/;

/**
 * `argv` with each negative number that follows an option taking a value (`--seed -1`, `-s -1` for one
 * with a `short` name) joined to it as `--seed=-1`: parseArgs reads the word as an option and refuses the
 * pair as ambiguous, in three lines. Any other word starting with `-` there is refused in one line naming
 * the option: a known option (the value forgotten), or one that only looks like it (`--out -x`: write
 * `--out=-x`). Words after `--` are left alone, as is a `--set` item (it never starts with `-`).
 */
function negativeValuesJoined(argv: readonly string[], options: Options): string[] {
  const all: Options = { ...options, help: { type: 'boolean' } };
  const nameOf = (word: string): string | undefined => {
    const long = /^--([^=]+)/.exec(word);
    if (long) return Object.hasOwn(all, long[1]) ? long[1] : undefined;
    const short = /^-([^-])$/.exec(word);
    return short ? Object.entries(all).find(([, o]) => o.short === short[1])?.[0] : undefined;
  };
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') return [...out, ...argv.slice(i)];
    const name = word.startsWith('-') && !word.includes('=') ? nameOf(word) : undefined;
    const next = argv[i + 1];
    if (name === undefined || all[name].type !== 'string' || next === undefined || !next.startsWith('-')) {
      out.push(word);
      continue;
    }
    if (NEGATIVE.test(next)) out.push(`--${name}=${next}`);
    else if (next === '--' || nameOf(next) !== undefined) throw new Error(`${word}: missing its value (the next word, ${next}, is an option)`);
    else throw new Error(`${word}: ${JSON.stringify(next)} reads as an option, not as its value; to give it as the value write --${name}=${next}`);
    i++;
  }
  return out;
}

/** `readArgs` of this process's command line; a bad one ends it (status 2) with the message and `usage`, `--help` with the usage. */
export function scriptArgs<const O extends Options>(usage: string, options: O, positionals = false): ScriptArgs<O> {
  try {
    const args = readArgs(process.argv.slice(2), options, positionals);
    if ((args.values as { help?: boolean }).help) {
      process.stdout.write(`usage: ${usage}\n`);
      process.exit(0);
    }
    return args;
  } catch (e) {
    usageError(usage, (e as Error).message);
  }
}

/** Ends the process (status 2) with `message`, one line naming the option and its value, and `usage`. */
export function usageError(usage: string, message: string): never {
  process.stderr.write(`${message}\nusage: ${usage}\n`);
  process.exit(2);
}

/**
 * `scriptArgs`, then `read` of them (the values checked and converted): an error `read` throws ends the
 * process as a bad option does (its message, the usage, status 2).
 */
export function checkedArgs<const O extends Options, R>(usage: string, options: O, read: (args: ScriptArgs<O>) => R, positionals = false): R {
  const args = scriptArgs(usage, options, positionals);
  try {
    return read(args);
  } catch (e) {
    usageError(usage, (e as Error).message);
  }
}

/**
 * What a usage says of one option: how its value is written (`N`, `DIR`; none for a flag), what it does,
 * and its default when `options` gives none (one worked out at run time: "the bundled model"). An
 * `internal` option (one a bench passes to its own child process) is left out.
 */
export interface OptionHelp {
  value?: string;
  text: string;
  default?: string;
  internal?: boolean;
}

/**
 * `synopsis`, then a line per option of `options` (`help` must describe each one): `--name VALUE  text
 * (default: …)`, the default from `help`, else from `options` (a flag's `false` goes unsaid).
 */
export function usageText<const O extends Options>(synopsis: string, options: O, help: { readonly [K in keyof O]: OptionHelp }): string {
  const rows: [string, string][] = [];
  for (const [name, h] of Object.entries(help) as [string, OptionHelp][]) {
    if (h.internal) continue;
    const o = options[name];
    const given = h.default ?? (o.default === undefined || o.default === false ? undefined : [o.default].flat().join(','));
    rows.push([`--${name}${h.value ? ` ${h.value}` : ''}`, `${h.text}${given === undefined ? '' : ` (default: ${given})`}`]);
  }
  rows.push(['--help', 'print this usage']);
  const width = Math.max(...rows.map(([l]) => l.length));
  return [synopsis, ...rows.map(([l, t]) => `  ${l.padEnd(width)}  ${t}`)].join('\n');
}

/**
 * An option's comma-separated whole numbers of at least `min` and at most `max` (`--seeds 1,2,3`); any
 * other item is an error naming `option`.
 */
export function integerListArg(value: string, option: string, min: number, max = Infinity): number[] {
  return value.split(',').map((item) => {
    const n = Number(item);
    if (!/^-?\d+$/.test(item.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
      throw new Error(`${option}: expected whole numbers ${max === Infinity ? `of at least ${min}` : `from ${min} to ${max}`}, got ${JSON.stringify(item)}`);
    return n;
  });
}

/** Where a number may lie: at least `min`, above `above`. */
export interface NumberRange {
  min?: number;
  above?: number;
}

/** An option's value as a number (in `range`, when given); `option` names it, and the value, in the error. */
export function numberArg(value: string, option: string, range: NumberRange = {}): number {
  const n = Number(value);
  const { min, above } = range;
  const wanted = `a number${above !== undefined ? ` above ${above}` : ''}${min !== undefined ? ` of at least ${min}` : ''}`;
  if (value.trim() === '' || !Number.isFinite(n) || (min !== undefined && n < min) || (above !== undefined && n <= above))
    throw new Error(`${option}: expected ${wanted}, got ${JSON.stringify(value)}`);
  return n;
}

/**
 * An option's value as a whole number from `min` to `max`, written as digits with an optional minus as the
 * CLI's (`1e2`, `1.0`, `0x10` are refused); `option` names it, and the value, in the error.
 */
export function integerArg(value: string, option: string, min = -Infinity, max = Infinity): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    const range = max !== Infinity ? (min !== -Infinity ? ` from ${min} to ${max}` : ` of at most ${max}`) : min !== -Infinity ? ` of at least ${min}` : '';
    throw new Error(`${option}: expected a whole number${range}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** An option's value, one of `known`; anything else is an error naming `option`, the value and the known ones. */
export function choiceArg<const T extends string>(value: string, option: string, known: readonly T[]): T {
  if (!(known as readonly string[]).includes(value)) throw new Error(`${option}: expected one of ${known.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}
