/**
 * safetensors (https://github.com/huggingface/safetensors) reader/writer in TypeScript.
 * Layout: u64 little-endian header length n, n bytes of JSON header (padded with spaces to a multiple
 * of 8), then the raw little-endian tensor bytes. Supported dtypes: F32, F64, I64, BOOL.
 */
import { closeSync, fstatSync, fsyncSync, openSync, readFileSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import { Tensor, type DType } from './tensor.js';
import { tensor } from './create.js';

const TO_ST: Record<DType, string> = { float32: 'F32', float64: 'F64', int64: 'I64', bool: 'BOOL' };
const FROM_ST: Record<string, { dtype: DType; bytes: number }> = {
  F32: { dtype: 'float32', bytes: 4 }, F64: { dtype: 'float64', bytes: 8 },
  I64: { dtype: 'int64', bytes: 8 }, BOOL: { dtype: 'bool', bytes: 1 },
};
const MAX_HEADER = 100 * 1024 * 1024;

/** Writes tensors (and string metadata) atomically: a temp file in the same directory, fsync, rename. */
export function saveSafetensors(path: string, tensors: Record<string, Tensor>, metadata?: Record<string, string>): void {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length) {
    for (const [k, v] of Object.entries(metadata))
      if (typeof v !== 'string') throw new TypeError(`saveSafetensors: metadata "${k}" must be a string`);
    header.__metadata__ = metadata;
  }
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    if (name === '__metadata__') throw new TypeError('saveSafetensors: "__metadata__" is reserved');
    const t = tensors[name];
    if (!(t instanceof Tensor)) throw new TypeError(`saveSafetensors: "${name}" is not a Tensor`);
    const ta = t.toTypedArray();
    const bytes = new Uint8Array(ta.buffer, ta.byteOffset, ta.byteLength);
    header[name] = { dtype: TO_ST[t.dtype], shape: t.shape, data_offsets: [offset, offset + bytes.byteLength] };
    offset += bytes.byteLength;
    blobs.push(bytes);
  }
  let json = JSON.stringify(header);
  const pad = (8 - (Buffer.byteLength(json) % 8)) % 8;
  json += ' '.repeat(pad);
  const hbytes = Buffer.from(json, 'utf8');
  const lenBuf = Buffer.alloc(8);
  lenBuf.writeBigUInt64LE(BigInt(hbytes.byteLength));
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, lenBuf);
    writeSync(fd, hbytes);
    for (const b of blobs) {
      let done = 0;
      while (done < b.byteLength) done += writeSync(fd, b, done, b.byteLength - done);
    }
    fsyncSync(fd);
    closeSync(fd);
  } catch (e) {
    closeSync(fd);
    try { unlinkSync(tmp); } catch { /* ignore */ }
    throw e;
  }
  renameSync(tmp, path);
}

function corrupt(path: string, why: string): UserError {
  return new UserError(`not a valid safetensors file (${why})`, { file: path });
}

/**
 * A header's shape: sizes that are integers up to 2^53 − 1 (a JSON 1e300 or 2^63 is an integer to
 * JavaScript, but no tensor size), whose product, sizes of 0 left out, stays within that too. A size
 * of 0 makes the byte count 0 whatever the others claim, so the offsets alone do not catch them.
 */
function checkedShape(path: string, name: string, shape: unknown): number[] {
  if (!Array.isArray(shape) || !shape.every((s) => Number.isSafeInteger(s) && s >= 0))
    throw corrupt(path, `tensor "${name}" has an invalid shape ${JSON.stringify(shape)?.slice(0, 200)}`);
  const product = shape.reduce((p: bigint, s: number) => (s === 0 ? p : p * BigInt(s)), 1n);
  if (product > BigInt(Number.MAX_SAFE_INTEGER))
    throw corrupt(path, `tensor "${name}" has shape [${shape.join(',')}], too large for any tensor`);
  return shape as number[];
}

