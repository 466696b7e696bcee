/**
 * What the fuzzer attacks: every corpus reader, the SpERT types file and the training config loader, each
 * with real small valid inputs to start from. The corpus seeds are a small annotated corpus written by our
 * own writers (so they are exactly what the readers accept), the NYT seed is a CoType line; the bench adds
 * the first records of the shared benchmark files when they are there (read, never copied into the repo).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Diagnostics } from '../../src/data/diagnostics.js';
import { loadCorpus, writeCorpus } from '../../src/data/formats/index.js';
import { readTypesFile } from '../../src/data/formats/types-file.js';
import type { Document, LabelSchema } from '../../src/data/corpus.js';
import { loadConfig } from '../../src/train/config.js';
import { readWordVectors } from '../../src/model/word-vectors.js';
import { alignGivenEntities } from '../../src/extract/given-entities.js';
import { readInputTexts } from '../../src/extract/inputs.js';
import { extractStream } from '../../src/extract/stream.js';
import { FakeExtractor } from '../server/fake-extractor.js';
import { tokenizedSentences } from '../../src/text/index.js';
import { PropertyViolation } from './check.js';
import type { Shape } from './mutate.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SHARED = resolve(ROOT, '..', 'shared', 'data');

/** A valid input: its files by name; `mutate` names the one the fuzzer damages. */
export interface Seed {
  files: Record<string, Buffer>;
  mutate: string;
  shape: Shape;
}

export interface Target {
  name: string;
  seeds: Seed[];
  /** Reads the input in `dir` (where the seed's files were written); what it returns is checked. */
  load(dir: string, seed: Seed, detect: boolean): Promise<Document[] | undefined>;
}

const TEXT = 'John Smith works for Acme Corp. in Boston .\nMary Jones visited Paris with John .';
const CORPUS: Document[] = [
  {
    id: 'd1',
    text: TEXT,
    sentences: [
      {
        tokens: tokensOf(TEXT, 0, 43),
        entities: [
          { id: 'T1', type: 'Peop', start: 0, end: 2 },
          { id: 'T2', type: 'Org', start: 4, end: 6 },
          { id: 'T3', type: 'Loc', start: 7, end: 8 },
        ],
        relations: [
          { type: 'Work_For', head: 'T1', tail: 'T2' },
          { type: 'OrgBased_In', head: 'T2', tail: 'T3' },
        ],
      },
      {
        tokens: tokensOf(TEXT, 44, TEXT.length),
        entities: [
          { id: 'T4', type: 'Peop', start: 0, end: 2 },
          { id: 'T5', type: 'Loc', start: 3, end: 4 },
          { id: 'T6', type: 'Peop', start: 5, end: 6 },
        ],
        relations: [{ type: 'Live_In', head: 'T4', tail: 'T5' }],
      },
    ],
  },
];
const SCHEMA: LabelSchema = {
  entityTypes: ['Peop', 'Org', 'Loc'],
  relationTypes: [{ name: 'Work_For', symmetric: false }, { name: 'OrgBased_In', symmetric: false }, { name: 'Live_In', symmetric: true }],
};

function tokensOf(text: string, from: number, to: number) {
  return [...text.slice(from, to).matchAll(/\S+/g)].map((m) => ({ text: m[0], start: from + m.index, end: from + m.index + m[0].length }));
}

const NYT_LINE = JSON.stringify({
  sentId: 1,
  articleId: '/m/a1',
  sentText: '"John Smith works for Acme in Boston ."',
  entityMentions: [{ start: 0, label: 'PERSON', text: 'John Smith' }, { start: 1, label: 'ORGANIZATION', text: 'Acme' }, { start: 2, label: 'LOCATION', text: 'Boston' }],
  relationMentions: [{ em1Text: 'John Smith', em2Text: 'Acme', label: 'None' }, { em1Text: 'Acme', em2Text: 'Boston', label: '/business/company/place_founded' }],
});

const FILE: Record<string, [string, Shape]> = {
  jsonl: ['data.jsonl', 'jsonl'],
  unified: ['data.json', 'json'],
  spert: ['data.json', 'json'],
  'spert-tags': ['data.json', 'json'],
  dygie: ['data.jsonl', 'jsonl'],
  multihead: ['data.txt', 'lines'],
  doccano: ['data.jsonl', 'jsonl'],
  labelstudio: ['data.json', 'json'],
};

/** Every file of a directory, by name. */
async function filesOf(dir: string): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  for (const n of await readdir(dir)) out[n] = await readFile(join(dir, n));
  return out;
}

