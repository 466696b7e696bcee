/** Flags shared by every command that reads annotated data, so they read the same everywhere. */
import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import type { Document } from '../../data/corpus.js';
import { ACE05_FORMATS } from '../../data/formats/ace05.js';
import { readsAsAce05 } from '../../data/formats/brat-read.js';
import { FORMATS, detectFormat, readsRawText, type CorpusOptions, type LoadedCorpus } from '../../data/formats/index.js';
import { quote, UserError } from '../../errors.js';
import { modelPath } from '../../model/model-ref.js';

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
    .option('--ace05', 'ACE05 read as the paper does: PER-SOC in text order and symmetric (brat, dygie, unified); brat: LSTM-ER output, 3 header lines and the date line skipped')
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

/**
 * Reading options for a command that runs a model on the data (evaluate --data, predict, calibrate,
 * crossval): the model (or the recipe) cuts raw text with its own tokenizer, which `--tokenizer` would
 * contradict.
 */
export function modelDataOptions(flags: DataFlags): CorpusOptions {
  if (flags.tokenizer !== undefined)
    throw new UserError(`--tokenizer ${flags.tokenizer}: raw text is cut here with the model's own tokenizer (its config's model.tokenizer), as extraction cuts it`);
  return corpusOptions(flags);
}

/** corpusOptions for reading `file`, with `--tokenizer` refused where it would cut nothing (refuseUnusedTokenizer). */
export async function checkedCorpusOptions(flags: DataFlags, file: string, format = flags.format): Promise<CorpusOptions> {
  const options = corpusOptions(flags, format);
  await refuseUnusedTokenizer(flags, [{ file, options }]);
  return options;
}

/**
 * `--tokenizer` cuts raw text only (doccano, Label Studio, brat's `text` layout); on files that give their
 * tokens it would change nothing without a word, so it is refused there.
 */
async function refuseUnusedTokenizer(flags: DataFlags, files: { file: string; options: CorpusOptions }[]): Promise<void> {
  if (flags.tokenizer === undefined) return;
  const read = await Promise.all(files.map(({ file, options }) => readsRawText(file, options)));
  if (read.some((r) => r.raw)) return;
  const given = files.map(({ file }, i) => `${file} is read as ${read[i].format}${read[i].format === 'brat' ? ' in the lines layout' : ''}`).join(', ');
  throw new UserError(`--tokenizer ${flags.tokenizer} says how raw text (doccano, Label Studio, brat's text layout) is cut into tokens, but ${given}, whose tokens are given: leave --tokenizer out`);
}

function corpusOptions(flags: DataFlags, format = flags.format): CorpusOptions {
  // Only where given: the commands that run a model on annotated data take no such option.
  const results = flags.lsResults === undefined ? {} : { labelStudioResults: flags.lsResults };
  // Only where given: a model's own tokenizer is the default of the commands that run one.
  const tokenizer = flags.tokenizer === undefined ? {} : { tokenizer: flags.tokenizer };
  return { format, typesFile: flags.types, split: flags.split, ace05: flags.ace05, bratLayout: flags.bratLayout, ...tokenizer, ...results };
}

/**
 * Options for each file a command reads side by side (gold and predictions). `--ls-results` goes to the
 * predictions' files only. `--split`, `--ace05` and `--brat-layout`
 * pick from NYT CoType's and ACE05's files, so they go to the files of those formats only: the other
 * one is usually predictions as `predict` writes them (JSONL), which hold the selected part already.
 * Where no file has such a format, every file gets them, and reading refuses them as for one file.
 */
export async function pairedOptions(flags: DataFlags, files: { file: string; format?: string; gold?: boolean }[]): Promise<CorpusOptions[]> {
  const formats = await Promise.all(files.map((f) => f.format ?? detectFormat(f.file)));
  const to = <T>(value: T, own: ReadonlySet<string>, i: number) => (formats.some((f) => own.has(f)) && !own.has(formats[i]) ? undefined : value);
  // Gold is annotation: `--ls-results` reads the systems' Label Studio files only.
  const systems = files.map((f, i) => !f.gold && formats[i] === 'labelstudio');
  if (flags.lsResults && !systems.includes(true))
    throw new UserError(`--ls-results ${flags.lsResults} says how to read predictions from a Label Studio file, but no predictions file here is one (${files.filter((f) => !f.gold).map((f) => f.file).join(', ')})`);
  const results = (i: number) => (systems[i] ? flags.lsResults : undefined);
  const options = formats.map((format, i) => ({
    format,
    typesFile: flags.types,
    split: to(flags.split, NYT, i),
    ace05: to(flags.ace05, ACE05_FORMATS, i),
    bratLayout: to(flags.bratLayout, BRAT, i),
    tokenizer: flags.tokenizer,
    labelStudioResults: results(i),
  }));
  await refuseUnusedTokenizer(flags, files.map(({ file }, i) => ({ file, options: options[i] })));
  return options;
}

