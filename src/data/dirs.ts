/** Directories: made (`mkdir -p`), told from files, compared by name and by what they resolve to. */
import { existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { ioError } from './io-error.js';

/** Whether `path` is `dir` or inside it, by their names (resolve symbolic links first where they matter). */
export function isWithin(path: string, dir: string): boolean {
  const r = relative(dir, path);
  return r === '' || (r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r));
}

/**
 * `mkdir -p`, one directory at a time: Node 20's recursive mkdir spins forever where mkdir answers ENOENT
 * under a parent that exists (inside /proc or /sys), so a mistyped --out hung every command. Throws the
 * errno error of the first directory that cannot be made (ENOENT, EACCES, ENOTDIR, …).
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  // The path itself is there but is no directory: what mkdir would say.
  if (missing.length === 0 && !statSync(resolve(dir)).isDirectory())
    throw Object.assign(new Error(`EEXIST: file already exists, mkdir '${dir}'`), { code: 'EEXIST', path: dir });
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // another process made it meanwhile
    }
  }
}

/** Whether `path` is a directory (or a link to one); a one-line UserError where it cannot be looked at. */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (e) {
    throw ioError(path, e);
  }
}

/**
 * The first directory named twice in `dirs` (`runs/a` and `runs/a/`, or a link to it), as the indices of
 * its two names; a missing directory is compared as written (loading it then says it is missing).
 */
export function repeatedDirectory(dirs: readonly string[]): [first: number, again: number] | undefined {
  const seen = new Map<string, number>();
  for (const [i, dir] of dirs.entries()) {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      real = resolve(dir);
    }
    const first = seen.get(real);
    if (first !== undefined) return [first, i];
    seen.set(real, i);
  }
  return undefined;
}
