/**
 * brat standoff: `NAME.txt` + `NAME.ann`, a collection (a directory of pairs) or one pair (name either
 * file). The text is cut into sentences and tokens by the layout (`lines` or `text`: brat-read.ts
 * readingOf). `T` lines are entities (discontinuous ones dropped), `R` lines relations; E, A, M, N, * and #
 * lines are dropped and counted, and so is an event's trigger, a `T` line too: one of a type the conf
 * declares under `[events]`, or one an `E` line names (a relation to a trigger or to an event is dropped
 * with it). `entrel split` copies a collection's files into its parts, so what is dropped stays there
 * (brat-copy.ts). brat counts offsets in code points, which we convert to JavaScript's UTF-16 offsets. A
 * document is read whole (its offsets span the file).
 *
 * `ace05: true` reads LSTM-ER's ACE05 output as the paper's lib/ace2005_data_preprocess.py (spec §1.5):
 * the first 3 lines are headers (not sentences), a trailing date-time line is dropped, a token is a piece
 * between spaces (U+0020, the authors' `split(' ')`: `1\u00a01/2` is one token), PER-SOC arguments are put
 * in text order (ace05.ts), and the `.split` suffix is removed from document ids. A part `entrel split
 * --ace05` wrote records it in its annotation.conf, and reads so without the flag; other `*.split.txt`
 * files read without it are counted (`brat-split-file-without-ace05`).
 *
 * The reader is brat-read.ts (which files of a collection: brat-collection.ts; the `lines` layout:
 * brat-lines.ts), the writer brat-write.ts, annotation.conf brat-conf.ts; this file wires them.
 */
import { isDirectory } from '../dirs.js';
import { writeDirAtomic } from '../atomic.js';
import { readConf } from './brat-conf.js';
import { confOf, readBrat, readsAsAce05 } from './brat-read.js';
import { refuseForeignDirectory, writePairs } from './brat-write.js';
import { ACE05_SCHEMA } from './ace05.js';
import type { Format } from './types.js';

export const brat: Format = {
  name: 'brat',
  description: 'brat standoff .txt + .ann (a directory of pairs or one pair); --ace05 for LSTM-ER ACE05 output',
  read: readBrat,
  schema: async (file, opts) => {
    if (await readsAsAce05(file, opts)) return ACE05_SCHEMA;
    const conf = confOf(file, await isDirectory(file));
    const declared = await readConf(conf);
    return declared && { ...declared, source: conf };
  },
  write: async (docs, schema, out, diagnostics) => {
    refuseForeignDirectory(out);
    await writeDirAtomic(out, 'the brat output', (tmp) => writePairs(docs, schema, tmp, diagnostics));
  },
};
