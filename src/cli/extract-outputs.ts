/**
 * Writing extractions as they stream in, atomically (a temporary sibling renamed into place, so a failed
 * run leaves no half output):
 * - `jsonl`: one `{id, text, sentences, entities, relations}` per line;
 * - `brat`: a directory of `ID.txt` + `ID.ann` pairs (code point offsets, see brat.ts) to correct in brat
 *   or INCEpTION and read back with `--format brat`;
 * - `labelstudio`: a JSON array of Label Studio tasks with the extraction as a scored prediction, and
 *   `doccano`: doccano import lines (extract/annotation-tools.ts), to correct there and read back;
 * - `html`: one self-contained page with the web view's View and JSON tabs: per text a figure (View)
 *   and its JSON document `{id, text, sentences, entities, relations}` (JSON), written one after the
 *   other as the texts stream in, so memory stays bounded; the legend of entity types closes the View.
 */
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { LabelSchema } from '../data/corpus.js';
import { CONF_FILE, confText } from '../data/formats/brat-conf.js';
import { fileNameFor, refuseForeignDirectory } from '../data/formats/brat-write.js';
import { writeAtomic, writeAtomicTogether } from '../data/write.js';
import { labelConfigFor, labelConfigText } from '../data/formats/labelstudio.js';
import { writeDirAtomic } from '../data/atomic.js';
import { PageColors } from '../web/colors.js';
import { renderFigure } from '../web/html.js';
import { streamPage } from '../web/page-stream.js';
import { toBratAnn } from '../extract/brat.js';
import { toDoccanoLine, toLabelStudioTask } from '../extract/annotation-tools.js';
import { jsonArrayText, jsonLinesText, mapAsync } from '../data/formats/common.js';
import { printWarning } from './output.js';
import type { StreamedDocument } from '../extract/stream.js';

export const OUTPUT_FORMATS = ['jsonl', 'brat', 'html', 'labelstudio', 'doccano'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * Writes every document of `docs` to `out`; returns how many were written. `schema` (the model's labels)
 * goes into a brat output's annotation.conf, so brat offers the model's types when the output is corrected;
 * its name and version name the predictions of a Label Studio output.
 */
export async function writeExtractions(
  docs: AsyncIterable<StreamedDocument>,
  out: string,
  format: OutputFormat,
  schema?: LabelSchema & { tokenizer: 'ptb' | 'conll04'; name: string; version: string },
): Promise<number> {
  let n = 0;
  const counted = async function* () {
    for await (const d of docs) {
      n++;
      yield d;
    }
  };
  if (format === 'brat') {
    refuseForeignDirectory(out); // the swap would delete what else is there
    await writeDirAtomic(out, 'the brat output', async (tmp) => {
      await writeBrat(withText(counted(), format), tmp);
      if (schema) writeFileSync(join(tmp, CONF_FILE), confText(schema, { layout: 'text', tokenizer: schema.tokenizer }));
    });
  } else if (format === 'labelstudio') {
    const version = schema ? `${schema.name} ${schema.version}` : 'entrel';
    const pieces = jsonArrayText(mapAsync(withText(counted(), format), ({ id, doc }) => toLabelStudioTask(id, doc, version)));
    // The project's labelling config beside it, with the model's labels.
    await writeAtomicTogether([{ out, pieces }, ...(schema ? [{ out: labelConfigFor(out), pieces: [labelConfigText(schema)] }] : [])], () =>
      process.stderr.write('entrel: warning: the labelling config is not written: the output is standard output, a device or a pipe, with no directory beside it\n'),
    );
  } else if (format === 'doccano') await writeAtomic(out, jsonLinesText(mapAsync(withText(counted(), format), ({ id, doc }) => toDoccanoLine(id, doc))));
  else await writeAtomic(out, format === 'jsonl' ? jsonlLines(counted()) : htmlPieces(counted(), out, schema?.entityTypes ?? []));
  return n;
}

/** Every path an output of `format` at `out` writes (a Label Studio output: its labelling config too). */
export function extractionFiles(out: string, format: OutputFormat): string[] {
  return format === 'labelstudio' ? [out, labelConfigFor(out)] : [out];
}

/** The documents with a text to annotate: brat and doccano refuse an empty one, and a text of spaces has nothing to annotate. */
async function* withText(docs: AsyncIterable<StreamedDocument>, format: OutputFormat): AsyncGenerator<StreamedDocument> {
  for await (const d of docs)
    if (d.doc.text.trim() !== '') yield d;
    else printWarning(`${d.id}: ${d.doc.text === '' ? 'an empty text' : 'a text of spaces only'}: not written to the ${format} output`);
}

async function* jsonlLines(docs: AsyncIterable<StreamedDocument>): AsyncGenerator<string> {
  for await (const { id, doc } of docs) yield JSON.stringify({ id, ...doc }) + '\n';
}

async function writeBrat(docs: AsyncIterable<StreamedDocument>, dir: string): Promise<void> {
  const used = new Set<string>();
  for await (const { id, doc } of docs) {
    const name = fileNameFor(id, used);
    writeFileSync(join(dir, `${name}.txt`), doc.text);
    writeFileSync(join(dir, `${name}.ann`), toBratAnn(doc));
  }
}

/** The page, its entity types coloured as the web view colours them: in the order of the model's (`entityTypes`). */
async function* htmlPieces(docs: AsyncIterable<StreamedDocument>, out: string, entityTypes: readonly string[]): AsyncGenerator<string> {
  let i = 0;
  const colors = new PageColors(entityTypes);
  async function* parts() {
    for await (const { id, doc } of docs) yield { doc, figure: renderFigure(doc, i++, colors, {}, id), json: { id, ...doc } };
  }
  // The file's own name: a page that is shared should not carry the writer's directories.
  yield* streamPage(`entrel extraction: ${basename(out)}`, parts(), colors);
}
