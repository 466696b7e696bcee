/** Flags shared by every command that reads annotated data, so they read the same everywhere. */
import { Command } from 'commander';
import type { CorpusOptions } from '../../data/formats/index.js';

export interface DataFlags {
  format?: string;
  types?: string;
  split?: 'dev' | 'test' | 'all';
  ace05?: boolean;
}

export function addDataFlags(cmd: Command, prefix = ''): Command {
  return cmd
    .option(`--${prefix}format <name>`, 'input format (detected from the content when absent)')
    .option(`--${prefix}types <file>`, 'a SpERT-style types file giving the label schema')
    .option('--split <dev|test|all>', 'NYT CoType test file: the paper\'s seeded dev or test part')
    .option('--ace05', 'brat input is LSTM-ER ACE05 output (skip 3 header lines, PER-SOC in text order)');
}

export function corpusOptions(flags: DataFlags): CorpusOptions {
  return { format: flags.format, typesFile: flags.types, split: flags.split, ace05: flags.ace05 };
}
