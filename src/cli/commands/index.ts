/** Every `entrel` sub-command; neural commands load the native engine lazily so data commands stay fast. */
import type { Command } from 'commander';
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

export function registerCommands(program: Command): void {
  for (const make of [statsCommand, convertCommand, splitCommand, evaluateCommand, compareCommand, trainCommand, crossvalCommand, calibrateCommand, predictCommand, extractCommand, serveCommand, infoCommand, packageCommand, viewCommand, voteCommand]) program.addCommand(make());
}
