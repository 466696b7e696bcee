/**
 * A seeded train / dev / test split of a corpus by whole documents, so that the sentences of one
 * document never land on both sides (they share names and topics, which would flatter dev scores).
 * Each part keeps the corpus order, so a split is easy to diff and to read.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { counted, UserError, quote } from '../errors.js';
import type { Document } from './corpus.js';
import type { Diagnostics } from './diagnostics.js';
import { seededGenerator } from './seeded-rng.js';

export const PARTS = ['train', 'dev', 'test'] as const;
export type Part = (typeof PARTS)[number];

/** A part's size as asked: a fraction of the documents in [0, 1), or a count of documents. */
export type PartSize = { fraction: number } | { count: number };

interface SplitOptions {
  dev: PartSize;
  test: PartSize;
  seed: number;
  /** The corpus file, named in errors. */
  file?: string;
}

/** Positions (0-based, in corpus order) of the documents of each part. */
export type Split = Record<Part, number[]>;

/** How many of `n` documents `size` asks for: a fraction rounds to the nearest count, at least 1 when not 0. */
export function documentsFor(size: PartSize, n: number): number {
  if ('count' in size) return size.count;
  return size.fraction === 0 ? 0 : Math.max(1, Math.round(size.fraction * n));
}

/** Splits `n` documents; train keeps what dev and test do not take, and must keep at least one. */
export function splitPositions(n: number, opts: SplitOptions): Split {
  const dev = documentsFor(opts.dev, n);
  const test = documentsFor(opts.test, n);
  if (dev + test === 0) throw new UserError('--dev and --test are both 0: nothing to split off');
  if (dev + test >= n)
    throw new UserError(
      `the corpus has ${counted(n, 'document')}, too few for ${dev} dev and ${test} test and at least one for train` +
        ' (the split is by whole documents; give smaller --dev/--test)',
      { file: opts.file },
    );
  const order = shuffledRange(n, opts.seed);
  const sorted = (xs: number[]) => xs.sort((a, b) => a - b);
  return { dev: sorted(order.slice(0, dev)), test: sorted(order.slice(dev, dev + test)), train: sorted(order.slice(dev + test)) };
}

/**
 * `k` folds of `n` documents for cross-validation: positions in a seeded random order dealt out in turn,
 * so fold sizes differ by at most one; each fold in corpus order.
 */
export function foldPositions(n: number, k: number, seed: number): number[][] {
  const folds: number[][] = Array.from({ length: k }, () => []);
  shuffledRange(n, seed).forEach((p, i) => folds[i % k].push(p));
  return folds.map((f) => f.sort((a, b) => a - b));
}

/** 0 … n−1 in a seeded random order (Fisher–Yates over xoroshiro128+, as training's shuffle). */
function shuffledRange(n: number, seed: number): number[] {
  const gen = seededGenerator(seed);
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = uniformInt(gen, 0, i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * Warns about labels a part holds that train does not (the model cannot learn them, and their errors
 * count against it) and labels train holds that a held-out part lacks (their score is not measured there).
 */
export function checkLabelCoverage(docs: readonly Document[], split: Split, diagnostics: Diagnostics): void {
  const labels = (part: Part) => {
    const ents = new Set<string>();
    const rels = new Set<string>();
    for (const i of split[part])
      for (const s of docs[i].sentences) {
        for (const e of s.entities) ents.add(e.type);
        for (const r of s.relations) rels.add(r.type);
      }
    return { ents, rels };
  };
  const train = labels('train');
  for (const part of ['dev', 'test'] as const) {
    if (split[part].length === 0) continue;
    const held = labels(part);
    for (const [kind, inTrain, inPart] of [['entity', train.ents, held.ents], ['relation', train.rels, held.rels]] as const) {
      for (const t of inPart)
        if (!inTrain.has(t)) diagnostics.warn('type-not-in-train', `${kind} type ${quote(t)} is in ${part} but not in train (try another --seed)`);
      for (const t of inTrain)
        if (!inPart.has(t)) diagnostics.warn('type-not-in-part', `${kind} type ${quote(t)} is in train but not in ${part}, so ${part} does not score it`);
    }
  }
}