const NYT: ReadonlySet<string> = new Set(['nyt']);
const BRAT: ReadonlySet<string> = new Set(['brat']);

/**
 * What to say when data is read otherwise than the model's training data was (its recorded config):
 * ACE05 read without `--ace05` (and, brat, not a part `split --ace05` wrote), so that its header and date
 * lines are sentences and PER-SOC keeps its annotated order; or NYT CoType's test file read whole by a
 * model chosen on its seeded dev part (`data.devSplit`), so that the sentences it was chosen on are scored.
 * Nothing where the model or the data cannot be read: the run says why.
 */
export async function trainingReadingWarning(models: readonly string[], data: string, flags: DataFlags): Promise<string | undefined> {
  try {
    const format = flags.format ?? (await detectFormat(data));
    const aceMismatch = !flags.ace05 && ACE05_FORMATS.has(format) && !(format === 'brat' && (await readsAsAce05(data, corpusOptions(flags))));
    const nytWhole = format === 'nyt' && (flags.split ?? 'all') === 'all';
    if (!aceMismatch && !nytWhole) return undefined;
    const { readModelDir } = await import('../../model/io.js'); // libtorch's: not for the commands without a model
    const dataOf = (m: string) => (readModelDir(modelPath(m)).meta.trainConfig as { data?: { ace05?: unknown; devSplit?: unknown } } | undefined)?.data;
    for (const m of models) {
      const trained = dataOf(m);
      if (aceMismatch && trained?.ace05 === true)
        return `${m} was trained on ACE05 read with --ace05 (its config's data.ace05), but ${data} is read without it: give --ace05 to read it as the model's training data was read`;
      if (nytWhole && trained?.devSplit === 'dev')
        return `${m} was chosen on the seeded dev part of NYT CoType's test file (its config's data.devSplit), but ${data} is read whole, those sentences included: give --split test to score the part it was not chosen on`;
    }
  } catch (e) {
    if (e instanceof UserError) return undefined;
    throw e;
  }
}

/**
 * Gold and predictions read from one Label Studio export (`--gold X --pred X --ls-results predictions`):
 * a pre-annotation against the annotators' corrections, scored on the tasks that have both. A task not
 * annotated yet, or annotated without a prediction, is left out and counted in the predictions' warnings
 * (not refused as a prediction gold lacks, nor scored as misses). Other pairs of files are returned as read.
 */
export function tasksWithBoth(goldFile: string, predFile: string, flags: DataFlags, gold: LoadedCorpus, pred: LoadedCorpus): { gold: Document[]; pred: Document[] } {
  if (flags.lsResults !== 'predictions' || gold.format !== 'labelstudio' || resolve(goldFile) !== resolve(predFile)) return { gold: gold.documents, pred: pred.documents };
  const [annotated, predicted] = [new Set(gold.documents.map((d) => d.id)), new Set(pred.documents.map((d) => d.id))];
  // Said here in these words: the readers' own warnings about the same tasks would point to a flag given already.
  gold.diagnostics.drop('labelstudio-task-with-only-predictions-dropped');
  pred.diagnostics.drop('labelstudio-task-without-prediction-dropped');
  for (const d of pred.documents) if (!annotated.has(d.id)) pred.diagnostics.warn('labelstudio-prediction-not-annotated-not-scored', `task ${quote(d.id)}`);
  for (const d of gold.documents) if (!predicted.has(d.id)) pred.diagnostics.warn('labelstudio-annotation-without-prediction-not-scored', `task ${quote(d.id)}`);
  return { gold: gold.documents.filter((d) => predicted.has(d.id)), pred: pred.documents.filter((d) => annotated.has(d.id)) };
}
