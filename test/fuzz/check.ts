/**
 * The property every fuzz case must hold: reading a damaged input ends either in a valid parse or in a
 * `UserError` whose message is one line naming the file — never another exception, and never slowly
 * (a case over `SLOW_MS` counts as a hang). A parse is valid when its documents are internally consistent
 * (tokens inside the text and matching it, entity spans inside their sentence, relations between entities
 * of their sentence), so a reader cannot "succeed" with garbage.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../src/errors.js';
import type { Document } from '../../src/data/corpus.js';
import type { Mutated } from './mutate.js';
import type { Seed, Target } from './targets.js';
import { tempDir } from '../temp-dir.js';

export type Outcome = 'parsed' | 'user-error';

/** A case this slow is a hang in the making (the inputs are a few KB). */
export const SLOW_MS = 3000;
/** A "one-line" message that is a screenful is not one. */
const MAX_MESSAGE = 500;

export class PropertyViolation extends Error {}

export function checkDocuments(docs: Document[]): void {
  const bad = (why: string) => {
    throw new PropertyViolation(`invalid parse: ${why}`);
  };
  for (const d of docs) {
    if (typeof d.id !== 'string' || typeof d.text !== 'string') bad('document id/text not strings');
    for (const [si, s] of d.sentences.entries()) {
      const where = `${d.id} sentence ${si}`;
      for (const t of s.tokens)
        if (!(Number.isInteger(t.start) && t.start >= 0 && t.end >= t.start && t.end <= d.text.length) || d.text.slice(t.start, t.end) !== t.text)
          bad(`${where}: token ${JSON.stringify(t)} does not match the text`);
      const ids = new Set<string>();
      for (const e of s.entities) {
        if (!(Number.isInteger(e.start) && Number.isInteger(e.end) && e.start >= 0 && e.end > e.start && e.end <= s.tokens.length))
          bad(`${where}: entity ${JSON.stringify(e)} outside its ${s.tokens.length} tokens`);
        ids.add(e.id);
      }
      for (const r of s.relations)
        if (!ids.has(r.head) || !ids.has(r.tail)) bad(`${where}: relation ${JSON.stringify(r)} between unknown entities`);
    }
  }
}

/** A scratch directory per target, reused across its cases. */
export function scratch(): { dir: string; dispose(): void } {
  const dir = tempDir('entrel-fuzz-');
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs one case; returns its outcome or throws a PropertyViolation saying what broke. */
export async function runCase(target: Target, seed: Seed, m: Mutated, detect: boolean, dir: string): Promise<Outcome> {
  writeFiles(dir, seed, m.bytes);
  const t0 = performance.now();
  let outcome: Outcome;
  try {
    const docs = await target.load(dir, seed, detect);
    if (docs) checkDocuments(docs);
    outcome = 'parsed';
  } catch (e) {
    if (e instanceof PropertyViolation) throw e;
    if (!(e instanceof UserError)) throw new PropertyViolation(`${m.kind}: not a UserError: ${(e as Error)?.stack ?? String(e)}`);
    if (e.message.includes('\n')) throw new PropertyViolation(`${m.kind}: message has several lines: ${e.message}`);
    if (e.message.length > MAX_MESSAGE) throw new PropertyViolation(`${m.kind}: message of ${e.message.length} characters: ${e.message.slice(0, 200)}…`);
    if (!e.message.startsWith(dir)) throw new PropertyViolation(`${m.kind}: message does not start with the file: ${e.message}`);
    outcome = 'user-error';
  }
  const ms = performance.now() - t0;
  if (ms > SLOW_MS) throw new PropertyViolation(`${m.kind}: took ${ms.toFixed(0)} ms`);
  return outcome;
}

/** A fresh copy of the seed's files with the mutated one in place (nothing left from the last case). */
function writeFiles(dir: string, seed: Seed, mutated: Buffer): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  for (const [name, bytes] of Object.entries(seed.files)) writeFileSync(join(dir, name), name === seed.mutate ? mutated : bytes);
}
