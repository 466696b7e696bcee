/**
 * A standard stream that cannot be written. Without a listener, Node throws its 'error' event as a stack trace.
 * - stdout closed by its reader (`entrel extract --json … | head`): the process ends quietly with exit 141
 *   (128 + SIGPIPE, what `yes | head -1` gives), its partial outputs removed as after a Ctrl-C;
 * - stdout failing otherwise (a full disk): one line on stderr, and exit 1 (the data on stdout is lost);
 * - stderr failing: the rest of stderr is dropped and the command goes on to the exit code it has. A
 *   command's result is its output files and stdout: a `convert` whose summary line cannot be written to a
 *   full stderr still wrote its file, and exits 0.
 * `serve` keeps serving whatever its log streams do (ignoreStreamErrors).
 */
import { constants } from 'node:os';
import { abandonPartialOutputs } from '../data/write.js';
import { fsReason } from '../errors.js';
import { restoreTerminal } from './interrupt.js';

const EXIT_PIPE_CLOSED = 128 + constants.signals.SIGPIPE;
const EXIT_USER = 1;

let installed = false;
/** How many runs ignore the streams' errors now (serve). */
let ignoring = 0;

/** Installs the handlers, once per process. */
export function guardStandardStreams(): void {
  if (installed) return;
  installed = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (ignoring > 0) return;
    const left = abandonPartialOutputs();
    restoreTerminal();
    if (e.code !== 'EPIPE') process.stderr.write(`entrel: cannot write standard output: ${fsReason(e) ?? e.code ?? e.message}\n`);
    for (const what of left) process.stderr.write(`entrel: could not remove the partial output ${what}; the next run writing the same output removes it\n`);
    process.exit(e.code === 'EPIPE' ? EXIT_PIPE_CLOSED : EXIT_USER);
  });
  // Nothing can be said about it: the lines still to come are dropped (a destroyed stream ignores them).
  process.stderr.on('error', () => {});
}

/** Until the returned function is called, a stream error ends nothing (and a stream without guardStandardStreams throws none). */
export function ignoreStreamErrors(): () => void {
  const drop = () => {};
  for (const stream of [process.stdout, process.stderr]) stream.on('error', drop);
  ignoring++;
  return () => {
    ignoring--;
    for (const stream of [process.stdout, process.stderr]) stream.off('error', drop);
  };
}
