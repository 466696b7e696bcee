/**
 * What killed writers leave behind. Every temporary file or directory a writer makes carries its pid in
 * its name (data/write.ts, data/atomic.ts, data/staging.ts); the next write of the same output removes
 * those of writers that are gone. A live writer's (another process writing the same output) is left.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Whether process `pid` exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/**
 * Removes the entries of `dir` that `writerOf` says a process that is gone wrote (`writerOf` gives the pid
 * in a name of this writer's pattern, undefined for any other name). This process's own are its caller's
 * business: it may be writing one of them right now. A missing `dir` holds nothing.
 */
export function removeAbandoned(dir: string, writerOf: (name: string) => number | undefined): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = writerOf(name);
    if (pid !== undefined && Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid)) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

/** The pid in a name `prefix<pid>` (a writer's temporary name), undefined for any other name. */
export function pidAfter(prefix: string): (name: string) => number | undefined {
  return (name) => (name.startsWith(prefix) ? Number(name.slice(prefix.length)) : undefined);
}
