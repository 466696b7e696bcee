/**
 * Outputs that are standard output (`-`, `/dev/stdout`, …): recognised by name, and refused where they cannot
 * be (a split's directory, a progress log), rather than a file or directory named `-` made in silence
 * (review 32 #9). evaluate and compare `--out -`: compare.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writesStandardOutput } from '../../src/data/output-target.js';
import { tempDir } from '../temp-dir.js';

const tsx = fileURLToPath(import.meta.resolve('tsx'));
const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const script = `import {run} from ${JSON.stringify(main)}; process.exitCode = await run(['node', 'entrel', ...process.argv.slice(1)])`;

/** `entrel ...args` from the sources, in `cwd`: where a file or directory named `-` would appear. */
function entrelIn(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('writesStandardOutput: `-` and the names of descriptor 1, not other descriptors or files', () => {
  for (const p of ['-', '/dev/stdout', '/dev/fd/1', '/proc/self/fd/1', `/proc/${process.pid}/fd/1`, '/dev/../dev/stdout'])
    assert.equal(writesStandardOutput(p), true, p);
  for (const p of ['./-', 'out.json', '/dev/stderr', '/dev/fd/10', '/dev/fd/2', `/proc/${process.pid + 1}/fd/1`, '/proc/self/fd/11', '/dev/null'])
    assert.equal(writesStandardOutput(p), false, p);
});

test('split --out - and --progress-log -: one line each, nothing named `-` written', () => {
  const dir = tempDir('entrel-stdout-');
  const data = join(dir, 'in.jsonl');
  writeFileSync(data, Array.from({ length: 5 }, (_, i) => JSON.stringify({ id: `d${i}`, text: 'Ann works.', entities: [] })).join('\n') + '\n');
  const split = entrelIn(dir, 'split', data, '--out', '-');
  assert.equal(split.code, 1);
  assert.equal(split.err, 'entrel: -: cannot write the split to standard output: it is a directory (its parts and split.json), give its path\n');
  assert.equal(existsSync(join(dir, '-')), false);
  const log = entrelIn(dir, 'convert', data, '-', '--to', 'jsonl', '--progress-log', '-');
  assert.equal(log.code, 1);
  assert.equal(log.out, '');
  assert.equal(log.err, 'entrel: --progress-log -: give a file; standard output carries the data\n');
  assert.equal(existsSync(join(dir, '-')), false);
});
