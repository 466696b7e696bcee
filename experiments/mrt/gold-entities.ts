/**
 * Does MRT change the relation model, or only the tagger? Scores a study's models on CoNLL04 test twice:
 * end to end, and with the gold entities given (relation classification, `evaluate --gold-entities`),
 * which leaves the relation model alone to be scored. Each MRT variant and L̃ alone ("NN continued") is
 * paired with its own seed's NN model.
 *
 *   npx tsx experiments/mrt/gold-entities.ts [--label sel-w1] [--seeds 1,2,…,9]
 *
 * The NN runs and the models compared are those the study recorded (bases.ts; best/, or final/ for a
 * study run with `--keep last`). Writes gold-entities-<label>.md beside this file.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../src/data/atomic.js';
import { setNumThreads } from '../../src/tensor/index.js';
import { evaluateModel } from '../../src/train/evaluate.js';
import { keptModelDir } from '../kept-model.js';
import { studyBase } from './bases.js';
import { tInterval95 } from './report.js';
import { checkedArgs, integerListArg } from '../../scripts/args.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const TEST = resolve(root, '..', 'shared', 'data', 'conll04', 'unified_two_are_better', 'test.CoNLL04.json');
const VARIANTS = ['nn-continued', 'gamma-delta-ER', 'gamma-delta-ER-ent-only'];

// Read as every script reads its command line (scripts/args.ts): a mistyped option or a bad seed is one
// line and the usage (status 2); `--seeds 1,x` was [1, NaN].
const { values, seeds } = checkedArgs(
  'npx tsx experiments/mrt/gold-entities.ts [--label sel-w1] [--seeds 1,2,…,9]',
  { label: { type: 'string', default: 'sel-w1' }, seeds: { type: 'string', default: '1,2,3,4,5,6,7,8,9' } },
  ({ values }) => ({ values, seeds: integerListArg(values.seeds, '--seeds', 0) }),
);
const study = `table2-${values.label}`;
const base = studyBase(study);
setNumThreads(1);

interface Scores {
  endToEnd: number;
  goldEntities: number;
}

async function score(modelDir: string): Promise<Scores> {
  const [e2e, gold] = await Promise.all([evaluateModel(modelDir, TEST, { format: 'unified' }), evaluateModel(modelDir, TEST, { format: 'unified', goldEntities: true })]);
  return { endToEnd: 100 * e2e.relations.strict.micro.f1, goldEntities: 100 * gold.relations.strict.micro.f1 };
}

const rows = new Map<string, Scores[]>();
for (const seed of seeds) {
  const nnDir = join(root, 'experiments', 'nn', 'runs', `${base.nn}-${seed}`, base.from);
  const models: [string, string][] = [['NN', nnDir], ...VARIANTS.map((v): [string, string] => [v, keptModelDir(join(here, 'runs', study, `${v}-s${seed}`), base.keep)])];
  for (const [name, dir] of models) {
    if (!existsSync(dir)) throw new Error(`${dir}: missing (run the study first)`);
    rows.set(name, [...(rows.get(name) ?? []), await score(dir)]);
    process.stderr.write(`seed ${seed} ${name}\n`);
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
const cell = (xs: number[]) => `${mean(xs).toFixed(2)} ± ${sd(xs).toFixed(2)}`;
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;
const gain = (xs: number[]) => {
  const t = tInterval95(xs)!;
  return `${signed(t.mean)} (${signed(t.lo)} … ${signed(t.hi)})`;
};
const nn = rows.get('NN')!;
const lines = [
  `# Relation classification with gold entities: ${study} (seeds ${seeds.join(', ')})`,
  '',
  'Strict micro relation F1 on CoNLL04 test (288 sentences), end to end and with the gold entities given',
  '(`evaluate --gold-entities`: the relation model scored alone). Gains are paired with each seed\'s NN model,',
  'with the 95 % t-interval of their mean.',
  '',
  `Command: \`npx tsx experiments/mrt/gold-entities.ts --label ${values.label} --seeds ${seeds.join(',')}\``,
  '',
  '| model | end to end | with gold entities | end to end − NN | with gold entities − NN |',
  '|---|---|---|---|---|',
  ...[...rows].map(([name, xs]) => {
    const diff = (key: keyof Scores) => xs.map((x, i) => x[key] - nn[i][key]);
    const gains = name === 'NN' ? ['–', '–'] : [gain(diff('endToEnd')), gain(diff('goldEntities'))];
    return `| ${name} | ${cell(xs.map((x) => x.endToEnd))} | ${cell(xs.map((x) => x.goldEntities))} | ${gains[0]} | ${gains[1]} |`;
  }),
  '',
];
const out = join(here, `gold-entities-${values.label}.md`);
writeFileAtomic(out, lines.join('\n'));
process.stdout.write(lines.join('\n'));
