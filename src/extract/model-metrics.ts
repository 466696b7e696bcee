/**
 * A model's recorded scores (`meta.metrics` of its config.json) as `ModelMetrics`: a model directory may be
 * a stranger's, or hand-edited, and its meta is free-form JSON.
 */
import type { JsonValue, ModelMetrics, SplitMetrics } from './types.js';

const isRecord = (v: unknown): v is Record<string, JsonValue> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * `value` (parsed JSON) as ModelMetrics: its splits that are a number or an object (without a `file`
 * that is not a string); undefined when `value` is no object. Own properties only, as JSON.parse made
 * them (a `__proto__` split stays a split).
 */
export function recordedMetrics(value: unknown): ModelMetrics | undefined {
  if (!isRecord(value)) return undefined;
  const splits = Object.entries(value).flatMap(([split, v]): [string, SplitMetrics | number][] => {
    if (typeof v === 'number') return [[split, v]];
    if (!isRecord(v)) return [];
    return [[split, typeof v.file === 'string' || !Object.hasOwn(v, 'file') ? v : Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'file'))]];
  });
  return Object.fromEntries(splits);
}
