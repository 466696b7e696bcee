/** Small synthetic corpora for the model tests. */
import assert from 'node:assert/strict';
import { documentFromTokens, type Entity, type LabelSchema, type Relation, type Sentence } from '../../src/data/corpus.js';
import type { Rng, SentencePrediction } from '../../src/model/types.js';

export const SCHEMA: LabelSchema = {
  entityTypes: ['PER', 'ORG', 'LOC'],
  relationTypes: [
    { name: 'Work_For', symmetric: false },
    { name: 'Located_In', symmetric: false },
    { name: 'Kin', symmetric: true },
  ],
};

/** mulberry32: a seeded uniform source. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return {
    random() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

type Ann = [number, number, string];
/** Builds a sentence from tokens, entities [start, end, type] and relations [headIdx, tailIdx, type]. */
export function sentence(tokens: string[], ents: Ann[], rels: [number, number, string][] = []): Sentence {
  const entities: Entity[] = ents.map(([s, e, t], i) => ({ id: `T${i}`, type: t, start: s, end: e }));
  const relations: Relation[] = rels.map(([h, t, type]) => ({ type, head: `T${h}`, tail: `T${t}` }));
  return documentFromTokens('d', [{ tokens, entities, relations }]).sentences[0];
}

const PEOPLE = ['Alice', 'Bob', 'Carol Smith', 'Dan', 'Eve Jones'];
const ORGS = ['Acme Corp', 'Globex', 'Initech Inc', 'Umbrella'];
const LOCS = ['Paris', 'New York', 'Berlin'];

/** n varied sentences with relations in both directions, adjacent entities and sentence-edge entities. */
export function syntheticSentences(n: number, seed = 1): Sentence[] {
  const rng = seededRng(seed);
  const pick = <T>(a: T[]) => a[Math.floor(rng.random() * a.length)];
  const out: Sentence[] = [];
  for (let k = 0; k < n; k++) {
    const p = pick(PEOPLE).split(' ');
    const o = pick(ORGS).split(' ');
    const l = pick(LOCS).split(' ');
    const tpl = k % 4;
    const toks: string[] = [];
    const ents: Ann[] = [];
    const add = (ws: string[], type?: string) => {
      if (type) ents.push([toks.length, toks.length + ws.length, type]);
      toks.push(...ws);
    };
    let rels: [number, number, string][];
    if (tpl === 0) {
      add(p, 'PER'), add(['works', 'for']), add(o, 'ORG'), add(['.']);
      rels = [[0, 1, 'Work_For']];
    } else if (tpl === 1) {
      add(o, 'ORG'), add(['employs']), add(p, 'PER'), add(['in']), add(l, 'LOC');
      rels = [[1, 0, 'Work_For'], [0, 2, 'Located_In']];
    } else if (tpl === 2) {
      add(['the']), add(o, 'ORG'), add(l, 'LOC'), add(['office', 'opened']);
      rels = [[0, 1, 'Located_In']];
    } else {
      const q = pick(PEOPLE.filter((x) => x.split(' ')[0] !== p[0])).split(' ');
      add(p, 'PER'), add(['and']), add(q, 'PER'), add(['are', 'siblings']);
      rels = [[1, 0, 'Kin']];
    }
    out.push(sentence(toks, ents, rels));
  }
  return out;
}

/** Strict micro F1 of entities (span+type) and relations (type, direction, argument spans and types). */
export function strictF1(gold: Sentence[], pred: SentencePrediction[]): { ent: number; rel: number } {
  let etp = 0, ep = 0, eg = 0, rtp = 0, rp = 0, rg = 0;
  gold.forEach((s, i) => {
    const ge = new Set(s.entities.map((e) => `${e.start}:${e.end}:${e.type}`));
    const pe = pred[i].entities.map((e) => `${e.start}:${e.end}:${e.type}`);
    eg += ge.size; ep += pe.length; etp += pe.filter((k) => ge.has(k)).length;
    const byId = new Map(s.entities.map((e) => [e.id, `${e.start}:${e.end}:${e.type}`]));
    const sym = new Set(SCHEMA.relationTypes.filter((r) => r.symmetric).map((r) => r.name));
    const norm = (h: string, t: string, type: string) =>
      sym.has(type) && Number(h.split(':')[0]) > Number(t.split(':')[0]) ? `${t}|${h}|${type}` : `${h}|${t}|${type}`;
    const gr = new Set(s.relations.map((r) => norm(byId.get(r.head)!, byId.get(r.tail)!, r.type)));
    const pr = pred[i].relations.map((r) => norm(pe[r.head], pe[r.tail], r.type));
    rg += gr.size; rp += pr.length; rtp += pr.filter((k) => gr.has(k)).length;
  });
  const f = (tp: number, p: number, g: number) => (tp === 0 ? (p === 0 && g === 0 ? 1 : 0) : (2 * tp) / (p + g));
  return { ent: f(etp, ep, eg), rel: f(rtp, rp, rg) };
}

/**
 * The same prediction up to float rounding: tags, spans, types and relation arguments exactly, scores
 * within `tol`. The same sentence in another batch (other rows beside it, other padding) may take
 * another BLAS kernel path, which moves the last bits of a score on some CPUs.
 */
export function assertSamePrediction(actual: SentencePrediction, expected: SentencePrediction, tol = 1e-6): void {
  const withoutScores = (p: SentencePrediction) => ({
    tags: p.tags,
    entities: p.entities.map(({ score: _, ...e }) => e),
    relations: p.relations.map(({ score: _, ...r }) => r),
  });
  assert.deepEqual(withoutScores(actual), withoutScores(expected));
  const scores = (p: SentencePrediction) => [...p.entities, ...p.relations].map((x) => x.score);
  scores(actual).forEach((a, i) => {
    const e = scores(expected)[i];
    assert.ok(Math.abs(a - e) <= tol, `score ${i}: ${a} vs ${e} (tolerance ${tol})`);
  });
}
