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

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'entrel.js');
const tiny = join(root, 'test', 'train', 'fixtures', 'tiny.json');

/** Starts entrel; resolves with its exit code and stderr once it ends. */
function start(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; err: string }>; stderr: () => string } {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const done = new Promise<{ code: number | null; err: string }>((resolve) => child.on('close', (code) => resolve({ code, err })));
  return { child, done, stderr: () => err };
}

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('Ctrl-C stops training after the batch in flight, keeps the last checkpoint, and --resume finishes the run', async () => {
  const out = join(tempDir('entrel-int-'), 'run');
  const run = start(['train', '--config', tiny, '--out', out, '--set', 'epochs=100000']);
  await until('the first epoch', () => /^epoch 1 /m.test(run.stderr()));
  run.child.kill('SIGINT');
  const { code, err } = await run.done;
  assert.equal(code, 130, err);
  const m = /entrel: .*run: interrupted \(SIGINT\) (in|after) epoch (\d+); the checkpoint after epoch (\d+) is kept in .*run\/last: run the same command with --resume to continue/.exec(err);
  assert.ok(m, err);
  assert.doesNotMatch(err, /internal error|at .*\.js:\d+/);
  const kept = Number(m[3]);
  assert.ok(kept >= 1, 'kept >= 1');
  const resumed = spawnSync(process.execPath, [bin, 'train', '--config', tiny, '--out', out, '--resume', '--json', '--set', `epochs=${kept + 1}`], { cwd: root, encoding: 'utf8' });
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`resuming .*run after epoch ${kept}`));
  assert.equal(JSON.parse(resumed.stdout).epochs, kept + 1);
});

test('Ctrl-C during extract --in leaves neither the output nor its temporary file', async () => {
  const dir = tempDir('entrel-int-');
  const input = join(dir, 'in.txt');
  writeFileSync(input, Array.from({ length: 4000 }, (_, i) => `Person ${i} works for Company ${i} in Boston .`).join('\n\n'));
  const out = join(dir, 'out.jsonl');
  const run = start(['extract', '--in', input, '--out', out, '--workers', '0', '--quiet']);
  await until('the temporary output', () => readdirSync(dir).some((f) => f.endsWith('.tmp')));
  run.child.kill('SIGINT');
  const { code, err } = await run.done;
  assert.equal(code, 130, err);
  assert.match(err, /entrel: interrupted \(SIGINT\)/);
  assert.deepEqual(readdirSync(dir), ['in.txt']);
  assert.equal(existsSync(out), false);
});

/** A JSONL corpus of `n` one-sentence documents in a new directory, big enough to interrupt its writing. */
function corpus(n: number): { dir: string; input: string } {
  const dir = tempDir('entrel-int-');
  const input = join(dir, 'in.jsonl');
  const tokens = [[0, 6], [7, 12], [13, 16], [17, 21], [22, 24], [25, 31], [32, 33]];
  const entities = [{ id: 'T1', type: 'Peop', start: 0, end: 1 }, { id: 'T2', type: 'Org', start: 3, end: 4 }, { id: 'T3', type: 'Loc', start: 5, end: 6 }];
  const line = (i: number) => JSON.stringify({ id: `d${i}`, text: 'Person works for Acme in Boston .', sentences: [{ tokens, entities, relations: [{ type: 'Work_For', head: 'T1', tail: 'T2' }] }] });
  writeFileSync(input, Array.from({ length: n }, (_, i) => line(i)).join('\n') + '\n');
  return { dir, input };
}

test('Ctrl-C during a brat output leaves neither it nor its temporary directory', async () => {
  const { dir, input } = corpus(20_000);
  const run = start(['convert', '--to', 'brat', input, join(dir, 'out')]);
  await until('the temporary directory', () => readdirSync(dir).some((f) => f.startsWith('out.tmp-')));
  run.child.kill('SIGINT');
  const { code, err } = await run.done;
  assert.equal(code, 130, err);
  assert.deepEqual(readdirSync(dir), ['in.jsonl']);
});

test('Ctrl-C during split leaves no part: the parts are moved into DIR together or not at all', async () => {
  const { dir, input } = corpus(120_000);
  const out = join(dir, 'split');
  const run = start(['split', input, '--out', out]);
  // The first part written, wherever this version writes it first.
  await until('the train part', () => existsSync(out) && readdirSync(out, { recursive: true, encoding: 'utf8' }).some((f) => f.endsWith('train.jsonl')));
  run.child.kill('SIGINT');
  const { code, err } = await run.done;
  assert.equal(code, 130, err);
  assert.deepEqual(readdirSync(out), []);
});
