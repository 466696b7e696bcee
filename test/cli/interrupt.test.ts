/**
 * Ctrl-C as users press it (SIGINT to the built bin/entrel.js): training stops after the batch in
 * flight, keeps its last checkpoint and says how to resume (exit 130); an interrupted `extract --in`
 * leaves no partial output behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../temp-dir.js';
import { bigCorpus } from './big-corpus.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'entrel.js');
const tiny = join(root, 'test', 'train', 'fixtures', 'tiny.json');

interface Run {
  child: ChildProcess;
  /** Its exit code and stderr, once it has ended. */
  done: Promise<{ code: number | null; err: string }>;
  stderr: () => string;
  exited: () => boolean;
}

/** Starts entrel. */
function start(args: string[]): Run {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root });
  let err = '';
  let exited = false;
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const done = new Promise<{ code: number | null; err: string }>((resolve) => child.on('close', (code) => ((exited = true), resolve({ code, err }))));
  return { child, done, stderr: () => err, exited: () => exited };
}

/** Waits until `ok()`, failing if the run ends first or after `ms` (a busy machine is slow, never stuck). */
async function until(run: Run, what: string, ok: () => boolean, ms = 120_000): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    assert.ok(!run.exited(), `the run ended before ${what}: ${run.stderr()}`);
    assert.ok(Date.now() - t0 < ms, `no ${what} after ${ms / 1000} s: ${run.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Ctrl-C, then its end; a run still going a minute later is killed and fails the test. */
async function interrupt(run: Run, ms = 60_000): Promise<{ code: number | null; err: string }> {
  run.child.kill('SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running ${ms / 1000} s after Ctrl-C: ${run.stderr()}`)), ms);
  });
  try {
    return await Promise.race([run.done, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `body` with a run started, which is killed if still running once the body has ended (a failed check). */
async function withRun(args: string[], body: (run: Run) => Promise<void>): Promise<void> {
  const run = start(args);
  try {
    await body(run);
  } finally {
    if (!run.exited()) {
      run.child.kill('SIGKILL');
      await run.done;
    }
  }
}

test('Ctrl-C stops training after the batch in flight, keeps the last checkpoint, and --resume finishes the run', { timeout: 600_000 }, async () => {
  const out = join(tempDir('entrel-int-'), 'run');
  let err = '';
  await withRun(['train', '--config', tiny, '--out', out, '--set', 'epochs=100000'], async (run) => {
    await until(run, 'first epoch', () => /^epoch 1 /m.test(run.stderr()));
    const ended = await interrupt(run);
    assert.equal(ended.code, 130, ended.err);
    err = ended.err;
  });
  const m = /entrel: .*run: interrupted \(SIGINT\) (in|after) epoch (\d+); the checkpoint after epoch (\d+) is kept in .*run\/last: run the same command with --resume to continue/.exec(err);
  assert.ok(m, err);
  assert.doesNotMatch(err, /internal error|at .*\.js:\d+/);
  const kept = Number(m[3]);
  assert.ok(kept >= 1, 'kept >= 1');
  const resumed = spawnSync(process.execPath, [bin, 'train', '--config', tiny, '--out', out, '--resume', '--json', '--set', `epochs=${kept + 1}`], {
    cwd: root,
    encoding: 'utf8',
    timeout: 300_000,
    killSignal: 'SIGKILL',
  });
  assert.equal(resumed.signal, null, `the resumed run was still going after 300 s: ${resumed.stderr}`);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`resuming .*run after epoch ${kept}`));
  assert.equal(JSON.parse(resumed.stdout).epochs, kept + 1);
});

test('Ctrl-C during extract --in leaves neither the output nor its temporary file', { timeout: 300_000 }, async () => {
  const dir = tempDir('entrel-int-');
  const input = join(dir, 'in.txt');
  writeFileSync(input, Array.from({ length: 4000 }, (_, i) => `Person ${i} works for Company ${i} in Boston .`).join('\n\n'));
  const out = join(dir, 'out.jsonl');
  await withRun(['extract', '--in', input, '--out', out, '--workers', '0', '--quiet'], async (run) => {
    await until(run, 'temporary output', () => readdirSync(dir).some((f) => f.endsWith('.tmp')));
    const { code, err } = await interrupt(run);
    assert.equal(code, 130, err);
    assert.match(err, /entrel: interrupted \(SIGINT\)/);
  });
  assert.deepEqual(readdirSync(dir), ['in.txt']);
  assert.equal(existsSync(out), false);
});

test('Ctrl-C during a brat output leaves neither it nor its temporary directory', { timeout: 300_000 }, async () => {
  const { dir, input } = bigCorpus(20_000);
  await withRun(['convert', '--to', 'brat', input, join(dir, 'out')], async (run) => {
    await until(run, 'temporary directory', () => readdirSync(dir).some((f) => f.startsWith('out.tmp-')));
    const { code, err } = await interrupt(run);
    assert.equal(code, 130, err);
  });
  assert.deepEqual(readdirSync(dir), ['in.jsonl']);
});

test('Ctrl-C during split leaves no part: the parts are moved into DIR together or not at all', { timeout: 300_000 }, async () => {
  const { dir, input } = bigCorpus(120_000);
  const out = join(dir, 'split');
  await withRun(['split', input, '--out', out], async (run) => {
    // The first part written, wherever this version writes it first.
    await until(run, 'train part', () => existsSync(out) && readdirSync(out, { recursive: true, encoding: 'utf8' }).some((f) => f.endsWith('train.jsonl')));
    const { code, err } = await interrupt(run);
    assert.equal(code, 130, err);
  });
  assert.deepEqual(readdirSync(out), []);
});
