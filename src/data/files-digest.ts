/** A digest of a file's or a directory's bytes, for telling whether what a path names has changed. */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * sha256 of the bytes of `path`: a file, or a directory (a brat project) as its files' relative names and
 * bytes in name order, read in chunks (a large file is not held whole). Only regular files are read (a
 * named pipe would wait for a writer).
 */
export function filesDigest(path: string): string {
  const hash = createHash('sha256');
  const buf = Buffer.alloc(1 << 20);
  const seen = new Set<string>(); // real directories walked: a link back up is not followed round
  const add = (file: string, name: string) => {
    const st = statSync(file);
    if (st.isDirectory()) {
      const real = realpathSync(file);
      if (seen.has(real)) return;
      seen.add(real);
      for (const entry of readdirSync(file).sort()) add(join(file, entry), name ? `${name}/${entry}` : entry);
      return;
    }
    if (!st.isFile()) return;
    hash.update(`${name}\0${st.size}\0`);
    const fd = openSync(file, 'r');
    try {
      for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
    } finally {
      closeSync(fd);
    }
  };
  add(path, '');
  return hash.digest('hex');
}
