/**
 * What a trained model records about how it was made (config.json's `meta`), read back by `entrel info`,
 * `Extractor.info()` and `GET /v1/model`. `trainedOn` and `metrics` name files, not paths: the service
 * shows them to its clients, who need not learn the training machine's directories.
 */
import { basename, dirname } from 'node:path';
import type { TrainConfig } from './config-schema.js';
import type { ChosenAt } from './loop.js';

/** `how` says what trained it, e.g. `the local loss` or `MRT from nn/best`. */
export function trainedMeta(config: TrainConfig, sentences: number, how: string, chosen: ChosenAt): Record<string, unknown> {
  const files = [config.data.train].flat().map((f) => basename(f)).join(' + ');
  const dev = basename(config.data.dev);
  const by = config.select === 'relation' ? 'strict relation F1' : 'mean of entity and relation F1';
  const percent = (f: number) => Math.round(f * 1000) / 10;
  const within = chosen.sentences === undefined ? '' : ` (after ${chosen.sentences} of its ${sentences} sentences)`;
  return {
    glove: config.glove,
    trainConfig: config,
    trainedOn: `${files} (${sentences} sentences) with ${how}; epoch ${chosen.epoch}${within}, chosen on ${dev} by ${by}`,
    metrics: { dev: { file: dev, entityF1: percent(chosen.dev.entF1), relationStrictF1: percent(chosen.dev.relF1) } },
  };
}

/** A model directory named for a record: its last two path components (`runs/nn/best` → `nn/best`). */
export function shortModelName(dir: string): string {
  const d = dir.replace(/[\\/]+$/, '');
  return `${basename(dirname(d))}/${basename(d)}`;
}
