/** Every `entrel` sub-command; neural commands load the native engine lazily so data commands stay fast. */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { UserError } from '../../errors.js';
import { calibrateCommand } from './calibrate.js';
import { compareCommand } from './compare.js';
import { convertCommand } from './convert.js';
import { crossvalCommand } from './crossval.js';
import { evaluateCommand } from './evaluate.js';
import { extractCommand } from './extract.js';
import { infoCommand } from './info.js';
import { packageCommand } from './package.js';
import { predictCommand } from './predict.js';
import { serveCommand } from './serve.js';
import { splitCommand } from './split.js';
import { statsCommand } from './stats.js';
import { trainCommand } from './train.js';
import { viewCommand } from './view.js';
import { voteCommand } from './vote.js';

/** One --quiet for every command: the bars (progress.ts) and printNote (output.ts) heed it. */
const quietOption = () =>
  new Option('--quiet', 'no progress bar, per-epoch lines, notes or summary lines on stderr (warnings and errors still show, and the data on stdout)');

export function registerCommands(program: Command): void {
  for (const make of [statsCommand, convertCommand, splitCommand, evaluateCommand, compareCommand, trainCommand, crossvalCommand, calibrateCommand, predictCommand, extractCommand, serveCommand, infoCommand, packageCommand, viewCommand, voteCommand]) program.addCommand(make().addOption(quietOption()));
  program.hook('preAction', (_, command) => refuseLogAsOutput(command));
}

/**
 * A --progress-log named as the command's output (`--out`, convert's OUT) would be lost without a word: the
 * output, renamed into place at the end, replaces it.
 */
function refuseLogAsOutput(command: Command): void {
  const { progressLog, out } = command.opts<{ progressLog?: string; out?: string }>();
  if (progressLog === undefined) return;
  const outputs = [out, command.name() === 'convert' ? command.args[1] : undefined];
  if (outputs.some((o) => o !== undefined && o !== '-' && resolve(o) === resolve(progressLog)))
    throw new UserError('is the output too: the output, written at the end, would replace the progress log; give the log another name', { file: progressLog });
}
