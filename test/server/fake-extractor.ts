/**
 * A small deterministic stand-in for the model, for testing the service and the view: runs of
 * capitalised words are entities (type from the first letter), neighbouring entities in a sentence are
 * related. It honours the extraction options and records every call.
 */
import type {
  ExtractControl,
  ExtractInput,
  ExtractOptions,
  ExtractedDocument,
  ExtractedEntity,
  ExtractedRelation,
  ExtractorLike,
  ModelInfo,
} from '../../src/extract/types.js';

const tokenRe = /[\p{L}\p{M}\p{N}]+|[^\s\p{L}\p{M}\p{N}]/gu;

const places = new Set(['Boston', 'Paris', 'London', 'Berlin', 'Tokyo', 'France', 'Germany', 'Japan', 'Texas', 'Ohio']);

/** Org if it sounds like a company, Loc if a known place, else Peop. */
function entityType(span: string): string {
  if (/\b(Corp|Inc|Ltd|University|Bank|Company|Times)\b/.test(span)) return 'Org';
  return places.has(span.split(' ').pop() as string) ? 'Loc' : 'Peop';
}

const relationFor: Record<string, string> = { 'Peop Org': 'Work_For', 'Peop Loc': 'Live_In', 'Org Loc': 'OrgBased_In' };

export function fakeExtract(text: string, options: ExtractOptions = {}): ExtractedDocument {
  const doc: ExtractedDocument = { text, sentences: [], entities: [], relations: [] };
  let tokenIndex = 0;
  for (const s of text.matchAll(/[^.!?\n]+[.!?]*/g)) {
    const sStart = s.index as number;
    const tokens = [...s[0].matchAll(tokenRe)].map((m): [number, number] => [sStart + (m.index as number), sStart + (m.index as number) + m[0].length]);
    if (tokens.length === 0) continue;
    const sentence = doc.sentences.length;
    doc.sentences.push({ start: tokens[0][0], end: tokens[tokens.length - 1][1], tokens });
    const inSentence: ExtractedEntity[] = [];
    for (let i = 0; i < tokens.length; i++) {
      if (!/^\p{Lu}/u.test(text.slice(tokens[i][0], tokens[i][1]))) continue;
      let j = i;
      while (j + 1 < tokens.length && /^\p{Lu}/u.test(text.slice(tokens[j + 1][0], tokens[j + 1][1]))) j++;
      const start = tokens[i][0];
      const end = tokens[j][1];
      const e: ExtractedEntity = {
        id: `T${doc.entities.length + 1}`,
        text: text.slice(start, end),
        type: entityType(text.slice(start, end)),
        start,
        end,
        sentence,
        tokenStart: tokenIndex + i,
        tokenEnd: tokenIndex + j + 1,
        score: 0.9,
      };
      doc.entities.push(e);
      inSentence.push(e);
      i = j;
    }
    for (let k = 1; k < inSentence.length; k++) {
      const [h, t] = [inSentence[k - 1], inSentence[k]];
      const r: ExtractedRelation = {
        type: relationFor[`${h.type} ${t.type}`] ?? 'Located_In',
        head: h.id,
        tail: t.id,
        score: 1 / (1 + t.tokenStart - h.tokenEnd),
      };
      const distance = t.tokenStart - h.tokenEnd + 1;
      if (r.score < (options.relationThreshold ?? 0)) continue;
      if (options.maxPairDistance !== undefined && distance > options.maxPairDistance) continue;
      if (options.allowedTriples && !options.allowedTriples.some(([a, b, c]) => a === h.type && b === r.type && c === t.type)) continue;
      doc.relations.push(r);
    }
    tokenIndex += tokens.length;
  }
  return doc;
}

export class FakeExtractor implements ExtractorLike {
  readonly calls: { texts: string[]; options: ExtractOptions }[] = [];
  /** Time each call takes, so concurrent requests can pile up. */
  delayMs = 0;
  /** Time each text takes, one after the other, checking the call's abort signal before each (like model batches). */
  perTextMs = 0;
  /** Texts worked on (per-text mode), to see when work stops. */
  textsDone = 0;
  /** Calls running now, and the most seen at once. */
  running = 0;
  maxRunning = 0;
  /** What `parallelism` reports to the server. */
  parallelism = 1;
  /** While set, each call waits for it once recorded: a test keeps the model busy, then resolves it. */
  busy?: Promise<void>;
  private onCall: (() => void)[] = [];
  /** Throw from `extract` when this says so. */
  failWhen: (texts: string[]) => Error | undefined = () => undefined;

  /** Each call's inputs as given (a text with its entities stays an object; `calls` has the texts). */
  inputs: (readonly ExtractInput[])[] = [];

  /** Resolves when the next call has begun (is in `calls`). */
  nextCall(): Promise<void> {
    return new Promise((resolve) => this.onCall.push(resolve));
  }

  async extract(given: readonly ExtractInput[], options: ExtractOptions = {}, control: ExtractControl = {}): Promise<ExtractedDocument[]> {
    const texts = given.map((x) => (typeof x === 'string' ? x : x.text));
    this.inputs.push(given);
    this.calls.push({ texts, options });
    this.maxRunning = Math.max(this.maxRunning, ++this.running);
    for (const resolve of this.onCall.splice(0)) resolve();
    try {
      if (this.busy) await this.busy;
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      for (let i = 0; this.perTextMs > 0 && i < texts.length; i++) {
        control.signal?.throwIfAborted();
        await new Promise((r) => setTimeout(r, this.perTextMs));
        this.textsDone++;
      }
      const err = this.failWhen(texts);
      if (err) throw err;
      return texts.map((t) => fakeExtract(t, options));
    } finally {
      this.running--;
    }
  }

  info(): ModelInfo {
    return {
      name: 'fake',
      version: '0.0.1',
      entityTypes: ['Loc', 'Org', 'Peop'],
      relationTypes: ['Live_In', 'Located_In', 'OrgBased_In', 'Work_For'].map((name) => ({ name, symmetric: false })),
      tokenizer: 'ptb',
      metrics: { test: { relationF1: 0.5 } },
      trainedOn: 'nothing',
    };
  }
}
