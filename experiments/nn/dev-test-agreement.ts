/**
 * Can dev choose between the configuration's variants? Over every 3-seed variant of configs/conll04.json
 * in results.json (the `seeds-config*` studies, except the 20-epoch one, which is a shorter budget, not a
 * lever), the Spearman rank correlation of mean dev F1 with mean test F1, for entities and for relations.
 *
 *   npx tsx experiments/nn/dev-test-agreement.ts
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Run {
  devRelF1: number;
  devEntF1: number;
  test: { relF1: number; entF1: number };
}

const here = dirname(fileURLToPath(import.meta.url));
const results = JSON.parse(readFileSync(join(here, 'results.json'), 'utf8')) as Record<string, Run[]>;
const variants = Object.entries(results).filter(([study, runs]) => study.startsWith('seeds-config') && study !== 'seeds-config-crf-d04-e20' && runs.length === 3);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Ranks 0…n−1, ties sharing their mean rank. */
function ranks(v: number[]): number[] {
  const order = v.map((_, i) => i).sort((a, b) => v[a] - v[b]);
  const r = new Array<number>(v.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && v[order[j + 1]] === v[order[i]]) j++;
    for (let k = i; k <= j; k++) r[order[k]] = (i + j) / 2;
    i = j + 1;
  }
  return r;
}

function spearman(a: number[], b: number[]): number {
  const [ra, rb] = [ranks(a), ranks(b)];
  const [ma, mb] = [mean(ra), mean(rb)];
  let num = 0;
  let da = 0;
  let db = 0;
  ra.forEach((x, i) => {
    num += (x - ma) * (rb[i] - mb);
    da += (x - ma) ** 2;
    db += (rb[i] - mb) ** 2;
  });
  return num / Math.sqrt(da * db);
}

const of = (f: (r: Run) => number) => variants.map(([, runs]) => 100 * mean(runs.map(f)));
const range = (v: number[]) => `${Math.min(...v).toFixed(1)}–${Math.max(...v).toFixed(1)}`;
const [devEnt, testEnt, devRel, testRel] = [of((r) => r.devEntF1), of((r) => r.test.entF1), of((r) => r.devRelF1), of((r) => r.test.relF1)];
process.stdout.write(
  `${variants.length} variants (${variants.map(([s]) => s.replace('seeds-config', '') || '(base)').join(', ')})\n` +
    `entity F1: dev ${range(devEnt)}, test ${range(testEnt)}, rank correlation ${spearman(devEnt, testEnt).toFixed(2)}\n` +
    `relation F1: dev ${range(devRel)}, test ${range(testRel)}, rank correlation ${spearman(devRel, testRel).toFixed(2)}\n`,
);
