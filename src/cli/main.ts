/**
 * The `entrel` command line: one sub-command per file in `commands/`, consistent flags, and the exit codes
 * of EXIT_STATUS (one line on stderr for an error, never a stack trace).
 */
import { Command, CommanderError } from 'commander';
import { Interrupted, isUserError, UserError } from '../errors.js';
import { ENTREL_VERSION } from '../model/version.js';
import { interruptedExitCode } from './interrupt.js';
import { printableLines } from './output.js';
import { registerCommands } from './commands/index.js';
import { guardStandardStreams } from './streams.js';

const EXIT_OK = 0;
const EXIT_USER = 1;
const EXIT_INTERNAL = 2;

/** `entrel --help`'s last lines: the codes of exitCodeFor, interrupt.ts, streams.ts and bin/entrel.js. */
const EXIT_STATUS = `
Exit status:
  0    success
  1    an error in the input, a file or the usage (one line on stderr says which)
  2    an internal error (a bug: please report it), or entrel is not built
  130  interrupted by SIGINT (Ctrl-C); 143 by SIGTERM; 129 by SIGHUP
  141  the reader of standard output closed it (a pipe, as \`| head\` does)`;

/**
 * A usage error whose message waits for run() to finish it: `train`'s unknown option, whose hint names the
 * config key it means, which needs the config schema (loaded only then, not at every start).
 */
interface Deferred {
  unknownTrainOption?: { text: string; option: string };
}

function buildProgram(deferred: Deferred = {}): Command {
  const program = new Command('entrel')
    .description('Joint entity and relation extraction (Sun et al. 2018, minimum risk training) on libtorch')
    .version(ENTREL_VERSION, '-V, --version')
    // `entrel --version` is entrel's; after a command, `--version` is that command's (package's semver).
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput(errorOutput('entrel', deferred))
    .addHelpText('afterAll', ({ command }) => (command.parent ? '' : EXIT_STATUS));
  registerCommands(program);
  for (const c of program.commands) c.exitOverride().configureOutput(errorOutput(`entrel ${c.name()}`, deferred));
  program.hook('preAction', (_, action) => refuseEmptyOptions(action));
  return program;
}

/**
 * `--out "$DIR"` with DIR unset passes an empty value: as a path it would silently mean the current
 * directory (or, for `evaluate --out`, no file at all). No option or file argument takes an empty value
 * on purpose (the text `extract` reads may be empty).
 */
function refuseEmptyOptions(command: Command): void {
  const empty = (v: unknown) => v === '' || (Array.isArray(v) && v.includes(''));
  for (const option of command.options)
    if (empty(command.getOptionValue(option.attributeName()))) throw new UserError(`${option.long} is empty (an unset shell variable?)`);
  command.registeredArguments.forEach((a, i) => {
    if (a.name() !== 'text' && empty(command.processedArgs[i])) throw new UserError(`<${a.name()}> is empty (an unset shell variable?)`);
  });
}

/** Commander's usage errors in the shape of every other error: one `entrel: …` line, with where to look. */
function errorOutput(command: string, deferred: Deferred) {
  return {
    writeErr: (s: string) => process.stderr.write(s),
    outputError: (message: string, write: (s: string) => void) => {
      const text = message.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ');
      // Training settings are config keys, not options: `train --seed 3` means `--set seed=3` (run() says so).
      const option = /^unknown option '--([\w.-]+)'/.exec(text);
      if (command === 'entrel train' && option) deferred.unknownTrainOption = { text, option: option[1] };
      else write(`entrel: ${text} (see ${command} --help)\n`);
    },
  };
}

/**
 * `train --OPTION`'s message: the config key it means, if one does (`--seed` → seed, `--types` →
 * data.types, `--split` → data.devSplit or data.testSplit), else none: `--set` takes no such key either.
 */
async function unknownTrainOption({ text, option }: { text: string; option: string }): Promise<string> {
  const { keysForOption } = await import('../train/config.js');
  const keys = keysForOption(option);
  const hint = keys.length ? `; config keys are set with --set, e.g. --set ${keys.map((k) => `${k}=…`).join(' or ')}` : '';
  return `entrel: ${text}${hint} (see entrel train --help)\n`;
}

/** Runs the CLI and returns the exit code (the caller sets process.exitCode). */
export async function run(argv: string[]): Promise<number> {
  guardStandardStreams();
  const deferred: Deferred = {};
  const program = buildProgram(deferred);
  try {
    await program.parseAsync(argv);
    return EXIT_OK;
  } catch (e) {
    if (deferred.unknownTrainOption) process.stderr.write(await unknownTrainOption(deferred.unknownTrainOption));
    return exitCodeFor(e);
  }
}

/**
 * A user error on stderr. Its file names and ids may come from a stranger's files (a directory's listing,
 * an annotation id): printable, line by line, so they cannot drive the terminal.
 */
const say = (message: string) => process.stderr.write(`${printableLines(`entrel: ${message}`)}\n`);

function exitCodeFor(e: unknown): number {
  if (e instanceof CommanderError) {
    // --help and --version end through here with code 0; parse errors were already printed.
    return e.exitCode === 0 ? EXIT_OK : EXIT_USER;
  }
  if (e instanceof Interrupted) {
    say(e.message);
    return interruptedExitCode(e);
  }
  if (isUserError(e)) {
    say(e.message);
    return EXIT_USER;
  }
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string' && FS_USER_ERRORS.has(err.code)) {
    say(err.message);
    return EXIT_USER;
  }
  const overflow = FLOAT_OVERFLOW.exec(String(err?.message));
  if (overflow) {
    process.stderr.write(`entrel: a setting is too large for float32 arithmetic (libtorch's ${overflow[1]} overflowed): use a smaller learning rate or weight\n`);
    return EXIT_USER;
  }
  const oom = OUT_OF_MEMORY.exec(String(err?.message));
  if (oom) {
    const size = oom[1] ? `${(Number(oom[1]) / 2 ** 30).toFixed(1)} GiB` : 'more than can be addressed';
    process.stderr.write(`entrel: out of memory: a tensor of ${size} was asked for; use smaller model sizes or batchSize\n`);
    return EXIT_USER;
  }
  process.stderr.write(`entrel: internal error: ${err?.stack ?? String(e)}\n`);
  process.stderr.write('entrel: this is a bug — please report it with the command you ran\n');
  return EXIT_INTERNAL;
}

/**
 * libtorch's allocation failures, and V8's for a typed array: the machine ran out, not entrel (a config
 * asking for a 10⁹-wide LSTM or a 10⁶-wide CNN window gets here). The user fixes it by asking for less,
 * so it is a user error, not a bug report.
 */
const OUT_OF_MEMORY = /can't allocate memory: you tried to allocate (\d+) bytes|Storage size calculation overflowed|Invalid typed array length|Array buffer allocation failed/;

/** A config number (e.g. `adam.lr=1e38`) that libtorch cannot turn into a float32 scalar: the user's to lower. */
const FLOAT_OVERFLOW = /^(\w+): value cannot be converted to type float without overflow/;

/** File-system failures the user can fix (missing file, permissions, full disk). */
const FS_USER_ERRORS = new Set(['ENOENT', 'EACCES', 'EPERM', 'ENOSPC', 'EISDIR', 'ENOTDIR', 'EROFS', 'EEXIST']);
