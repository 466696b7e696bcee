/**
 * The contract between the joint model (`src/model/`) and everything that drives it
 * (`src/train/` for the local loss and MRT, `src/extract/` for raw text). Nothing here is neural.
 *
 * A sentence enters the model as an `EncodedSentence` (ids from the vocabularies) and leaves it as a
 * `SentencePrediction` (token spans and relation triples). Relation labels carry their direction as
 * in the authors' code (reference spec §1.1): `Work_For-->` means (left entity → right entity),
 * `Work_For<--` means (right → left); label 0 is NONE. Pairs are always (left, right) by start token.
 */
import type { Tensor } from '../tensor/index.js';

export interface ModelConfig {
  /** Word embedding size (GloVe 6B 100d). */
  wordDim: number;
  charDim: number;
  /** Char-CNN filter widths and filters per width (paper: [2,3] × 25). */
  charWidths: number[];
  charFilters: number;
  /** BiLSTM hidden size per direction (paper: 64). */
  lstmHidden: number;
  /** Stacked BiLSTM layers (paper: 1); dropout between them. */
  lstmLayers: number;
  /** Relation CNN widths and filters per width (paper: [2,3] × 25). */
  relWidths: number[];
  relFilters: number;
  /** Hidden layer of the relation MLP (paper: 128). */
  mlpHidden: number;
  dropout: number;
  /** Size of the distance one-hot; longer distances share the last bucket. */
  maxDistance: number;
  /** true: f_right as the paper states; false: the authors' code (left context appended twice). */
  fixRightContext: boolean;
  /** 'BILOU' or 'BIEOU' (same tags, L ↔ E). */
  tagScheme: 'BILOU' | 'BIEOU';
  /**
   * How predicted tags are read: 'argmax' per token + the lenient chunker (the paper, spec §5.1), or
   * 'viterbi': the most probable valid chunking under the same per-token probabilities (data/viterbi.ts).
   */
  decoder: 'argmax' | 'viterbi';
  /**
   * The entity model's output layer: 'softmax' per token (the paper's Eq. 1) or 'crf', a linear-chain CRF
   * over valid chunkings (model/layers/crf.ts), which decodes with Viterbi only.
   */
  tagger: 'softmax' | 'crf';
  /** Size of a token-casing embedding appended to x (0 = none, the paper); classes in model/casing.ts. */
  caseDim: number;
  /** Training only: probability of replacing a word id by UNK (0 = never, the paper). */
  wordDropout: number;
  /** Dropout on x and h with one mask per sentence shared by its tokens (variational); false = per token, the paper. */
  lockedDropout: boolean;
  /**
   * A dropout of its own on the char CNN's features before x's dropout, as the authors' code (spec §2.2),
   * which so drops them out twice; false = once, with x (the default, and what the paper's equations say).
   */
  charFeatureDropout: boolean;
  /** Hidden size of the training-only language-model heads (Rei 2017); 0 = none, the paper. */
  lmHidden: number;
  /** A second, frozen copy of the initial word vectors beside the fine-tuned ones (Kim 2014's two channels); false = one, the paper. */
  staticWords: boolean;
  /**
   * How raw text is tokenized for this model (src/text/tokenize.ts): the conventions of its training
   * corpus, which came tokenized. 'ptb' (Penn Treebank: `do n't`, `$ 3.2`) or 'conll04' (`don 't`, `$3.2`).
   */
  tokenizer: 'ptb' | 'conll04';
}

/** One sentence as ids. Spans are token spans [start, end). */
export interface EncodedSentence {
  /**
   * Word ids (lowercased lookup; UNK for unknown; never PAD). At inference, ids ≥ |V| are the extended
   * vocabulary: GloVe row (id − |V|), untouched GloVe vector (see model/glove.ts).
   */
  words: Int32Array;
  /** Char ids per token. */
  chars: Int32Array[];
  /** Casing class per token (model/casing.ts). */
  cases: Uint8Array;
  /** Gold tag ids (training/evaluation only). */
  tags?: Int32Array;
  /** Gold relations: left span, right span, directed label id (> 0). */
  relations?: GoldRelation[];
  /** Set when the encoder truncated the sentence (training `maxLength`): its original token count. */
  truncatedFrom?: number;
  /**
   * Tag ids of entities the caller gives (prediction only, `EncodeOptions.given`): the relation model reads
   * them in place of the tagger's decoded tags.
   */
  given?: Int32Array;
}

export interface GoldRelation {
  left: [number, number];
  right: [number, number];
  label: number;
}

export interface PredictedEntity {
  start: number;
  end: number;
  type: string;
  /**
   * Probability of the entity's predicted tags (e.g. B-Peop L-Peop): the product over its tokens of P_ent,
   * or under a CRF tagger the CRF's marginal probability of those tags.
   */
  score: number;
}

export interface PredictedRelation {
  /** Indices into `entities` (head = Arg1, tail = Arg2, after undoing the direction suffix). */
  head: number;
  tail: number;
  type: string;
  /** Softmax probability of the chosen label. */
  score: number;
}

export interface SentencePrediction {
  /** Predicted tag strings, one per token. */
  tags: string[];
  entities: PredictedEntity[];
  relations: PredictedRelation[];
}

/** Losses of one minibatch under the local objective L̃ = L_ent + L_rel (paper §3.4). */
export interface LocalLoss {
  loss: Tensor;
  entLoss: Tensor;
  relLoss: Tensor;
  /** The language-model objective before γ (only with `lmHidden` > 0 and γ > 0). */
  lmLoss?: Tensor;
  /** Candidate pairs that entered the relation loss (for throughput figures). */
  pairs: number;
}

/** Named trainable parameters, stable names (they are the keys in the weights file). */
export type NamedParameters = Map<string, Tensor>;

/** Seeded uniform source in [0, 1) for everything random outside libtorch (scheduled sampling, MRT draws). */
export interface Rng {
  random(): number;
}
