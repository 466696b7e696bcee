/**
 * The command line of a script, benchmark or experiment, read by node:util's parseArgs in strict mode:
 * an option the script does not know (a mistyped `--ot DIR`) or one without its value is an error, never
 * silently ignored. `--set key=value …` is read as `entrel train` reads it: every word after a `--set` up
 * to the next option, so `--set a=1 b=2` and `--set a=1 --set b=2` are the same. `--help` prints the
 * usage once the whole line has been read, so appending it to a command checks the command.
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
  const { values, tokens } = parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean' } }, strict: true, allowPositionals: true, tokens: true });
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
    process.stderr.write(`${(e as Error).message}\nusage: ${usage}\n`);
    process.exit(2);
  }
}

/** An option's comma-separated whole numbers of at least `min` (`--seeds 1,2,3`); any other item is an error naming `option`. */
export function integerListArg(value: string, option: string, min: number): number[] {
  return value.split(',').map((item) => {
    const n = numberArg(item, option);
    if (!Number.isInteger(n) || n < min) throw new Error(`${option}: expected whole numbers of at least ${min}, got ${JSON.stringify(item)}`);
    return n;
  });
}

/** An option's value as a number; `option` names it in the error. */
export function numberArg(value: string, option: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`${option}: expected a number, got ${JSON.stringify(value)}`);
  return n;
}
