/** Parsers of flag values shared by the commands: a bad value is a one-line error naming the flag. */
import { InvalidArgumentError } from 'commander';
import { modelPath } from '../../model/model-ref.js';

/** Any finite number (`0.5`, `-1`, `1e-3`). */
export function finiteNumber(v: string): number {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x)) throw new InvalidArgumentError('expected a number');
  return x;
}

/**
 * A probability written as a decimal (`0.5`, `1`, `.25`): `0x1`, `1e0`, `Infinity` are refused, being
 * numbers to JavaScript but not what anybody means by a probability.
 */
export function probability(v: string): number {
  if (!isProbability(v)) throw new InvalidArgumentError('expected a probability from 0 to 1, written as a decimal (e.g. 0.5)');
  return Number(v);
}

/** Comma-separated relation thresholds (`0.5,0.7,0.9`), each read as `probability` reads `--threshold`. */
export function thresholdList(v: string): number[] {
  return v.split(',').map((x) => {
    if (!isProbability(x)) throw new InvalidArgumentError(`expected comma-separated thresholds in [0, 1], each a decimal (e.g. 0.5,0.7,0.9), got ${JSON.stringify(x.trim())}`);
    return Number(x);
  });
}

const isProbability = (v: string): boolean => /^(?:\d+(?:\.\d*)?|\.\d+)$/.test(v.trim()) && Number(v) <= 1;

/** Any whole number written as digits, with an optional minus (a seed). */
export function integer(v: string): number {
  if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(Number(v))) throw new InvalidArgumentError('expected an integer');
  return Number(v);
}

/** 0, 1, 2, … written as digits (`1e2` and `1.0` are refused: a count is written plainly). */
export function nonNegativeInteger(v: string): number {
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(Number(v))) throw new InvalidArgumentError('expected a non-negative integer');
  return Number(v);
}

/** 1, 2, 3, … written as digits. */
export function positiveInteger(v: string): number {
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(Number(v)) || Number(v) < 1) throw new InvalidArgumentError('expected a positive integer');
  return Number(v);
}

/** A repeatable flag's values, in the order given (commander's collector for `--flag a --flag b`). */
export const repeated = (v: string, prev: string[] = []): string[] => [...prev, v];

/**
 * A `--model`/`--init` value: a model directory as given, or the directory a model package's name or
 * directory names (model/model-ref.ts). An empty value stays empty, for the empty-option check to name.
 */
export const modelRef = (v: string): string => (v === '' ? v : modelPath(v));

/** Repeatable `--model`: each value as `modelRef` reads it. */
export const modelRefs = (v: string, prev: string[] = []): string[] => [...prev, modelRef(v)];
