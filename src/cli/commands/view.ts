/**
 * `entrel view FILE --out PAGE.html`: an annotated file drawn as the web view's page (per document a
 * figure and its JSON, the legend). With `--gold GOLD`, FILE is predictions: every entity and relation is
 * marked correct, spurious or missed, and the page opens with the corpus scores. A data command: it
 * never loads libtorch. The page streams to disk, written atomically.
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { Command, Option } from 'commander';
import { counted, UserError } from '../../errors.js';
import { countSentences, mergeSchemas } from '../../data/corpus.js';
import { Diagnostics } from '../../data/diagnostics.js';
import { corpusSchema, FORMATS, inputFiles, loadCorpus, readCorpus, type CorpusOptions } from '../../data/formats/index.js';
import { refuseOverwritingInputs, writeAtomic } from '../../data/write.js';
import { comparisonExtras, comparisonJson, hasErrors, knownScore, renderComparisonFigure } from '../../web/compare.js';
import { escapeHtml as esc } from '../../data/escape.js';
import { PageColors } from '../../web/colors.js';
import { renderFigure } from '../../web/html.js';
import { streamPage, type PageExtras, type PagePart } from '../../web/page-stream.js';
import { withInterrupts } from '../interrupt.js';
import { printNote, printWarnings } from '../output.js';
import { compareCorpora } from '../../web/compare-corpora.js';
import { viewDocument } from '../../web/corpus-view.js';
import { addDataFlags, addLabelStudioFlag, checkedCorpusOptions, pairedOptions, tasksWithBoth, type DataFlags } from './data-options.js';
import { positiveInteger } from './arg-values.js';
import { startBar } from '../../train/progress.js';
import { progressLogOption, withProgressLog } from '../progress-log.js';

interface ViewFlags extends DataFlags {
  out: string;
  gold?: string;
  goldFormat?: string;
  onlyErrors?: boolean;
  limit?: number;
  title?: string;
  quiet?: boolean;
  progressLog?: string;
}

export function viewCommand(): Command {
  const cmd = new Command('view')
    .description('draw an annotated file as an HTML page; with --gold, mark predictions correct, spurious or missed against gold')
    .argument('<file>', 'annotated file (any corpus format); the predictions with --gold')
    .requiredOption('--out <page>', 'the HTML page to write (atomically)');
  return addLabelStudioFlag(addDataFlags(cmd), 'FILE, if a Label Studio file (--gold is read from its annotations)')
    .option('--gold <file>', 'gold annotation of the same documents (and texts; tokenised otherwise, both are put on common tokens): FILE is compared with it')
    .addOption(new Option('--gold-format <name>', 'format of --gold (detected from the content when absent)').choices([...FORMATS]))
    .option('--only-errors', 'with --gold: draw only documents with a spurious or missed item')
    .option('--limit <n>', 'draw at most n documents', positiveInteger)
    .option('--title <text>', 'page title')
    .addOption(progressLogOption())
    .action(async (file: string, flags: ViewFlags) => {
      if (!flags.gold && flags.onlyErrors) throw new UserError('--only-errors needs --gold GOLD: errors are differences from gold');
      if (!flags.gold && flags.goldFormat) throw new UserError('--gold-format goes with --gold GOLD');
      if (statSync(flags.out, { throwIfNoEntry: false })?.isDirectory())
        throw new UserError('is a directory: the page is a file, give its name (e.g. page.html)', { file: flags.out });
      const inputs = [...(await inputFiles(file, { typesFile: flags.types })), ...(flags.gold ? await inputFiles(flags.gold) : [])];
      refuseOverwritingInputs([flags.out], inputs);
      const page = flags.gold ? await comparisonPage(file, flags.gold, flags) : corpusPage(file, flags);
      const drawn = await withInterrupts(() => page.write());
      printWarnings(page.diagnostics, file);
      printNote(`drew ${counted(drawn.count, 'document')} to ${flags.out}`, flags);
      // Not a note: what the page leaves out.
      if (drawn.more) process.stderr.write(`entrel: stopped after ${counted(drawn.count, 'document')} (--limit ${flags.limit}); more were not drawn\n`);
    });
}

interface Drawn {
  count: number;
  /** `--limit` left documents out. */
  more: boolean;
}

interface Page {
  write(): Promise<Drawn>;
  /** Warnings of reading FILE, printed once the page is written (streaming reads them as it goes). */
  diagnostics: Diagnostics;
}

/** The documents of a file as they are read: bounded memory for files of any size. */
function corpusPage(file: string, flags: ViewFlags): Page {
  const diagnostics = new Diagnostics();
  const docs = async function* (options: CorpusOptions) {
    for await (const d of readCorpus(file, { ...options, diagnostics })) {
      const doc = viewDocument(d);
      yield { id: d.id, doc, json: { id: d.id, ...doc, entities: doc.entities.map(knownScore), relations: doc.relations.map(knownScore) } };
    }
  };
  const title = flags.title ?? `entrel view: ${basename(file)}`;
  const note = (drawn: Drawn) => (drawn.more ? `<p class="note">Stopped after ${counted(drawn.count, 'document')} (--limit); the file has more.</p>` : '');
  return {
    diagnostics,
    write: async () => {
      const options = await checkedCorpusOptions(flags, file);
      const colors = await corpusColors(file, options, flags.limit);
      return writePage(
        flags,
        title,
        colors,
        docs(options),
        // Stacked: a file may nest entities (ACE, SciERC), which one line of boxes cannot show.
        ({ id, doc, json }, i) => ({ doc, json, figure: renderFigure(doc, i, colors, { stack: true }, id) }),
        (drawn) => ({ viewEnd: () => note(drawn) }),
      );
    },
  };
}

