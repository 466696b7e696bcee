/**
 * What a model directory holds (`entrel info`): `Extractor.info()`'s fields plus the architecture,
 * vocabulary sizes, parameter count and tensor shapes, training data and size on disk. The directory is
 * checked as `loadModelDir` checks it (readModelDir: checksums, the weights' names and shapes against the
 * config, their values finite) on the files' bytes, so no libtorch is needed.
 */
import { readScoreMaps } from '../model/score-map.js';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, readModelDir } from '../model/io.js';
import type { ModelConfig } from '../model/types.js';
import { recordedWordVectors, wordVectorsFile, type WordVectorsRecord } from '../model/word-vectors.js';
import { formatLocated, isUserError } from '../errors.js';
import { readSafetensorsHeader } from '../tensor/index.js';
import { modelDirOrDefault, modelInfo } from './model-info.js';
import type { ModelInfo } from './types.js';

export interface ModelCard extends ModelInfo {
  /** The model directory, absolute. */
  dir: string;
  format: string;
  formatVersion: number;
  /** The model settings of config.json: the architecture. */
  model: ModelConfig;
  /** The entrel version that wrote the directory (absent when not recorded: models before 0.1.0's `meta.entrelVersion`). */
  writtenBy?: string;
  /** Whether training started from pretrained word vectors, GloVe or `embeddings` (absent when not recorded). */
  glove?: boolean;
  /**
   * The user's own word vectors it was trained with (config `embeddings`), instead of GloVe, and where they
   * are on this machine (`foundAt`: the recorded path, or one ENTREL_EMBEDDINGS names), or why not (`problem`).
   */
  embeddings?: WordVectorsRecord & { foundAt?: string; problem?: string };
  /** The training files of the recorded training config (absent when not recorded). */
  trainData?: string[];
  /** Entries of each vocabulary, `<pad>` and `<unk>` included. */
  vocabulary: { words: number; chars: number; tags: number; relationLabels: number };
  /** Trainable parameters: the element count of every tensor in weights.safetensors. */
  parameters: number;
  tensors: { name: string; dtype: string; shape: number[] }[];
  /** Bytes of every file in the directory, model files and the rest. */
  sizeBytes: number;
  /** Whether the scores are calibrated (`entrel calibrate`), and on what data. */
  calibration: { fittedOn?: string } | null;
}

/** Reads and checks `modelDir` (default: the bundled model); a bad directory is a UserError naming the file. */
export function readModelCard(modelDir?: string): ModelCard {
  const dir = modelDirOrDefault(modelDir);
  const { schema, config, meta, vocab } = readModelDir(dir);
  const { entries } = readSafetensorsHeader(join(dir, 'weights.safetensors'));
  const tensors = entries.map(({ name, dtype, shape }) => ({ name, dtype, shape }));
  const trainData = [(meta.trainConfig as { data?: { train?: unknown } } | undefined)?.data?.train ?? []].flat();
  return {
    ...modelInfo({ meta, schema, config, source: dir, checksumFile: readFileSync(join(dir, 'checksum'), 'utf8') }),
    dir,
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    model: config,
    ...(typeof meta.entrelVersion === 'string' && { writtenBy: meta.entrelVersion }),
    ...(typeof meta.glove === 'boolean' && { glove: meta.glove }),
    ...(meta.embeddings !== undefined && { embeddings: vectorsHere(recordedWordVectors(meta, join(dir, 'config.json'))!, dir) }),
    ...(trainData.length > 0 && trainData.every((f) => typeof f === 'string') && { trainData }),
    vocabulary: { words: vocab.words.size, chars: vocab.chars.size, tags: vocab.tags.size, relationLabels: vocab.relations.size },
    parameters: tensors.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0),
    tensors,
    sizeBytes: sizeOnDisk(dir),
    calibration: calibrationOf(meta, join(dir, 'config.json')),
  };
}

/** A model's own word vectors with where they are found here, or the reason they are not. */
function vectorsHere(rec: WordVectorsRecord, dir: string): NonNullable<ModelCard['embeddings']> {
  try {
    return { ...rec, foundAt: wordVectorsFile(rec, dir) };
  } catch (e) {
    if (!isUserError(e)) throw e;
    // The reason without the model's directory in front (the card names it); another file named stays.
    const prefix = formatLocated('', e.location);
    const strip = e.location.file === dir && e.message.startsWith(prefix);
    return { ...rec, problem: strip ? e.message.slice(prefix.length) : e.message };
  }
}

function calibrationOf(meta: Record<string, unknown>, file: string): ModelCard['calibration'] {
  const maps = readScoreMaps(meta, file);
  return maps ? { ...(maps.fittedOn !== undefined && { fittedOn: maps.fittedOn }) } : null;
}

function sizeOnDisk(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => lstatSync(join(dir, f)))
    .reduce((n, s) => n + (s.isFile() ? s.size : 0), 0);
}
