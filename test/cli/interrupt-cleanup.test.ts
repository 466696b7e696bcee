/**
 * Ctrl-C's cleanup (abandonPartialOutputs) when a partial output cannot be removed: a part writer's open
 * still in flight made a split's staging directory non-empty again under the removal (ENOTEMPTY), the
 * exception escaped the signal handler, and the process ended with exit 1 and Node's stack trace instead of
 * saying it was interrupted. Here a path no one can remove (/proc/self/status) stands for that failure.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { abandonPartialOutputs, removedOnInterrupt } from '../../src/data/write.js';
import { CHILD_LIMIT } from '../child-limit.js';
import { tempDir } from '../temp-dir.js';

const UNREMOVABLE = '/proc/self/status';

test('abandonPartialOutputs removes what it can, and returns the rest with why instead of throwing', () => {
  const dir = tempDir('entrel-abandon-');
  const staging = join(dir, '.entrel-staging-x');
  mkdirSync(join(staging, 'brat'), { recursive: true });
  writeFileSync(join(staging, 'brat', 'a.ann'), 'T1\tPeop 0 3\tAnn\n');
  const file = join(dir, '.out.jsonl.x.tmp');
  writeFileSync(file, '{}\n');
  removedOnInterrupt(UNREMOVABLE); // first, so that the others are removed after its failure
  removedOnInterrupt(staging);
  removedOnInterrupt(file);
  const left = abandonPartialOutputs();
  assert.equal(left.length, 1, left.join('\n'));
  assert.ok(left[0].startsWith(`${UNREMOVABLE} (`), left[0]);
  assert.equal(existsSync(staging), false, 'the staging directory is removed');
  assert.equal(existsSync(file), false, 'the temporary file is removed');
  assert.deepEqual(abandonPartialOutputs(), [], 'nothing is left to remove a second time');
});

test('Ctrl-C with a partial output that cannot be removed: "interrupted", the path named, exit 130, no stack trace', () => {
  const src = (f: string) => JSON.stringify(fileURLToPath(new URL(`../../src/${f}`, import.meta.url)));
  const script = `
import { withInterrupts } from ${src('cli/interrupt.ts')};
import { removedOnInterrupt } from ${src('data/write.ts')};
await withInterrupts(async () => {
  removedOnInterrupt(${JSON.stringify(UNREMOVABLE)});
  process.kill(process.pid, 'SIGINT');
  await new Promise((resolve) => setTimeout(resolve, 60_000));
});`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { ...CHILD_LIMIT, encoding: 'utf8' });
  assert.equal(r.status, 130, r.stderr);
  assert.match(r.stderr, /^entrel: interrupted \(SIGINT\)$/m);
  assert.match(r.stderr, /^entrel: could not remove the partial output \/proc\/self\/status \(.+\); the next run writing the same output removes it$/m);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});