/**
 * The colours of FILE's page: its declared types first, then those of the documents it draws (at most
 * `limit`) as they appear, the order of a model trained on FILE, whose `extract --format html` and web
 * view so colour them alike. A pipe is read once: there the undeclared types take colours as the page meets them.
 */
async function corpusColors(file: string, options: CorpusOptions, limit?: number): Promise<PageColors> {
  const types = new Set((await corpusSchema(file, [], options)).entityTypes);
  const s = statSync(file, { throwIfNoEntry: false });
  if (!s?.isFile() && !s?.isDirectory()) return new PageColors(types);
  let n = 0;
  // Its warnings are the drawing's, printed once.
  for await (const d of readCorpus(file, { ...options, diagnostics: new Diagnostics() })) {
    if (n++ === limit) break;
    for (const sentence of d.sentences) for (const e of sentence.entities) types.add(e.type);
  }
  return new PageColors(types);
}

/** FILE's predictions against GOLD: both read whole (as `evaluate` reads them), the page streamed. */
async function comparisonPage(file: string, goldFile: string, flags: ViewFlags): Promise<Page> {
  const [goldOptions, predOptions] = await pairedOptions(flags, [{ file: goldFile, format: flags.goldFormat, gold: true }, { file, format: flags.format }]);
  const gold = await loadCorpus(goldFile, { ...goldOptions, diagnostics: new Diagnostics() });
  const pred = await loadCorpus(file, { ...predOptions, diagnostics: new Diagnostics() });
  const both = tasksWithBoth(goldFile, file, flags, gold, pred);
  const { report, documents } = compareCorpora(both.gold, both.pred, { schema: gold.schema, diagnostics: pred.diagnostics, goldFile, predFile: file });
  const colors = new PageColors(mergeSchemas(gold.schema, pred.schema).entityTypes);
  printWarnings(gold.diagnostics, goldFile);
  const total = both.gold.length;
  const about =
    `<p class="about">Predictions <b>${esc(basename(file))}</b> against gold <b>${esc(basename(goldFile))}</b>: ` +
    `${counted(total, 'document')}, ${counted(countSentences(both.gold), 'sentence')}; micro scores over all of them, strict criteria.</p>`;
  const shown = async function* () {
    for (const doc of documents) if (!flags.onlyErrors || hasErrors(doc)) yield doc;
  };
  const which = (flags.onlyErrors ? ', those with a spurious or missed item' : '') + (flags.limit !== undefined ? `, at most ${flags.limit}` : '');
  const note = (drawn: Drawn) => `<p class="note">${drawn.count} of ${counted(total, 'document')} drawn${which}.</p>`;
  const title = flags.title ?? `entrel view: ${basename(file)} against ${basename(goldFile)}`;
  return {
    diagnostics: pred.diagnostics,
    write: () =>
      writePage(
        flags,
        title,
        colors,
        shown(),
        (doc, i) => ({ doc, json: comparisonJson(doc), figure: renderComparisonFigure(doc, i, colors) }),
        (drawn) => comparisonExtras(report, about, () => note(drawn)),
        // --only-errors draws an unknown part of them: the bar counts without a total then.
        flags.onlyErrors ? undefined : total,
      ),
  };
}

/**
 * Streams `items` as figures to `flags.out`, at most `--limit` of them, with a progress bar on a
 * terminal; `extras` get the count, which is final when the end of the page is written; `colors`: the figures', for the legend.
 */
async function writePage<T>(
  flags: ViewFlags,
  title: string,
  colors: PageColors,
  items: AsyncIterable<T>,
  part: (item: T, i: number) => PagePart,
  extras: (drawn: Drawn) => PageExtras,
  total?: number,
): Promise<Drawn> {
  return withProgressLog(flags.progressLog, 'view', async (log) => {
    const drawn: Drawn = { count: 0, more: false };
    // At most --limit are drawn: the bar's total.
    const bar = startBar({ label: 'view', unit: 'documents', total: total === undefined ? undefined : Math.min(total, flags.limit ?? total), quiet: flags.quiet, log });
    async function* parts() {
      for await (const item of items) {
        if (drawn.count === flags.limit) {
          drawn.more = true;
          break;
        }
        yield part(item, drawn.count++);
        bar.update(drawn.count);
      }
    }
    try {
      await writeAtomic(flags.out, streamPage(title, parts(), colors, extras(drawn)));
    } finally {
      bar.stop();
    }
    return drawn;
  });
}
