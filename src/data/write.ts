/** Atomic output: write to a temporary sibling, then rename over the target, so a failed run leaves no half file. */
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { UserError } from '../errors.js';

export type Source<T> = Iterable<T> | AsyncIterable<T>;

/** Writes every string of `pieces` (with no separator added) to `out` atomically. */
export async function writeAtomic(out: string, pieces: Source<string>): Promise<void> {
  const dir = dirname(out);
  await mkdir(dir, { recursive: true }).catch((e) => {
    throw new UserError(`cannot create directory: ${(e as NodeJS.ErrnoException).code ?? e}`, { file: dir });
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
    const code = (e as NodeJS.ErrnoException).code;
    throw code ? new UserError(`cannot write: ${code}`, { file: out }) : e;
  }
}
