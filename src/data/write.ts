/** Atomic output: write to a temporary sibling, then rename over the target, so a failed run leaves no half file. */
import { realpathSync, statSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, basename, join, sep } from 'node:path';
import { UserError, fsReason } from '../errors.js';

export type Source<T> = Iterable<T> | AsyncIterable<T>;

/** Writes every string of `pieces` (with no separator added) to `out` atomically. */
export async function writeAtomic(out: string, pieces: Source<string>): Promise<void> {
  const dir = dirname(out);
  await mkdir(dir, { recursive: true }).catch((e) => {
    throw new UserError(`cannot create directory: ${fsReason(e) ?? e}`, { file: dir });
  });
  const tmp = join(dir, `.${basename(out)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let fh;
  try {
    fh = await open(tmp, 'w');
    let buf = '';
    for await (const p of pieces) {
      buf += p;
      if (buf.length >= 1 << 20) {
        await fh.write(buf);
        buf = '';
      }
    }
    await fh.write(buf);
    await fh.close();
    fh = undefined;
    await rename(tmp, out);
  } catch (e) {
    await fh?.close();
    await rm(tmp, { force: true });
    if (e instanceof UserError) throw e;
    const reason = fsReason(e);
    throw reason ? new UserError(`cannot write: ${reason}`, { file: out }) : e;
  }
}

/**
 * Refuses to start a write that would destroy one of the command's inputs: an output that is an input
 * (`predict --data x.jsonl --out x.jsonl`, or the types file a jsonl writer puts beside its output being
 * the one the input came with), or an input inside an output directory (brat output fills or replaces it).
 * Both are compared after resolving symbolic links; paths that do not exist yet cannot collide.
 */
export function refuseOverwritingInputs(outputs: readonly string[], inputs: readonly (string | undefined)[]): void {
  for (const out of outputs) {
    const o = existing(out);
    if (!o) continue;
    const isDir = statSync(o).isDirectory();
    for (const input of inputs) {
      const i = input === undefined ? undefined : existing(input);
      if (!i || !(i === o || (isDir && i.startsWith(o + sep)))) continue;
      const what = i === o ? 'is' : 'contains';
      throw new UserError(`the output ${what} the input ${input}; choose another output path`, { file: out });
    }
  }
}

function existing(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
