/**
 * A split given as lists of document ids, one id a line, a file per part: a corpus's standard split, such
 * as ACE05's 351 / 80 / 80 documents of LSTM-ER (`split/split_{train,dev,test}`). A listed id matches the
 * document of that id; `.split` at the end of either is left out, since LSTM-ER's lists name documents
 * without it and its files with it (`--ace05` reads ids without it).
 */
import { counted, quote, UserError } from '../errors.js';
import type { Diagnostics } from './diagnostics.js';
import { byteSize } from './byte-size.js';
import { MAX_DOCUMENT_BYTES } from './document-size.js';
import { readFileBounded } from './data-file.js';
import type { Part, Split } from './split.js';

/** A part's list: its file and ids, each with its line. */
export interface IdList {
  part: Part;
  file: string;
  ids: { id: string; line: number }[];
}

/** The key an id matches by. */
const key = (id: string) => id.replace(/\.split$/, '');

/**
 * The ids of `file`, a line each (blank lines skipped, white space around an id ignored). A file named on
 * the command line, so a pipe will do (`--train-ids <(…)`); a device or socket is refused, and so is a
 * list of more than MAX_DOCUMENT_BYTES.
 */
export async function readIdList(part: Part, file: string): Promise<IdList> {
  const refuse = () => new UserError(`too large: more than ${byteSize(MAX_DOCUMENT_BYTES)}, which no list of document ids needs`, { file });
  const text = (await readFileBounded(file, { stream: true, refuse })).toString('utf8');
  const ids = text.split('\n').flatMap((l, i) => (l.trim() === '' ? [] : [{ id: l.trim(), line: i + 1 }]));
  if (!ids.length) throw new UserError(`no document ids in the ${part} list (one id a line)`, { file });
  return { part, file, ids };
}

/** Refuses an id in two lists, or twice in one: a document goes to one part. */
export function refuseRepeatedIds(lists: readonly IdList[]): void {
  const first = new Map<string, { file: string; line: number; part: Part }>();
  for (const { part, file, ids } of lists)
    for (const { id, line } of ids) {
      const seen = first.get(key(id));
      if (seen) {
        const where = seen.file !== file ? seen.file : seen.part === part ? 'this list' : `the ${seen.part} list (the same file)`;
        throw new UserError(`document id ${quote(id)} is also on line ${seen.line} of ${where}: a document goes to one part`, { file, line });
      }
      first.set(key(id), { file, line, part });
    }
}

/**
 * The positions of the documents `ids` (in corpus order) in each listed part; a part without a list is
 * empty. Counted: a listed id that is no document of the corpus (`split-listed-id-not-found`), and a
 * document in no list, which goes to no part (`split-document-not-listed`). A list none of whose ids is a
 * document is refused: the lists are of another corpus.
 */
export function listedPositions(ids: readonly string[], lists: readonly IdList[], diagnostics: Diagnostics): Split {
  const partOf = new Map<string, Part>();
  for (const { part, ids: listed } of lists) for (const { id } of listed) partOf.set(key(id), part);
  const split: Split = { train: [], dev: [], test: [] };
  const found = new Set<string>();
  // LSTM-ER's corpus holds each document unsplit (X) and split (X.split): read without --ace05, both are
  // documents, and a listed id would put the one document in its part twice.
  const byKey = new Map<string, string>();
  for (const id of ids) {
    const other = byKey.get(key(id));
    if (other !== undefined && partOf.has(key(id)))
      throw new UserError(`documents ${quote(other)} and ${quote(id)} are both listed as ${quote(key(id))}: LSTM-ER's ACE05 corpus holds each document unsplit and split; read it with --ace05, which reads the .split files only`);
    byKey.set(key(id), id);
  }
  ids.forEach((id, at) => {
    const part = partOf.get(key(id));
    if (part === undefined) return diagnostics.warn('split-document-not-listed', `${quote(id)} is in no list: written to no part`);
    split[part].push(at);
    found.add(key(id));
  });
  for (const { part, file, ids: listed } of lists) {
    const missing = listed.filter(({ id }) => !found.has(key(id)));
    if (missing.length === listed.length)
      throw new UserError(`none of the ${counted(listed.length, 'document id')} of the ${part} list is a document of the corpus (its first: ${quote(listed[0].id)})`, { file });
    for (const { id, line } of missing) diagnostics.warn('split-listed-id-not-found', `${file}:${line} ${quote(id)}`);
  }
  return split;
}
