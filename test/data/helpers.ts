import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Diagnostics } from '../../src/data/diagnostics.js';
import { readCorpus, type CorpusOptions } from '../../src/data/formats/index.js';
import type { Document } from '../../src/data/corpus.js';
import { tempDir } from '../temp-dir.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Repository root = two levels above test/data. */
export const ROOT = resolve(here, '..', '..');
/** The shared benchmark data, never copied into the repo. */
export const DATA = resolve(ROOT, '..', 'shared', 'data');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'data');

export const tmp = () => tempDir('entrel-data-');

export async function collect(file: string, opts: CorpusOptions = {}): Promise<{ docs: Document[]; diagnostics: Diagnostics }> {
  const diagnostics = opts.diagnostics ?? new Diagnostics();
  const docs: Document[] = [];
  for await (const d of readCorpus(file, { ...opts, diagnostics })) docs.push(d);
  return { docs, diagnostics };
}

export function counts(docs: Document[]) {
  let sentences = 0;
  let entities = 0;
  let relations = 0;
  for (const d of docs)
    for (const s of d.sentences) {
      sentences++;
      entities += s.entities.length;
      relations += s.relations.length;
    }
  return { documents: docs.length, sentences, entities, relations };
}

/** A document's content without ids: token texts, typed spans and relations by span. */
export function shape(d: Document) {
  return d.sentences.map((s) => {
    const span = new Map(s.entities.map((e) => [e.id, `${e.start}:${e.end}:${e.type}`]));
    return {
      tokens: s.tokens.map((t) => t.text),
      entities: s.entities.map((e) => span.get(e.id)),
      relations: s.relations.map((r) => `${span.get(r.head)}-${r.type}->${span.get(r.tail)}`),
    };
  });
}
