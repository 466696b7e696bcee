/**
 * The readable form of a model card that `entrel info` prints. A model directory may be a stranger's: its
 * names (the model's, types, tensors, metrics, files) are shown as printable() shows them, so that none
 * can act on the terminal.
 */
import { dirname } from 'node:path';
import { byteSize } from '../data/byte-size.js';
import type { ModelCard } from '../extract/model-card.js';
import { recordedMetrics } from '../extract/model-metrics.js';
import type { ModelMetrics } from '../extract/types.js';
import { counted, printable } from '../errors.js';

const count = (n: number) => n.toLocaleString('en-US');

/** `test: entityF1 86.3, relationStrictF1 63.8 (test.json)` per split, whatever numbers were recorded. */
function metricLines(metrics: ModelMetrics | undefined): string[] {
  if (metrics === undefined) return ['not recorded'];
  return Object.entries(metrics).map(([split, v]) => {
    if (typeof v === 'number') return `${split}: ${v}`;
    const numbers = Object.entries(v).filter(([, x]) => typeof x === 'number').map(([k, x]) => `${k} ${x}`);
    return `${split}: ${numbers.join(', ')}${typeof v.file === 'string' ? ` (${v.file})` : ''}`;
  });
}

/** Parameters per module (the first part of a tensor's name), largest first. */
function moduleLines(tensors: ModelCard['tensors']): string[] {
  const sizes = new Map<string, number>();
  for (const t of tensors) {
    const module = printable(t.name.split('.')[0]);
    sizes.set(module, (sizes.get(module) ?? 0) + t.shape.reduce((a, b) => a * b, 1));
  }
  const width = Math.max(...[...sizes.keys()].map((m) => m.length));
  return [...sizes].sort((a, b) => b[1] - a[1]).map(([m, n]) => `  ${m.padEnd(width)}  ${count(n).padStart(9)}`);
}

export function formatModelCard(card: ModelCard): string {
  const m = card.model;
  const widths = (w: number[], filters: number) => `widths ${w.join(',')} × ${filters} filters`;
  const symmetric = card.relationTypes.filter((r) => r.symmetric).length;
  const dtypes = [...new Set(card.tensors.map((t) => t.dtype))].join('/');
  const extras = [m.staticWords && 'a frozen second word channel', m.lmHidden > 0 && `language-model heads ${m.lmHidden}`].filter(Boolean);
  const rows: [string, string | string[]][] = [
    // Version "0" is info()'s stand-in for none recorded (models of `entrel train`): not worth printing.
    ['model', `${card.name}${card.version === '0' ? '' : ` ${card.version}`} (${card.format} format ${card.formatVersion}${card.writtenBy ? `, written by entrel ${card.writtenBy}` : ''})`],
    ['directory', `${card.dir} (${byteSize(card.sizeBytes)})`],
    ['checksum', `${card.checksum} (every model file verified)`],
    ['entities', card.entityTypes.join(', ')],
    [
      'relations',
      card.relationTypes.length === 0
        ? 'none'
        : card.relationTypes.map((r) => (r.symmetric ? `${r.name} (symmetric)` : r.name)).join(', ') + (symmetric ? '' : ' (all directed)'),
    ],
    ['tokenizer', card.tokenizer],
    ['tagger', `${m.tagger}, ${m.decoder} decoding, ${m.tagScheme} tags`],
    [
      'encoder',
      `words ${m.wordDim}d, characters ${m.charDim}d (CNN ${widths(m.charWidths, m.charFilters)})${m.caseDim ? `, casing ${m.caseDim}d` : ''}` +
        ` → BiLSTM ${m.lstmHidden} per direction, ${counted(m.lstmLayers, 'layer')}` +
        (extras.length ? `; ${extras.join(', ')}` : ''),
    ],
    ['relation model', `CNN ${widths(m.relWidths, m.relFilters)}, MLP ${m.mlpHidden}, ${m.maxDistance} distance buckets`],
    ['vocabulary', `${count(card.vocabulary.words)} words, ${count(card.vocabulary.chars)} characters`],
    ['word vectors', wordVectorsLine(card)],
    ['parameters', [`${count(card.parameters)} in ${card.tensors.length} ${dtypes} tensors (shapes: --json)`, ...moduleLines(card.tensors)]],
    ['trained on', card.trainedOn || card.trainData ? [card.trainedOn, card.trainData?.join(', ')].filter((x) => x !== undefined) : 'not recorded'],
    ['metrics', metricLines(recordedMetrics(card.metrics))],
    ['scores', card.calibration ? `calibrated${card.calibration.fittedOn ? ` on ${card.calibration.fittedOn}` : ''} (entrel calibrate)` : "the model's own probabilities (entrel calibrate calibrates them)"],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows
    .flatMap(([k, v]) => [v].flat().map((line, i) => `${(i === 0 ? k : '').padEnd(width)}  ${printable(line)}`.trimEnd()))
    .join('\n');
}

/** The pretrained word vectors the model started from, reads unseen words through, and where they are here. */
function wordVectorsLine(card: ModelCard): string | string[] {
  if (card.glove === undefined) return 'not recorded';
  if (!card.glove) return 'none (random initialisation)';
  const e = card.embeddings;
  if (!e) return 'GloVe 6B 100d';
  const inModel = e.foundAt !== undefined && dirname(e.foundAt) === card.dir;
  const here = e.foundAt === e.file ? 'found there' : inModel ? 'found in the model directory' : e.foundAt ? `found at ${e.foundAt} (ENTREL_EMBEDDINGS)` : `not usable here: ${e.problem}`;
  return [`${e.file} (${count(e.words)} words, ${e.dim} dimensions)`, here];
}
