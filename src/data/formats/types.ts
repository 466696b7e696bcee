/** The contract every format module implements; the registry (`index.ts`) dispatches on it. */
import type { Document, LabelSchema } from '../corpus.js';
import type { Diagnostics } from '../diagnostics.js';
import type { Located } from '../located.js';
import type { Source } from '../write.js';

export interface ReadOptions {
  /** Receives a counted warning for everything a reader skips or cannot represent. */
  diagnostics: Diagnostics;
  /** SpERT-style types file (`{entities:{T:{…}}, relations:{R:{symmetric}}}`) giving the label schema. */
  typesFile?: string;
  /** NYT only: the paper's seeded dev carve-out of test.json, the rest, or everything (default). */
  split?: 'dev' | 'test' | 'all';
  /**
   * ACE05 read as the paper does (ace05.ts): PER-SOC symmetric, its arguments in text order (brat, dygie,
   * unified); brat's LSTM-ER output also without its 3 header lines and date line. A brat part `entrel split`
   * wrote so records it in its annotation.conf (read so without it; `false` reads it otherwise).
   */
  ace05?: boolean;
  /**
   * brat only: `lines` reads a sentence a line and a token a whitespace-separated piece (entrel's own
   * output of token data, LSTM-ER); `text` splits the raw text as `extract` does, cutting tokens at the
   * entities; `auto` (default): what the collection's annotation.conf records, else `text` (brat.ts).
   */
  bratLayout?: 'auto' | 'lines' | 'text';
  /** The tokenizer style that cuts raw text (brat's `text` layout, doccano, Label Studio): the model's (default `ptb`). */
  tokenizer?: 'ptb' | 'conll04';
  /** Label Studio only: read each task's annotation (default) or its last prediction. */
  labelStudioResults?: 'annotations' | 'predictions';
}

/**
 * Yields each document with where it came from (its line, record, or `.ann` file), which `readCorpus`
 * uses to name the document in the warnings of its shared checks (checks.ts).
 */
type Reader = (file: string, opts: ReadOptions) => AsyncGenerator<Located<Document>>;

/** Writes `docs` to `out` (a file, or a directory for brat); what the format cannot hold is counted in `diagnostics`. */
type Writer = (
  docs: Source<Document>,
  schema: LabelSchema,
  out: string,
  diagnostics?: Diagnostics,
) => Promise<void>;

export type DeclaredSchema = Partial<LabelSchema> & { source?: string; alone?: boolean };

export interface Format {
  name: string;
  /** One line for `--help`. */
  description: string;
  read: Reader;
  write?: Writer;
  /**
   * Label schema the format's own files carry (types file, brat's annotation.conf, known symmetric
   * types), if any; `source` names the file that declares it, for warnings; `alone`: a types file taken
   * only as the only one in the data's directory (typesFileBeside), which must declare some of its types.
   */
  schema?: (file: string, opts: ReadOptions) => Promise<DeclaredSchema | undefined>;
}
