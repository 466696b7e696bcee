/** A corpus big enough that a signal sent while its conversion is written lands mid-write, and the wait for that moment. */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { tempDir } from '../temp-dir.js';

/** A JSONL corpus of `n` one-sentence documents in a new directory (`dir/in.jsonl`). */
export function bigCorpus(n: number): { dir: string; input: string } {
  const dir = tempDir('entrel-int-');
  const input = join(dir, 'in.jsonl');
  const tokens = [[0, 6], [7, 12], [13, 16], [17, 21], [22, 24], [25, 31], [32, 33]];
  const entities = [{ id: 'T1', type: 'Peop', start: 0, end: 1 }, { id: 'T2', type: 'Org', start: 3, end: 4 }, { id: 'T3', type: 'Loc', start: 5, end: 6 }];
  const line = (i: number) => JSON.stringify({ id: `d${i}`, text: 'Person works for Acme in Boston .', sentences: [{ tokens, entities, relations: [{ type: 'Work_For', head: 'T1', tail: 'T2' }] }] });
  writeFileSync(input, Array.from({ length: n }, (_, i) => line(i)).join('\n') + '\n');
  return { dir, input };
}

/** Waits until `child`, writing a directory output `dir/out`, has its temporary directory there (`stderr()`: for the failure). */
export async function untilStaging(dir: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const t0 = Date.now();
  while (!readdirSync(dir).some((f) => f.startsWith('out.tmp-'))) {
    if (child.exitCode !== null || Date.now() - t0 >= 120_000) throw new Error(`no temporary output: ${stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
