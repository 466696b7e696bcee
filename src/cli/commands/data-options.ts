/** Flags shared by every command that reads annotated data, so they read the same everywhere. */
import { Command, Option } from 'commander';
import { FORMATS, detectFormat, type CorpusOptions } from '../../data/formats/index.js';
import { UserError } from '../../errors.js';

export interface DataFlags {
  format?: string;
  types?: string;
  split?: 'dev' | 'test' | 'all';
  ace05?: boolean;
  bratLayout?: 'auto' | 'lines' | 'text';
  tokenizer?: 'ptb' | 'conll04';
  lsResults?: 'annotations' | 'predictions';
}

/** `formatFlag` names the format option (`convert` calls it `from`). */
export function addDataFlags(cmd: Command, formatFlag = 'format'): Command {
  return cmd
    .option(`--${formatFlag} <name>`, `input format: ${FORMATS.join(', ')} (detected from the content when absent)`)
    .option('--types <file>', 'a SpERT-style types file giving the label schema')
    .addOption(new Option('--split <part>', 'NYT CoType test file: the paper\'s seeded dev or test part').choices(['dev', 'test', 'all']))
    .option('--ace05', 'brat input is LSTM-ER ACE05 output (skip 3 header lines, PER-SOC in text order)')
    .addOption(
      new Option('--brat-layout <layout>', "brat input's sentences and tokens: lines (a sentence a line, tokens between spaces), text (raw text, split as extract does; tokens cut at the entities), auto (what its annotation.conf records, else text)")
        .choices(['auto', 'lines', 'text']),
    )
    .addOption(
      new Option('--tokenizer <style>', "how raw text (brat's text layout, doccano, Label Studio) is cut into tokens: ptb (do n't, $ 3) or conll04 (don 't, $3), as the model's config says (default: the model's where one runs, else ptb)")
        .choices(['ptb', 'conll04']),
    );
}

/**
 * `--ls-results`, for the commands that read a model's output: Label Studio keeps a model's output as a
 * task's predictions, beside the annotators' annotations. `which` says which files it applies to.
 */
export function addLabelStudioFlag(cmd: Command, which: string): Command {
  return cmd.addOption(
    new Option('--ls-results <results>', `${which}: each task's annotation (default) or its last prediction (a model's, e.g. extract --format labelstudio or an ML backend's)`).choices(['annotations', 'predictions']),
  );
}

export function corpusOptions(flags: DataFlags, format = flags.format): CorpusOptions {
  // Only where given: the commands that run a model on annotated data take no such option.
  const results = flags.lsResults === undefined ? {} : { labelStudioResults: flags.lsResults };
  // Only where given: a model's own tokenizer is the default of the commands that run one.
  const tokenizer = flags.tokenizer === undefined ? {} : { tokenizer: flags.tokenizer };
  return { format, typesFile: flags.types, split: flags.split, ace05: flags.ace05, bratLayout: flags.bratLayout, ...tokenizer, ...results };
}

/**
 * Options for each file a command reads side by side (gold and predictions). `--ls-results` goes to the
 * predictions' files only. `--split`, `--ace05` and `--brat-layout`
 * pick from NYT CoType's and LSTM-ER's files, so they go to the files of that format only: the other
 * one is usually predictions as `predict` writes them (JSONL), which hold the selected part already.
 * Where no file has that format, every file gets them, and reading refuses them as for one file.
 */
export async function pairedOptions(flags: DataFlags, files: { file: string; format?: string; gold?: boolean }[]): Promise<CorpusOptions[]> {
  const formats = await Promise.all(files.map((f) => f.format ?? detectFormat(f.file)));
  const to = <T>(value: T, format: string, i: number) => (formats.includes(format) && formats[i] !== format ? undefined : value);
  // Gold is annotation: `--ls-results` reads the systems' Label Studio files only.
  const systems = files.map((f, i) => !f.gold && formats[i] === 'labelstudio');
  if (flags.lsResults && !systems.includes(true))
    throw new UserError(`--ls-results ${flags.lsResults} says how to read predictions from a Label Studio file, but no predictions file here is one (${files.filter((f) => !f.gold).map((f) => f.file).join(', ')})`);
  const results = (i: number) => (systems[i] ? flags.lsResults : undefined);
  return formats.map((format, i) => ({
    format,
    typesFile: flags.types,
    split: to(flags.split, 'nyt', i),
    ace05: to(flags.ace05, 'brat', i),
    bratLayout: to(flags.bratLayout, 'brat', i),
    tokenizer: flags.tokenizer,
    labelStudioResults: results(i),
  }));
}
