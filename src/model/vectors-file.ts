/** Opening a word-vectors file, and telling one such file from another without reading it all. */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UserError, fsReason } from '../errors.js';

/** How much of a vectors file is read at a time. */
export const CHUNK = 1 << 24;

/** The `COUNT DIM` first line of fastText, word2vec (text and binary) files. */
export const COUNT_DIM = /^(\d+) (\d+)\r?\n/;

/** A decimal number as the writers print one (no hex, binary, `Infinity` or empty field). */
export const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export function openVectors(file: string): number {
  if (/\.(gz|bz2|xz|zst|zip)$/i.test(file)) throw new UserError('compressed word vectors are not read: decompress the file first (e.g. gunzip)', { file });
  try {
    return openSync(file, 'r');
  } catch (e) {
    throw new UserError(`cannot read the word vectors: ${fsReason(e, true) ?? (e as Error).message}`, { file });
  }
}

const EDGE = 1 << 20;

/**
 * A fingerprint of a vectors file: SHA-256 of its size, first and last MiB (overlapping under 2 MiB). A file of the same size with
 * other vectors (another model's, another dimension) differs there, and it costs milliseconds where
 * hashing a multi-gigabyte file would cost a minute at every model load.
 */
export function vectorsFingerprint(file: string): string {
  const fd = openVectors(file);
  try {
    const size = fstatSync(fd).size;
    const hash = createHash('sha256').update(String(size));
    const buf = Buffer.alloc(EDGE);
    for (const at of size > EDGE ? [0, size - EDGE] : [0]) hash.update(buf.subarray(0, readSync(fd, buf, 0, EDGE, at)));
    return hash.digest('hex').slice(0, 32);
  } catch (e) {
    throw new UserError(`cannot read the word vectors: ${fsReason(e, true) ?? (e as Error).message}`, { file });
  } finally {
    closeSync(fd);
  }
}
