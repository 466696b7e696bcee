/**
 * `entrel serve` heard SIGINT and SIGTERM only about 2 ms after printing where it listens: a supervisor or
 * script that stopped it the moment it read that line ended it by the signal's default action (no
 * "shutting down", the requests in flight dropped) in 6 of 16 runs. The handlers now come before the line.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { trainTinyModelDir } from '../extract/tiny-model.js';

const bin = fileURLToPath(new URL('../../bin/entrel.js', import.meta.url));
let model: string;
before(() => {
  model = trainTinyModelDir();
});

/** Starts serve and sends `signal` the moment stderr says where it listens: how it ended, and its stderr. */
function stoppedOnItsLine(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }> {
  const child = spawn(process.execPath, [bin, 'serve', '--model', model, '--workers', '0', '--port', '0'], {
    env: { ...process.env, ENTREL_API_KEYS: undefined },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (b: Buffer) => {
    const sent = /on http:\/\//.test(err);
    err += b;
    if (!sent && /on http:\/\//.test(err)) child.kill(signal);
  });
  const limit = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolve) =>
    child.once('close', (code, sig) => {
      clearTimeout(limit);
      resolve({ code, signal: sig, err });
    }),
  );
}

test('SIGTERM or SIGINT sent the moment serve says where it listens stops it cleanly, exit 0', { timeout: 300_000 }, async () => {
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGTERM', 'SIGINT', 'SIGTERM', 'SIGINT'] as const) {
    const ended = await stoppedOnItsLine(signal);
    assert.deepEqual([ended.code, ended.signal], [0, null], `${signal}: ${ended.err}`);
    assert.match(ended.err, new RegExp(`\\nentrel: ${signal}, shutting down\\n$`), signal);
  }
});
