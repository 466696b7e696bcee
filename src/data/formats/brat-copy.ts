/**
 * `entrel split`'s brat parts: a collection's documents copied file by file, so that nothing entrel does
 * not read is lost.
 */
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { isDirectory } from '../dirs.js';
import { writeDirAtomic } from '../atomic.js';
import { Diagnostics } from '../diagnostics.js';
import type { LabelSchema } from '../corpus.js';
import { CONF_FILE, confFileText, confText, copiedConf, readCollectionFile, type RecordedLayout } from './brat-conf.js';
import { confOf, docId, documentPrefixes, readingOf, type ReadingOptions } from './brat-read.js';

/**
 * The documents `picked` of the collection at `path` (their positions in reading order, and their ids,
 * checked) written to the brat output `out` as copies of their files, as `entrel split` writes brat parts:
 * a split is by whole documents, so nothing needs rewriting, and nothing entrel does not read is lost
 * (attributes, notes, events, discontinuous entities, relations it reads across sentences, annotation
 * ids). The collection's annotation.conf comes along (`copiedConf`: recording the layout `opts` read the
 * collection with); without one, the schema's is written (`confText`).
 */
export async function copyDocuments(path: string, opts: ReadingOptions, schema: LabelSchema, picked: readonly { at: number; id: string }[], out: string): Promise<void> {
  const reading = await readingOf(path, opts);
  const prefixes = await documentPrefixes(path, reading, new Diagnostics()); // what it counts, reading the collection did
  const { layout, ace05 } = reading;
  // LSTM-ER's files read as ACE05: the part's conf says so, and the part reads so without --ace05.
  const recorded: RecordedLayout = ace05 ? { layout: 'lines', ace05 } : layout;
  const own = await confFileText(confOf(path, await isDirectory(path)));
  await writeDirAtomic(out, 'the brat output', async (tmp) => {
    for (const { at, id } of picked) {
      const name = basename(prefixes[at]);
      if (docId(name, ace05) !== id) throw new Error(`document ${at} of ${path} is ${name}, not ${id}`);
      // Read as the reader reads them (readCollectionFile): a file swapped meanwhile is refused as it would be.
      for (const ext of ['.txt', '.ann']) await writeFile(join(tmp, name + ext), await readCollectionFile(prefixes[at] + ext));
    }
    await writeFile(join(tmp, CONF_FILE), own === undefined ? confText(schema, recorded) : copiedConf(own, recorded));
  });
}
