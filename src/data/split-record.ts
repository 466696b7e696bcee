/**
 * The files `entrel split` writes into its output directory, and `split.json`, the record of a split:
 * the seed and the sizes asked for (or the id lists given), and per part its file (a name in the
 * directory), the documents' positions in the source and their ids.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writtenFiles } from './formats/index.js';
import { PARTS, type Part, type PartSize } from './split.js';

export const SPLIT_RECORD = 'split.json';

/** File name endings by output format, as the corpora of each format name their splits (brat: a directory). */
const EXTENSION: Record<string, string> = { jsonl: '.jsonl', unified: '.json', spert: '.json', 'spert-tags': '.json', dygie: '.json', multihead: '.txt', brat: '', doccano: '.jsonl', labelstudio: '.json' };

/** The name of a part's file (or brat directory) in the output directory. */
export const partFile = (part: Part, format: string): string => part + EXTENSION[format];

type SplitRecord = {
  source: string;
  /** The format the parts are written in. */
  format: string;
  parts: Partial<Record<Part, { file: string; positions: number[]; ids: string[] }>>;
} & ({ seed: number; dev: PartSize; test: PartSize } | { /** The id list of each part (`--train-ids` …). */ lists: Partial<Record<Part, string>> });

/** One key a line, each part's lists on its own line: readable, and diffable when a split changes. */
export function splitRecordJson(record: SplitRecord): string {
  const line = (indent: string, [k, v]: [string, unknown]) => `${indent}${JSON.stringify(k)}: ${JSON.stringify(v)}`;
  const { parts, ...rest } = record;
  const partLines = Object.entries(parts).map((e) => line('  ', e));
  return `{\n${Object.entries(rest).map((e) => line(' ', e)).join(',\n')},\n "parts": {\n${partLines.join(',\n')}\n }\n}\n`;
}

/**
 * The names in `dir` that the split recorded there wrote: its parts and their types files (none when
 * there is no readable record). Only names a split gives its parts count, so that a record edited by
 * hand cannot make the next split remove anything else.
 */
export function earlierOutputs(dir: string): string[] {
  let record: Partial<SplitRecord>;
  try {
    record = JSON.parse(readFileSync(join(dir, SPLIT_RECORD), 'utf8')) as Partial<SplitRecord>;
  } catch {
    return [];
  }
  const format = record?.format;
  if (typeof format !== 'string' || !Object.hasOwn(EXTENSION, format) || typeof record.parts !== 'object' || record.parts === null) return [];
  return PARTS.filter((p) => record.parts?.[p]?.file === partFile(p, format)).flatMap((p) => writtenFiles(partFile(p, format), format).map((f) => basename(f)));
}
