/**
 * The README.md of a model package (`entrel package`): how to install and use it, then the model card
 * (labels, recorded scores, architecture, training) in Markdown, which npm shows on the package's page.
 */
import { counted } from '../errors.js';
import type { ModelCard } from './model-card.js';
import { recordedMetrics } from './model-metrics.js';
import type { ModelMetrics } from './types.js';

interface ReadmePackage {
  name: string;
  version: string;
  description: string;
  /** Whether the package holds the model's own word vectors. */
  withVectors: boolean;
}

/**
 * `|`, `\` and line ends would break a table cell; the rest of Markdown is left as the model wrote it. A run
 * of white space with a line end in it becomes one space, matched from the run's start only (from each of
 * its characters, a run without one cost time quadratic in its length).
 */
const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/(?<!\s)\s*\n\s*/g, ' ');

const count = (n: number) => n.toLocaleString('en-US');

export function modelReadme(card: ModelCard, pkg: ReadmePackage): string {
  const m = card.model;
  const lines = [
    `# ${pkg.name}`,
    '',
    pkg.description,
    '',
    'A model for [entrel](https://www.npmjs.com/package/entrel), joint entity and relation extraction for Node.js',
    '(a BiLSTM + character-CNN tagger and a CNN relation classifier, Sun et al., EMNLP 2018).',
    '',
    '## Use',
    '',
    '```sh',
    `npm install entrel ${pkg.name}`,
    `npx entrel extract --model ${pkg.name} "Mary Smith works for Acme Corp in Boston."`,
    `npx entrel serve --model ${pkg.name}`,
    '```',
    '',
    '```ts',
    "import { Extractor } from 'entrel';",
    '',
    `const extractor = await Extractor.load(${JSON.stringify(pkg.name)}); // or Extractor.load(modelDir), with modelDir from this package`,
    "const { entities, relations } = await extractor.extract('Mary Smith works for Acme Corp in Boston.');",
    'await extractor.close();',
    '```',
    '',
    '## Labels',
    '',
    '| kind | types |',
    '|---|---|',
    `| entities | ${cell(card.entityTypes.join(', '))} |`,
    `| relations | ${cell(card.relationTypes.map((r) => (r.symmetric ? `${r.name} (symmetric)` : r.name)).join(', '))} |`,
    '',
    '## Scores',
    '',
    ...metricsTable(recordedMetrics(card.metrics)),
    '',
    card.calibration
      ? `Scores are calibrated${card.calibration.fittedOn ? ` on ${card.calibration.fittedOn}` : ''} (\`entrel calibrate\`): a score is how often such an item was right there.`
      : "Scores are the model's own probabilities (not calibrated).",
    '',
    '## Model',
    '',
    '| | |',
    '|---|---|',
    `| version | ${cell(pkg.version)} (${card.format} format ${card.formatVersion}${card.writtenBy ? `, written by entrel ${card.writtenBy}` : ''}) |`,
    `| tokenizer | ${cell(card.tokenizer)} |`,
    `| tagger | ${m.tagger}, ${m.decoder} decoding, ${m.tagScheme} tags |`,
    `| encoder | words ${m.wordDim}d, characters ${m.charDim}d → BiLSTM ${m.lstmHidden} per direction, ${counted(m.lstmLayers, 'layer')} |`,
    `| relation model | CNN widths ${m.relWidths.join(',')} × ${m.relFilters} filters, MLP ${m.mlpHidden} |`,
    `| vocabulary | ${count(card.vocabulary.words)} words, ${count(card.vocabulary.chars)} characters |`,
    `| word vectors | ${cell(wordVectors(card, pkg.withVectors))} |`,
    `| parameters | ${count(card.parameters)} |`,
    `| trained on | ${cell([card.trainedOn, card.trainData?.map((f) => f.split(/[\\/]/).pop()).join(', ')].filter(Boolean).join('; ') || 'not recorded')} |`,
    `| checksum | \`${card.checksum}\` (sha256 of \`model/checksum\`) |`,
    '',
  ];
  return lines.join('\n');
}

/** One row per recorded split and number (`test | entityF1 | 86.3`); the file scored on, where recorded. */
function metricsTable(metrics: ModelMetrics | undefined): string[] {
  if (metrics === undefined) return ['None recorded.'];
  const rows = Object.entries(metrics).flatMap(([split, v]) => {
    if (typeof v === 'number') return [`| ${cell(split)} | | ${v} |`];
    const on = typeof v.file === 'string' ? ` (${v.file.split(/[\\/]/).pop()})` : '';
    return Object.entries(v)
      .filter(([, x]) => typeof x === 'number')
      .map(([k, x]) => `| ${cell(split + on)} | ${cell(k)} | ${x} |`);
  });
  return rows.length ? ['| data | metric | value |', '|---|---|---|', ...rows] : ['None recorded.'];
}

function wordVectors(card: ModelCard, withVectors: boolean): string {
  if (card.glove === undefined) return 'not recorded';
  if (!card.glove) return 'none (random initialisation)';
  const e = card.embeddings;
  if (!e) return 'GloVe 6B 100d (installed with entrel)';
  const name = e.file.split(/[\\/]/).pop();
  return withVectors
    ? `its own, ${name} (${count(e.words)} words, ${e.dim} dimensions), in the package`
    : `its own, ${name} (${count(e.words)} words, ${e.dim} dimensions), not in the package: set ENTREL_EMBEDDINGS to the file`;
}
