/**
 * `entrel vote A B C … --out FILE [--to FORMAT] [--min-votes K]`: several systems' predictions of the
 * same documents combined by majority vote (eval/vote.ts), written like any corpus. Files whose declared
 * labels differ are voted all the same (systems may share only some types), with a warning naming the
 * files and the types.
 */
import { Command, Option } from 'commander';
import { mergeSchemas, type LabelSchema } from '../../data/corpus.js';
import { Diagnostics } from '../../data/diagnostics.js';
import { WRITABLE_FORMATS, getFormat, inputFiles, loadCorpus, writeCorpus, writtenFiles, type CorpusOptions, type LoadedCorpus } from '../../data/formats/index.js';
import { refuseOverwritingInputs } from '../../data/write.js';
import { resolveMinVotes, vote } from '../../eval/index.js';
import { counted, UserError, quote } from '../../errors.js';
import { withInterrupts } from '../interrupt.js';
import { printNote, printWarning, printWarnings } from '../output.js';
import { positiveInteger } from './arg-values.js';
import { addDataFlags, addLabelStudioFlag, pairedOptions, type DataFlags } from './data-options.js';

interface VoteFlags extends DataFlags {
  quiet?: boolean;
  out: string;
  to?: string;
  minVotes?: number;
}

export function voteCommand(): Command {
  const cmd = new Command('vote')
    .description('combine several systems\' predictions of the same documents: keep each entity and relation that a majority of them (or --min-votes) predicted')
    .argument('<predictions...>', 'prediction files (at least two), e.g. from entrel predict with models of different seeds; the first gives the documents\' order');
  addLabelStudioFlag(addDataFlags(cmd), 'the prediction files that are Label Studio files')
    .requiredOption('--out <file>', 'output file, a directory for brat (written atomically)')
    .addOption(new Option('--to <format>', 'output format (default jsonl)').choices([...WRITABLE_FORMATS]))
    .option('--min-votes <k>', 'systems that must predict an item for it to be kept (default: more than half)', positiveInteger);
  return cmd.action(async (files: string[], flags: VoteFlags) => {
    if (files.length < 2) throw new UserError(`vote needs at least two prediction files (got ${files.length})`);
    if (flags.minVotes !== undefined && flags.minVotes > files.length)
      throw new UserError(`--min-votes ${flags.minVotes}: there are only ${files.length} prediction files`);
    const to = flags.to ?? 'jsonl';
    // A types file read beside an input is an input too.
    const inputs = await Promise.all(files.map((file) => inputFiles(file, { typesFile: flags.types })));
    refuseOverwritingInputs(writtenFiles(flags.out, to), inputs.flat());
    const options = await pairedOptions(flags, files.map((file) => ({ file, format: flags.format })));
    const systems: LoadedCorpus[] = [];
    for (const [i, file] of files.entries()) {
      const corpus = await loadCorpus(file, { ...options[i], diagnostics: new Diagnostics() });
      printWarnings(corpus.diagnostics, file);
      systems.push(corpus);
    }
    // One --types file declares the labels of all: what a file uses beyond it was warned about while reading.
    if (flags.types === undefined) {
      const declared = await Promise.all(files.map((file, i) => declaredLabels(file, options[i])));
      const labels = files.map((file, i) => ({ file, declared: declared[i], used: systems[i].schema }));
      for (const line of labelDifferences(labels, resolveMinVotes(flags.minVotes, files.length))) printWarning(line);
    }
    const schema = mergeSchemas(...systems.map((s) => s.schema));
    const missing = files.map(() => new Diagnostics());
    const { documents, counts } = vote(systems.map((s) => s.documents), { minVotes: flags.minVotes, schema, files, diagnostics: missing });
    missing.forEach((d, i) => printWarnings(d, files[i]));
    const lost = new Diagnostics();
    await withInterrupts(() => writeCorpus(documents, schema, flags.out, to, lost));
    printWarnings(lost, flags.out);
    const of = (k: { kept: number; distinct: number }) => `${k.kept} of ${k.distinct}`;
    printNote(
      `kept ${of(counts.entities)} distinct entities and ${of(counts.relations)} distinct relations ` +
        `(at least ${counts.minVotes} of ${counts.systems} votes); wrote ${counted(documents.length, 'document')} to ${flags.out}${to === 'jsonl' ? '' : ` as ${to}`}`,
      flags,
    );
  });
}

/** The labels a file declares (a types file beside it, brat's annotation.conf), when it declares them all. */
async function declaredLabels(file: string, options: CorpusOptions): Promise<LabelSchema | undefined> {
  const own = await getFormat(options.format!).schema?.(file, { ...options, diagnostics: new Diagnostics() });
  return own?.entityTypes && own.relationTypes ? { entityTypes: own.entityTypes, relationTypes: own.relationTypes } : undefined;
}

/**
 * Prediction files of systems with other labels, which the vote would combine without a word: a type
 * that is a label of some files (declared, or used by a file that declares nothing) and that others
 * declare they do not have (those can never vote for its items: LOC in one, GPE in another), and a
 * relation type that some declare symmetric and others not (the vote takes both directions as one, as
 * the output's schema marks it symmetric). A file that declares nothing is compared by the types it
 * uses only where others declare theirs: a type it does not use may simply not have been predicted.
 */
function labelDifferences(files: readonly { file: string; declared?: LabelSchema; used: LabelSchema }[], minVotes: number): string[] {
  // A file given twice (to count twice) is named once.
  const list = (names: string[]) => [...new Set(names)].join(', ');
  const lines: string[] = [];
  const kinds = [
    { kind: 'entity', items: 'entities', types: (s: LabelSchema) => s.entityTypes },
    { kind: 'relation', items: 'relations', types: (s: LabelSchema) => s.relationTypes.map((r) => r.name) },
  ];
  for (const { kind, items, types } of kinds) {
    const labels = files.map((f) => new Set(types(f.declared ?? f.used)));
    for (const type of new Set(labels.flatMap((l) => [...l]))) {
      const lacking = files.filter((f, i) => f.declared && !labels[i].has(type)).map((f) => f.file);
      if (lacking.length === 0) continue;
      const having = files.filter((_, i) => labels[i].has(type)).map((f) => f.file);
      const most = files.length - lacking.length;
      lines.push(
        `labels differ: ${kind} type ${quote(type)} is a label of ${list(having)} but ${list(lacking)} ${lacking.length === 1 ? 'does' : 'do'} not declare it: ` +
          `at most ${most} of the ${files.length} files can vote for its ${items}${most < minVotes ? `, and ${minVotes} votes are needed` : ''}`,
      );
    }
  }
  const declaring = files.filter((f) => f.declared);
  for (const name of new Set(declaring.flatMap((f) => f.declared!.relationTypes.map((r) => r.name)))) {
    const symmetric = (want: boolean) => declaring.filter((f) => f.declared!.relationTypes.some((r) => r.name === name && r.symmetric === want)).map((f) => f.file);
    const [yes, no] = [symmetric(true), symmetric(false)];
    if (yes.length > 0 && no.length > 0)
      lines.push(`labels differ: relation type ${quote(name)} is symmetric in ${list(yes)} but not in ${list(no)}: the vote takes both its directions as one relation`);
  }
  return lines;
}
