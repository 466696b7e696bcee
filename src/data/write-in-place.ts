/**
 * Outputs that are written in place, front to back, with no temporary file (output-target.ts): standard
 * output or error, a descriptor the process was given, a named pipe, a character device. Pipes and
 * sockets are written through the event loop, never by a blocking call on a pool thread: a reader that
 * never comes or stops reading must not keep Ctrl-C from ending the process (process.exit waits for the
 * pool's threads).
 */
import { constants, fstatSync, openSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OutputTarget } from './output-target.js';

/** How often a writer to a named pipe without a reader looks again. */
const READER_POLL_MS = 100;

/** Every chunk of `chunks` written to `target`; file-system errors are thrown as they come (the caller words them). */
export async function writeInPlace(target: Exclude<OutputTarget, { kind: 'file' }>, chunks: AsyncIterable<string>): Promise<void> {
  if (target.kind === 'descriptor') {
    if (target.fd === 1 || target.fd === 2) return writeToStream(target.fd === 1 ? process.stdout : process.stderr, chunks, false);
    const st = fstatSync(target.fd);
    if (st.isFIFO() || st.isSocket()) return writeToStream(new Socket({ fd: target.fd, readable: false }), chunks, true);
    for await (const chunk of chunks) writeFileSync(target.fd, chunk); // a file: every byte, at once
    return;
  }
  if (target.kind === 'pipe') return writeToStream(new Socket({ fd: await openPipe(target.path), readable: false }), chunks, true);
  // Appending: a device ignores it.
  const fh = await open(target.path, 'a');
  try {
    for await (const chunk of chunks) await fh.writeFile(chunk);
  } finally {
    await fh.close();
  }
}

/**
 * A named pipe opened for writing once it has a reader: opened without blocking (ENXIO while no process
 * reads it), again every READER_POLL_MS, so that the thread stays free to handle a Ctrl-C meanwhile.
 */
async function openPipe(path: string): Promise<number> {
  for (;;) {
    try {
      return openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENXIO') throw e;
    }
    await sleep(READER_POLL_MS);
  }
}

/**
 * `chunks` written to `stream`, each once it has room again (a slow reader holds the writer back), then
 * ended and destroyed if `end`. A failure (EPIPE: the reader went away) is thrown. Its listener stays on a
 * failed stream: the stream emits 'error' a turn after the write's callback, and one without a listener
 * would end the process.
 */
async function writeToStream(stream: Writable, chunks: AsyncIterable<string>, end: boolean): Promise<void> {
  let failure: Error | undefined;
  const onError = (e: Error) => (failure ??= e);
  stream.on('error', onError);
  try {
    for await (const chunk of chunks) {
      await new Promise<void>((resolve, reject) => {
        if (failure) return reject(failure);
        stream.write(chunk, (e) => (e || failure ? reject(e ?? failure) : resolve()));
      });
    }
    if (end) {
      await new Promise<void>((resolve, reject) => {
        if (failure) return reject(failure);
        stream.once('finish', resolve);
        stream.once('error', reject);
        stream.end();
      });
    }
  } finally {
    if (end) stream.destroy();
  }
  stream.off('error', onError);
}