/** Elements of a checked shape (exact: its product is a safe integer). */
function numel(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** One tensor of a safetensors header; `begin`/`end` are byte offsets into the data after the header. */
interface SafetensorsEntry {
  name: string;
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  entries: SafetensorsEntry[];
  metadata: Record<string, string>;
  /** Where the tensor data starts in the file. */
  dataStart: number;
}

/**
 * Parses and checks the header of a safetensors file of `size` bytes against that size; `read(start,
 * length)` returns bytes of the file. Throws a UserError naming `path` if it is truncated or corrupt.
 */
function parseHeader(path: string, size: number, read: (start: number, length: number) => Buffer): SafetensorsHeader {
  if (size < 8) throw corrupt(path, `file is ${size} bytes, shorter than the 8-byte header length`);
  const n = read(0, 8).readBigUInt64LE(0);
  if (n > BigInt(MAX_HEADER) || Number(n) + 8 > size)
    throw corrupt(path, `header length ${n} exceeds the file size ${size} (truncated?)`);
  const hlen = Number(n);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(read(8, hlen).toString('utf8')) as Record<string, unknown>;
  } catch (e) {
    throw corrupt(path, `header is not valid JSON: ${(e as Error).message}`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw corrupt(path, 'header is not a JSON object');
  const dataStart = 8 + hlen;
  const dataLen = size - dataStart;
  const metadata: Record<string, string> = {};
  const entries: SafetensorsEntry[] = [];
  let maxEnd = 0;
  for (const [name, v] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (v === null || typeof v !== 'object') throw corrupt(path, '__metadata__ is not an object');
      for (const [k, s] of Object.entries(v as Record<string, unknown>)) {
        if (typeof s !== 'string') throw corrupt(path, `metadata "${k}" is not a string`);
        metadata[k] = s;
      }
      continue;
    }
    const e = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (e === null || typeof e !== 'object') throw corrupt(path, `entry "${name}" is not an object`);
    const dt = typeof e.dtype === 'string' ? FROM_ST[e.dtype] : undefined;
    if (!dt) throw corrupt(path, `tensor "${name}" has unsupported dtype ${JSON.stringify(e.dtype)}`);
    const shape = checkedShape(path, name, e.shape);
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((x) => Number.isSafeInteger(x) && x >= 0) || off[0] > off[1])
      throw corrupt(path, `tensor "${name}" has invalid data_offsets`);
    const bytes = BigInt(numel(shape)) * BigInt(dt.bytes);
    if (BigInt(off[1] - off[0]) !== bytes)
      throw corrupt(path, `tensor "${name}": shape [${shape.join(',')}] needs ${bytes} bytes, offsets give ${off[1] - off[0]}`);
    if (off[1] > dataLen) throw corrupt(path, `tensor "${name}" ends at byte ${off[1]} beyond the data (${dataLen} bytes; truncated?)`);
    maxEnd = Math.max(maxEnd, off[1]);
    entries.push({ name, dtype: dt.dtype, shape, begin: off[0], end: off[1] });
  }
  if (maxEnd !== dataLen) throw corrupt(path, `${dataLen - maxEnd} trailing bytes after the last tensor`);
  return { entries, metadata, dataStart };
}

/**
 * Reads and checks only the header of a safetensors file (names, dtypes, shapes, metadata), not the
 * tensor data: no libtorch needed. `bytes`: the file's content, read already (`path` names it in errors).
 */
export function readSafetensorsHeader(path: string, bytes?: Uint8Array): SafetensorsHeader {
  if (bytes) {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return parseHeader(path, buf.byteLength, (start, length) => buf.subarray(start, start + length));
  }
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new UserError(`cannot read safetensors file: ${(e as Error).message}`, { file: path });
  }
  try {
    const read = (start: number, length: number) => {
      const b = Buffer.alloc(length);
      readSync(fd, b, 0, length, start);
      return b;
    };
    return parseHeader(path, fstatSync(fd).size, read);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a safetensors file; throws a UserError naming the file if it is truncated or corrupt. `bytes`: the
 * file's content, read already (`path` names it in errors).
 */
export function loadSafetensors(path: string, bytes?: Uint8Array): { tensors: Record<string, Tensor>; metadata: Record<string, string> } {
  let buf: Buffer;
  try {
    buf = bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : readFileSync(path);
  } catch (e) {
    throw new UserError(`cannot read safetensors file: ${(e as Error).message}`, { file: path });
  }
  const { entries, metadata, dataStart } = parseHeader(path, buf.byteLength, (start, length) => buf.subarray(start, start + length));
  const tensors: Record<string, Tensor> = {};
  try {
    for (const { name, dtype, shape, begin, end } of entries) {
      // Copy into an aligned buffer (typed arrays need aligned offsets).
      const bytes = new Uint8Array(end - begin);
      bytes.set(buf.subarray(dataStart + begin, dataStart + end));
      const view =
        dtype === 'float32' ? new Float32Array(bytes.buffer) : dtype === 'float64' ? new Float64Array(bytes.buffer)
          : dtype === 'int64' ? new BigInt64Array(bytes.buffer) : bytes;
      tensors[name] = tensor(view, { shape, dtype });
    }
  } catch (err) {
    for (const t of Object.values(tensors)) t.dispose();
    throw err;
  }
  return { tensors, metadata };
}
