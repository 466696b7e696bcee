/** Builds small test sentences: entities `[start, end, type]` get ids e0, e1, …; relations name them by index. */
import type { Document, LabelSchema, Sentence } from '../../src/data/corpus.js';

export function sent(
  nTokens: number,
  entities: [number, number, string][],
  relations: [number, number, string][] = [],
): Sentence {
  return {
    tokens: Array.from({ length: nTokens }, (_, i) => ({ text: `w${i}`, start: 3 * i, end: 3 * i + 2 })),
    entities: entities.map(([start, end, type], i) => ({ id: `e${i}`, start, end, type })),
    relations: relations.map(([h, t, type]) => ({ type, head: `e${h}`, tail: `e${t}` })),
  };
}

export const doc = (id: string, ...sentences: Sentence[]): Document => ({ id, text: '', sentences });

export const schema = (entityTypes: string[], rels: string[], symmetric: string[] = []): LabelSchema => ({
  entityTypes,
  relationTypes: rels.map((name) => ({ name, symmetric: symmetric.includes(name) })),
});