/** The seeds of one format, written by its writer (NYT, which has none, from a CoType line). */
async function builtSeeds(format: string): Promise<Seed[]> {
  if (format === 'nyt') {
    const line = Buffer.from(NYT_LINE + '\n');
    return [{ files: { 'data.jsonl': Buffer.concat([line, line]) }, mutate: 'data.jsonl', shape: 'jsonl' }];
  }
  // Written to disk by the format's own writer, then held in memory: the directory goes at once.
  const dir = await mkdtemp(join(tmpdir(), 'entrel-fuzz-seed-'));
  try {
    if (format === 'brat') {
      await writeCorpus(CORPUS, SCHEMA, dir, 'brat', new Diagnostics());
      const files = await filesOf(dir);
      return [{ files, mutate: 'd1.ann', shape: 'lines' }, { files, mutate: 'd1.txt', shape: 'lines' }];
    }
    const [name, shape] = FILE[format];
    await writeCorpus(CORPUS, SCHEMA, join(dir, name), format, new Diagnostics());
    return [{ files: await filesOf(dir), mutate: name, shape }];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Up to `n` records of a shared benchmark file as a seed (JSON arrays re-serialised, other formats by lines). */
function sharedSeed(rel: string, name: string, shape: Shape, n: number, extra: Record<string, string> = {}): Seed | undefined {
  let text: string;
  try {
    text = readFileSync(join(SHARED, rel), 'utf8');
  } catch {
    return undefined;
  }
  let head: string;
  if (shape === 'json') head = JSON.stringify((JSON.parse(text) as unknown[]).slice(0, n), null, 1);
  else if (shape === 'jsonl') head = text.split('\n').slice(0, n).join('\n') + '\n';
  else head = text.split(/(?=^#doc )/m).slice(0, n).join('');
  const files: Record<string, Buffer> = { [name]: Buffer.from(head) };
  for (const [k, v] of Object.entries(extra)) files[k] = readFileSync(join(SHARED, v));
  return { files, mutate: name, shape };
}

const SHARED_SEEDS: Record<string, () => (Seed | undefined)[]> = {
  unified: () => [sharedSeed('conll04/unified_two_are_better/valid.CoNLL04.json', 'data.json', 'json', 3)],
  spert: () => [sharedSeed('scierc/tanl_spert/scierc_joint_er_dev.json', 'data.json', 'json', 3, { 'data_types.json': 'scierc/tanl_spert/scierc_types.json' })],
  'spert-tags': () => [sharedSeed('conll04/spert/conll04_dev.json', 'data.json', 'json', 3)],
  dygie: () => [sharedSeed('scierc/dygie/dev.json', 'data.jsonl', 'jsonl', 1)],
  nyt: () => [sharedSeed('nyt_cotype/test.json', 'data.jsonl', 'jsonl', 3)],
  multihead: () => [sharedSeed('conll04/multihead/dev.txt', 'data.txt', 'lines', 3)],
};

const corpusTarget = (format: string, seeds: Seed[], opts: { name?: string; bratLayout?: 'text' } = {}): Target => ({
  name: opts.name ?? format,
  seeds,
  async load(dir, seed, detect) {
    const file = join(dir, format === 'brat' ? seed.mutate : FILE[format]?.[0] ?? 'data.jsonl');
    return (await loadCorpus(file, { format: detect ? undefined : format, bratLayout: opts.bratLayout })).documents;
  },
});

const CONFIGS = ['configs/conll04.json', 'test/train/fixtures/tiny.json'];

/** Every target; `shared` adds seeds from ../shared/data (the bench does, the CI slice does not). */
export async function targets(shared = false): Promise<Target[]> {
  const out: Target[] = [];
  for (const format of ['jsonl', 'unified', 'spert', 'spert-tags', 'dygie', 'nyt', 'brat', 'multihead', 'doccano', 'labelstudio']) {
    const seeds = await builtSeeds(format);
    if (shared) for (const s of SHARED_SEEDS[format]?.() ?? []) if (s) seeds.push(s);
    out.push(corpusTarget(format, seeds));
    // brat's raw-text layout: the splitter, the tokenizer and the fitting to the entities (data/fit-spans.ts)
    if (format === 'brat') out.push(corpusTarget(format, seeds, { name: 'brat-text', bratLayout: 'text' }));
  }
  const types = Object.entries((await builtSeeds('spert'))[0].files).find(([n]) => n.endsWith('_types.json'))!;
  out.push({
    name: 'types-file',
    seeds: [{ files: { 'x_types.json': types[1] }, mutate: 'x_types.json', shape: 'json' }],
    async load(dir) {
      await readTypesFile(join(dir, 'x_types.json'));
      return undefined;
    },
  });
  out.push({
    name: 'config',
    seeds: CONFIGS.map((c) => ({ files: { 'config.json': readFileSync(join(ROOT, c)) }, mutate: 'config.json', shape: 'json' as const })),
    async load(dir) {
      loadConfig(join(dir, 'config.json'));
      return undefined;
    },
  });
  out.push(...vectorTargets(), givenEntitiesTarget());
  return out;
}

/**
 * `extract --in FILE.jsonl` lines with given entities: read, checked and fitted to the tokens as extraction
 * does. A line that passes must place every entity on whole tokens inside its span, in a sentence of at most
 * 100 tokens unless the entity itself is longer, with no token lost.
 */
function givenEntitiesTarget(): Target {
  const line = (text: string, entities: [number, number, string][]) => JSON.stringify({ text, entities: entities.map(([start, end, type]) => ({ start, end, type })) });
  const lines = [
    line('John Smith works for Acme Corp. in Boston.', [[0, 10, 'Peop'], [21, 30, 'Org'], [35, 41, 'Loc']]),
    line('He met Dr. Smith of AcmeCorp in Köln 😀 today.', [[7, 16, 'Peop'], [20, 24, 'Org'], [32, 36, 'Loc']]),
    JSON.stringify('a plain line'),
  ];
  return {
    name: 'given-entities',
    seeds: [{ files: { 'in.jsonl': Buffer.from(lines.join('\n') + '\n') }, mutate: 'in.jsonl', shape: 'lines' }],
    async load(dir) {
      // Through the stream `extract --in` uses (errors named by file and line), to a stand-in model.
      const fake = new FakeExtractor();
      for await (const _ of extractStream(fake, readInputTexts(join(dir, 'in.jsonl')))) void _;
      for (const input of fake.inputs.flat()) {
        if (typeof input === 'string') continue;
        const [text, entities] = [input.text, input.entities!];
        const sentences = tokenizedSentences(text, { style: 'ptb' });
        const a = alignGivenEntities(text, sentences, entities, 'entities');
        const tokens = a.sentences.reduce((n, s) => n + s.tokens.length, 0);
        if (tokens < sentences.reduce((n, s) => n + s.tokens.length, 0)) throw new PropertyViolation('alignment lost tokens');
        a.entities.forEach((placed, si) => {
          const s = a.sentences[si];
          if (s.tokens.length > 100 && !placed.some((e) => e.end - e.start > 100)) throw new PropertyViolation(`a sentence of ${s.tokens.length} tokens`);
          for (const e of placed) {
            const g = entities[e.index];
            if (!(e.end > e.start && e.end <= s.tokens.length && s.tokens[e.start].start >= g.start && s.tokens[e.end - 1].end <= g.end))
              throw new PropertyViolation(`entity ${e.index} (${g.start}–${g.end}) placed on tokens ${e.start}–${e.end} of sentence ${si}`);
          }
        });
        if (a.entities.flat().length !== entities.length) throw new PropertyViolation('an entity was not placed');
      }
      return undefined;
    },
  };
}

/** The word-vectors readers (config `embeddings`): a fastText-style text file with a header, and word2vec's binary. */
function vectorTargets(): Target[] {
  const rows: [string, number[]][] = [['the', [0.1, -0.25, 3]], ['Boston', [1e-3, 2, -4.5]], ['new york', [0, 1, 2]], ['Köln', [7, 8, 9]]];
  const text = Buffer.from(`${rows.length} 3\n${rows.map(([w, v]) => `${w} ${v.join(' ')}`).join('\n')}\n`);
  const binary = Buffer.concat([Buffer.from(`${rows.length} 3\n`), ...rows.flatMap(([w, v]) => [Buffer.from(`${w.replace(' ', '_')} `), Buffer.from(new Float32Array(v).buffer), Buffer.from('\n')])]);
  const load = (name: string) => async (dir: string) => {
    const t = readWordVectors(join(dir, name));
    // A parse must be a consistent table: one row per distinct word, finite numbers.
    if (t.vectors.length !== t.size * t.dim || t.size !== t.words.length || new Set(t.words).size !== t.size || !t.vectors.every(Number.isFinite))
      throw new PropertyViolation(`inconsistent vectors table: ${t.size} words × ${t.dim}, ${t.vectors.length} numbers`);
    return undefined;
  };
  return [
    { name: 'vectors-txt', seeds: [{ files: { 'v.vec': text }, mutate: 'v.vec', shape: 'lines' }], load: load('v.vec') },
    { name: 'vectors-bin', seeds: [{ files: { 'v.bin': binary }, mutate: 'v.bin', shape: 'lines' }], load: load('v.bin') },
  ];
}
