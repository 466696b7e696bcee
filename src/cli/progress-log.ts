/**
 * `--progress-log FILE`: a command's progress as JSON lines, for a machine watching it (a job runner, a
 * notebook), whether or not stderr is a terminal and with --quiet too. The bars' own reports (progress.ts's
 * BarSpec.log) go to it, one line a second at most per phase, plus its first and last state:
 *   {"type":"start","command":"predict","time":"…"}
 *   {"type":"progress","phase":"predict","unit":"sentences","done":2300,"total":3688,"rate":1945.2,"eta":0.7,"seconds":1.2,"time":"…"}
 *   {"type":"end","outcome":"done"|"failed"|"interrupted","seconds":3.1,"time":"…"}
 * The file is written as the command goes (a log, not an output: it is never renamed into place).
 */
import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { Option } from 'commander';
import { writeError } from '../data/atomic.js';
import { makeDirs } from '../data/dirs.js';
import { dirname } from 'node:path';
import { fsReason, Interrupted, UserError } from '../errors.js';
import { isInterruptedExit } from './interrupt.js';
import { printableLines } from './output.js';
import { writesStandardOutput } from '../data/output-target.js';
import type { ProgressRecord } from '../train/progress.js';

/** The option, the same on every command that has a bar. */
export const progressLogOption = () =>
  new Option('--progress-log <file>', 'write the progress as JSON lines to FILE (start, a line a second per phase, end), terminal or not');

export type ProgressSink = (record: ProgressRecord) => void;

/**
 * Runs `work` with a sink writing to `file` (none without a file), between a `start` and an `end` line that
 * says how the command ended.
 */
export async function withProgressLog<T>(file: string | undefined, command: string, work: (log: ProgressSink | undefined) => Promise<T>): Promise<T> {
  if (file === undefined) return work(undefined);
  const t0 = performance.now();
  // Not a file named `-` (review 32 #9), nor the data's stream, interleaved with it.
  if (writesStandardOutput(file)) throw new UserError(`--progress-log ${file}: give a file; standard output carries the data`);
  refuseNonLog(file);
  let fd: number;
  try {
    makeDirs(dirname(file));
    fd = openSync(file, 'w');
  } catch (e) {
    throw writeError('the progress log', file, e);
  }
  // A log that cannot be written (a reader gone, a full disk) is given up with a warning: the work goes on.
  let broken = false;
  const line = (record: object) => {
    if (broken) return;
    try {
      writeSync(fd, JSON.stringify({ ...record, time: new Date().toISOString() }) + '\n');
    } catch (e) {
      broken = true;
      const { code } = e as NodeJS.ErrnoException;
      process.stderr.write(`${printableLines(`entrel: ${file}: warning: cannot write the progress log (${fsReason(e) ?? code ?? String(e)}); going on without it`)}\n`);
    }
  };
  let ended = false;
  const end = (outcome: 'done' | 'failed' | 'interrupted') => {
    if (ended) return;
    ended = true;
    try {
      line({ type: 'end', outcome, seconds: round((performance.now() - t0) / 1000) });
    } finally {
      closeSync(fd);
    }
  };
  // Ctrl-C or SIGTERM ends most commands at once (interrupt.ts: process.exit), past any finally below.
  const onExit = (code: number) => end(isInterruptedExit(code) ? 'interrupted' : 'failed');
  process.on('exit', onExit);
  let outcome: 'done' | 'failed' | 'interrupted' = 'failed';
  try {
    line({ type: 'start', command });
    const result = await work((r) => line({ type: 'progress', ...r }));
    outcome = 'done';
    return result;
  } catch (e) {
    if (e instanceof Interrupted) outcome = 'interrupted';
    throw e;
  } finally {
    process.off('exit', onExit);
    end(outcome);
  }
}

/**
 * The log replaces a file of its own kind only: an input, a model file or anything else there would be lost
 * (`--progress-log data.json`), and a named pipe without a reader would block the open for good.
 */
function refuseNonLog(file: string): void {
  let st;
  try {
    st = statSync(file);
  } catch {
    return; // not there (or unreadable: the open says why)
  }
  if (!st.isFile()) throw new UserError(`cannot write the progress log: ${st.isDirectory() ? 'it is a directory (EISDIR)' : 'it is not a regular file (a named pipe, a device or a socket)'}`, { file });
  if (st.size === 0) return;
  const head = Buffer.alloc(64);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!head.toString('utf8').startsWith('{"type":"start"'))
    throw new UserError('holds something other than a progress log, which it would replace: give --progress-log another file', { file });
}

const round = (x: number) => Math.round(x * 1000) / 1000;
