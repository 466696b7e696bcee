/**
 * Under a small open-file limit Node's module loader, which opens the command's files many at once, runs
 * out of descriptors while loading entrel (`ulimit -n 64` did, for every command): one line saying what to
 * raise, exit 2, where it was Node's stack trace.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CHILD_LIMIT } from '../child-limit.js';

test('too few open files to load entrel: one line naming the limit to raise, exit 2, no stack trace', () => {
  const bin = fileURLToPath(new URL('../../bin/entrel.js', import.meta.url));
  // 32: Node itself starts (it crashed at 16), entrel's modules do not load.
  const r = spawnSync('bash', ['-c', 'ulimit -n 32 && exec "$0" "$1" info', process.execPath, bin], { ...CHILD_LIMIT, encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr, 'entrel: too many open files while loading entrel (EMFILE): raise the open-file limit (ulimit -n; it is usually 1024)\n');
  assert.equal(r.stdout, '');
});
