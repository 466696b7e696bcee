/**
 * What extraction returns, for the library API, the CLI, the HTTP service and the web view.
 * Character offsets are UTF-16 code units into the input text, as JavaScript strings index
 * (an emoji outside the BMP counts 2).
 */
export interface ExtractedEntity {
  /** `T1`, `T2`, … unique within the document (also the brat id on export). */
  id: string;
  text: string;
  type: string;
  start: number;
  end: number;
  /** Index of the sentence in `sentences`, and token span within the document's token list. */
  sentence: number;
  tokenStart: number;
  tokenEnd: number;
  score: number;
}

export interface ExtractedRelation {
  type: string;
  /** Entity ids: head = Arg1, tail = Arg2. */
  head: string;
  tail: string;
  score: number;
}

export interface ExtractedSentence {
  start: number;
  end: number;
  /** Token character spans, document-level offsets. */
  tokens: [number, number][];
  /**
   * Only on a sentence cut at the splitter's 100 tokens: it goes on in the next one, and no relation is
   * found across the cut.
   */
  cut?: true;
}

export interface ExtractedDocument {
  text: string;
  sentences: ExtractedSentence[];
  entities: ExtractedEntity[];
  relations: ExtractedRelation[];
}

/** An entity the caller already has: a character span of the text and one of the model's entity types. */
export interface GivenEntity {
  start: number;
  end: number;
  type: string;
  /** Its id in the output (relations name it); default `T1`, `T2`, … in text order. */
  id?: string;
}

/**
 * A text to extract from, with the entities already known in it, if any: with `entities` the model keeps
 * exactly those (each scored with its tagger's probability of it) and finds the relations between them.
 */
export interface TextInput {
  text: string;
  entities?: readonly GivenEntity[];
}

/** What `extract` reads: a text, or a text with its entities. */
export type ExtractInput = string | TextInput;

export interface ExtractOptions {
  /** Drop relations whose probability is below this (default 0: keep every non-NONE argmax). */
  relationThreshold?: number;
  /** Keep only relations whose (head type, relation, tail type) is listed (read only: `as const` lists are fine). */
  allowedTriples?: readonly (readonly [string, string, string])[];
  /** Consider only entity pairs at most this many tokens apart (default: whole sentence). */
  maxPairDistance?: number;
  /**
   * What a line break in a text means to the sentence splitter: `paragraph` (default) a blank line ends a
   * sentence, a single line break is a space (wrapped text); `line` every line break ends one (one
   * sentence, headline or list item a line: no relation across lines); `none` line breaks are spaces.
   */
  newlines?: 'paragraph' | 'line' | 'none';
}

/** How one `extract` call is run (not what it extracts). */
export interface ExtractControl {
  /**
   * Abandons the call: once it aborts no further model batch starts (each thread finishes the batch it
   * is computing; workers skip the call's batches queued for them), and the call rejects with the
   * signal's reason.
   */
  signal?: AbortSignal;
}

/** What the server, the CLI and the web view need from a loaded model. */
export interface ExtractorLike {
  extract(texts: readonly ExtractInput[], options?: ExtractOptions, control?: ExtractControl): Promise<ExtractedDocument[]>;
  info(): ModelInfo;
  /** How many `extract` calls can usefully run at once (the Extractor's worker threads); default 1. */
  readonly parallelism?: number;
  /** Loads what the first call would load (GloVe table, worker threads), so a server's first request is not slow. */
  warmUp?(): Promise<void>;
  /** Releases worker threads; the extractor cannot be used afterwards. */
  close?(): Promise<void>;
}

/** A value JSON can hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * The scores a model recorded when trained (its config.json's `meta.metrics`), by data split: `entrel
 * train` records `{dev: {file, entityF1, relationStrictF1}}`, the bundled model `{test: {file, entityF1,
 * relationStrictF1, relationBoundariesF1}}`; F1 in percent, `file` the data scored on. A split may also
 * be a number alone, and a model written otherwise may record more JSON beside the scores.
 */
export type ModelMetrics = Record<string, SplitMetrics | number>;

/** One split's recorded scores by name (`entityF1: 86.3`), `file`, the data they were measured on, and any other JSON recorded. */
export interface SplitMetrics {
  file?: string;
  [score: string]: JsonValue | undefined;
}

export interface ModelInfo {
  name: string;
  version: string;
  entityTypes: string[];
  relationTypes: { name: string; symmetric: boolean }[];
  /** How raw text is tokenized for the model (its `tokenizer` setting: its training corpus's conventions). */
  tokenizer: 'ptb' | 'conll04';
  /**
   * Scores the model reached on its dev or test data when trained, if recorded (anything else a model
   * directory holds there is left out).
   */
  metrics?: ModelMetrics;
  trainedOn?: string;
  /**
   * SHA-256 of the model directory's `checksum` file (which lists the SHA-256 of every model file): the
   * same for the same model files anywhere, so it tells deployments apart. None for `fromModel`.
   */
  checksum?: string;
  /** An ensemble's models (EnsembleExtractor); its checksum is then the SHA-256 of theirs, one a line. */
  members?: { name: string; version: string; checksum?: string }[];
}
