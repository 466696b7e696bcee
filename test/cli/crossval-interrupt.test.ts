/**
 * `entrel crossval` ended at once by a second Ctrl-C (src/cli/interrupt.ts exits the process): the
 * study's log still ends with its outcome, as it does when the first Ctrl-C stops the study after the
 * batch in flight. The command from source (tsx), in a child process that signals itself.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CHILD_LIMIT } from '../child-limit.js';
import { tempDir } from '../temp-dir.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const main = join(root, 'src', 'cli', 'main.ts');
const fixtures = join(root, 'test', 'train', 'fixtures');

test('a second Ctrl-C ends crossval at once, exit 130, and the log ends "interrupted"', () => {
  const study = join(tempDir('entrel-crossval-int-'), 'study');
  const trainLog = join(study, 'fold-1', 'run', 'train.log.jsonl');
  // Both signals come in one stretch of synchronous work, as when Ctrl-C is pressed twice during a long
  // batch: the first asks the study to stop after the batch, the second ends the process before it can.
  const script = `
    import { existsSync, readFileSync } from 'node:fs';
    import { run } from ${JSON.stringify(main)};
    const watch = setInterval(() => {
      if (!existsSync(${JSON.stringify(trainLog)}) || !readFileSync(${JSON.stringify(trainLog)}, 'utf8').includes('"type":"epoch"')) return;
      clearInterval(watch);
      process.kill(process.pid, 'SIGINT');
      for (const until = Date.now() + 50; Date.now() < until; );
      process.kill(process.pid, 'SIGINT');
    }, 10);
    watch.unref();
    process.exitCode = await run(['node', 'entrel', ...process.argv.slice(1)]);`;
  const args = ['crossval', '--config', join(fixtures, 'tiny.json'), '--data', join(fixtures, 'tiny-train.json'), '--out', study, '--folds', '3', '--quiet', '--set', 'epochs=100000'];
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, ...args], { ...CHILD_LIMIT, cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 130, r.stderr);
  assert.equal(r.stderr, 'entrel: fold 1 of 3\nentrel: interrupted (SIGINT)\n', 'ended at once, not after the batch');
  const log = readFileSync(join(study, 'crossval.log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(log.map((l) => [l.type, l.fold ?? l.outcome ?? null]), [['start', null], ['fold', 1], ['end', 'interrupted']]);
  assert.equal(typeof log[2].seconds, 'number');
});
