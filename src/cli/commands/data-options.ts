/** Flags shared by every command that reads annotated data, so they read the same everywhere. */
import { Command, Option } from 'commander';
import { FORMATS, type CorpusOptions } from '../../data/formats/index.js';

export interface DataFlags {
  format?: string;
  types?: string;
  split?: 'dev' | 'test' | 'all';
  ace05?: boolean;
}

/** `formatFlag` names the format option (`convert` calls it `from`). */
export function addDataFlags(cmd: Command, formatFlag = 'format'): Command {
  return cmd
    .option(`--${formatFlag} <name>`, `input format: ${FORMATS.join(', ')} (detected from the content when absent)`)
    .option('--types <file>', 'a SpERT-style types file giving the label schema')
    .addOption(new Option('--split <part>', 'NYT CoType test file: the paper\'s seeded dev or test part').choices(['dev', 'test', 'all']))
    .option('--ace05', 'brat input is LSTM-ER ACE05 output (skip 3 header lines, PER-SOC in text order)');
}

export function corpusOptions(flags: DataFlags, format = flags.format): CorpusOptions {
  return { format, typesFile: flags.types, split: flags.split, ace05: flags.ace05 };
}
