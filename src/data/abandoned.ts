/**
 * What killed writers leave behind. Every temporary file or directory a writer makes carries its pid and
 * host in its name (`WRITER`; data/write.ts, data/atomic.ts, data/staging.ts, model/glove.ts); the next
 * write of the same output removes those of writers of this host that are gone. A live writer's (another
 * process writing the same output) is left, and so is another host's: on a directory shared between
 * machines or containers (which often all run as pid 1) its pid means nothing here, and the host in the
 * name also keeps two such writers' temporary names apart.
 */
import { createHash } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** This host, short. */
const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

/** What a writer's temporary names carry: its pid and host (`1234@9f86d081`). */
export const WRITER = `${process.pid}@${HOST}`;

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
 * in a name of this writer's pattern, undefined for any other name). Names with this process's pid are its
 * caller's business, since it may be writing one of them right now, unless `earlier(name)` says an earlier
 * process with the same pid wrote it (a container restarted as pid 1 on the same host): a name stamped
 * with its time of writing can tell. A missing `dir` holds nothing.
 */
export function removeAbandoned(dir: string, writerOf: (name: string) => number | undefined, earlier: (name: string) => boolean = () => false): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = writerOf(name);
    if (pid === undefined || !Number.isInteger(pid) || pid <= 0) continue;
    if (pid === process.pid ? earlier(name) : !alive(pid)) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

/**
 * The pid in a name `prefix<WRITER>` of this host (or `prefix<pid>`, as writers before the host was added
 * named them); undefined for any other name, another host's included.
 */
export function pidAfter(prefix: string): (name: string) => number | undefined {
  return (name) => (name.startsWith(prefix) ? writerPid(name.slice(prefix.length)) : undefined);
}

/** The pid of a `WRITER` (or bare pid) of this host; undefined for another host's or anything else. */
export function writerPid(writer: string): number | undefined {
  const m = /^(\d+)(?:@([0-9a-f]{8}))?$/.exec(writer);
  return m && (m[2] === undefined || m[2] === HOST) ? Number(m[1]) : undefined;
}
