/**
 * The exit code of a command a signal ended is 128 + the signal's number (src/cli/interrupt.ts): 130 for
 * Ctrl-C, 143 for SIGTERM, whether the process ends at once or a graceful job (training) stops after its
 * batch; the logs written as the process exits call both "interrupted"; `entrel --help` lists the codes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Interrupted } from '../../src/errors.js';
import { interruptedExitCode, withInterrupts } from '../../src/cli/interrupt.js';
import { tempDir } from '../temp-dir.js';
import { bigCorpus, untilStaging } from './big-corpus.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = `import {run} from ${JSON.stringify(join(root, 'src', 'cli', 'main.ts'))}; process.exitCode = await run(['node', 'entrel', ...process.argv.slice(1)])`;
const argsOf = (args: string[]) => ['--import', 'tsx', '--input-type=module', '-e', script, '--', ...args];

test('SIGTERM ends convert with 143 (not Ctrl-C\'s 130), its partial output removed, its progress log "interrupted"', { timeout: 300_000 }, async () => {
  const { dir, input } = bigCorpus(20_000);
  const log = join(dir, 'progress.jsonl');
  const child = spawn(process.execPath, argsOf(['convert', '--to', 'brat', input, join(dir, 'out'), '--progress-log', log]), { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b));
  const closed = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  await untilStaging(dir, child, () => err);
  child.kill('SIGTERM');
  assert.equal(await closed, 143, err);
  assert.match(err, /entrel: interrupted \(SIGTERM\)/);
  assert.deepEqual(readdirSync(dir).sort(), ['in.jsonl', 'progress.jsonl']);
  const last = JSON.parse(readFileSync(log, 'utf8').trim().split('\n').at(-1)!);
  assert.equal(last.type, 'end');
  assert.equal(last.outcome, 'interrupted');
});

test('a graceful job stopped by a signal exits with that signal\'s code: SIGTERM 143, SIGINT 130', async () => {
  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    const stopped = await withInterrupts(async (stopRequested) => {
      process.emit(signal, signal); // as the signal comes: the job is asked to stop, the process goes on
      throw new Interrupted(`interrupted (${stopRequested()}) after epoch 1`);
    }, true).catch((e: unknown) => e);
    assert.ok(stopped instanceof Interrupted);
    assert.equal(interruptedExitCode(stopped), code, signal);
  }
});

test('a study whose process a SIGTERM ends (exit 143) ends its log "interrupted", not "failed"', () => {
  const log = join(tempDir('entrel-signal-'), 'crossval.log.jsonl');
  const crossvalLog = join(root, 'src', 'train', 'crossval-log.ts');
  const child = `import { CrossValLog } from ${JSON.stringify(crossvalLog)}; new CrossValLog(${JSON.stringify(log)}).start(5, 1, []); process.exit(143);`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 143, r.stderr);
  assert.ok(existsSync(log), r.stderr);
  const last = JSON.parse(readFileSync(log, 'utf8').trim().split('\n').at(-1)!);
  assert.equal(last.type, 'end');
  assert.equal(last.outcome, 'interrupted');
});

test('entrel --help ends with the exit codes; a command\'s help does not', () => {
  const help = (...args: string[]) => spawnSync(process.execPath, argsOf(args), { cwd: root, encoding: 'utf8', timeout: 120_000 });
  const top = help('--help');
  assert.equal(top.status, 0, top.stderr);
  const epilogue = top.stdout.slice(top.stdout.indexOf('Exit status:'));
  assert.match(epilogue, /^Exit status:\n/);
  for (const code of ['0', '1', '2', '130', '143', '141']) assert.match(epilogue, new RegExp(`\\b${code}\\b`), code);
  assert.doesNotMatch(help('stats', '--help').stdout, /Exit status:/);
});
