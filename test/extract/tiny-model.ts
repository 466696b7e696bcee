/**
 * A tiny model trained in the test process on synthetic sentences (test/model/fixtures.ts) until it fits
 * them exactly, saved as a model directory, so that the Extractor's output is known in advance: the
 * sentences are space-separated tokens, which the text tokenizer reproduces.
 */
import { join } from 'node:path';
import { saveModelDir } from '../../src/model/io.js';
import { SCHEMA } from '../model/fixtures.js';
import { fitTinyModel } from '../model/tiny-fit.js';
import { tempDir } from '../temp-dir.js';

export { SCHEMA };

/** Trains (≈ 2–5 s) and saves; returns the model directory. */
export function trainTinyModelDir(): string {
  const { model } = fitTinyModel();
  const dir = join(tempDir('entrel-tiny-'), 'model');
  saveModelDir(dir, model, SCHEMA, { glove: false, name: 'tiny', version: '9.9.9', trainedOn: 'synthetic', metrics: { train: 1 } });
  return dir;
}
