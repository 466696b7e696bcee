/** Every `entrel` sub-command; neural commands load the native engine lazily so data commands stay fast. */
import type { Command } from 'commander';
import { convertCommand } from './convert.js';
import { evaluateCommand } from './evaluate.js';
import { extractCommand } from './extract.js';
import { predictCommand } from './predict.js';
import { serveCommand } from './serve.js';
import { statsCommand } from './stats.js';
import { trainCommand } from './train.js';

export function registerCommands(program: Command): void {
  for (const make of [statsCommand, convertCommand, evaluateCommand, trainCommand, predictCommand, extractCommand, serveCommand]) program.addCommand(make());
}
