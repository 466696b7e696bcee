/**
 * What a `kill -9` in the middle of an atomic write leaves behind must not break or litter the next
 * write: a killed writer's temporary file or directory (named by its pid and host), and the hidden old copy when the
 * kill came after the swap but before its removal (the next swap would otherwise fail on it). The three
 * writers (data/atomic.ts, data/write.ts, data/staging.ts) share the sweep (data/abandoned.ts).
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { WRITER } from '../../src/data/abandoned.js';
import { writeDirAtomic, writeFileAtomic } from '../../src/data/atomic.js';
import { writeTogether } from '../../src/data/staging.js';
import { writeAtomic } from '../../src/data/write.js';
import { tempDir } from '../temp-dir.js';

const root = tempDir('entrel-leftovers-');

test('a killed writer\'s temporary file is removed by the next write of the same file', () => {
  const dir = join(root, 'file');
  mkdirSync(dir);
  writeFileSync(join(dir, '.curve.svg.tmp-99999'), 'half');
  writeFileSync(join(dir, '.other.svg.tmp-99999'), 'not ours');
  writeFileAtomic(join(dir, 'curve.svg'), 'new');
  assert.deepEqual(readdirSync(dir).sort(), ['.other.svg.tmp-99999', 'curve.svg']);
});

test('another live writer\'s temporary file is left alone (two processes writing one results file)', () => {
  const dir = join(root, 'live');
  mkdirSync(dir);
  const live = `.results.json.tmp-${process.ppid}`; // the test runner: alive while this test runs
  writeFileSync(join(dir, live), 'in flight');
  writeFileAtomic(join(dir, 'results.json'), 'ours');
  assert.deepEqual(readdirSync(dir).sort(), [live, 'results.json']);
});

test("a killed writer's temporary files of this host go, another host's stay (a directory shared between containers)", async () => {
  const dir = join(root, 'hosts');
  mkdirSync(dir);
  const other = WRITER.endsWith('@00000000') ? '@11111111' : '@00000000';
  const [mine, theirs] = [`.curve.svg.tmp-99999${WRITER.slice(WRITER.indexOf('@'))}`, `.curve.svg.tmp-99999${other}`];
  const [mineDir, theirsDir] = [`last.tmp-99999${WRITER.slice(WRITER.indexOf('@'))}`, `last.tmp-99999${other}`];
  for (const f of [mine, theirs]) writeFileSync(join(dir, f), 'half');
  for (const d of [mineDir, theirsDir]) mkdirSync(join(dir, d));
  writeFileAtomic(join(dir, 'curve.svg'), 'new');
  await writeDirAtomic(join(dir, 'last'), 'the checkpoint', (tmp) => writeFileSync(join(tmp, 'state.json'), '{}'));
  assert.deepEqual(readdirSync(dir).sort(), [theirs, 'curve.svg', 'last', theirsDir].sort());
});

test("a temporary file of an earlier process with this very pid (a container's pid 1 again) is removed; this process's own are kept", async () => {
  const dir = join(root, 'same-pid');
  mkdirSync(dir);
  const stamped = (ms: number) => `.out.jsonl.${WRITER}.${Math.floor(ms).toString(36)}.tmp`;
  // `own` a minute ahead: stamped now, it could be the very name of the write's own temporary file (same ms).
  const [earlier, own] = [stamped(performance.timeOrigin - 60_000), stamped(Date.now() + 60_000)];
  for (const f of [earlier, own]) writeFileSync(join(dir, f), 'half');
  await writeAtomic(join(dir, 'out.jsonl'), ['{}\n']);
  assert.deepEqual(readdirSync(dir).sort(), [own, 'out.jsonl'].sort());
});

test('a killed writer\'s temporary directory is removed by the next swap of the same directory', async () => {
  const dir = join(root, 'dir');
  mkdirSync(join(dir, 'last.tmp-99999'), { recursive: true });
  await writeDirAtomic(join(dir, 'last'), 'the checkpoint', (tmp) => writeFileSync(join(tmp, 'state.json'), '{}'));
  assert.deepEqual(readdirSync(dir), ['last']);
});

test('a kill between the swap and the removal of the old copy does not break the next swap', async () => {
  const dir = join(root, 'old');
  mkdirSync(join(dir, 'last'), { recursive: true });
  mkdirSync(join(dir, '.last.entrel-old'), { recursive: true });
  writeFileSync(join(dir, 'last', 'state.json'), 'complete');
  writeFileSync(join(dir, '.last.entrel-old', 'state.json'), 'previous');
  await writeDirAtomic(join(dir, 'last'), 'the checkpoint', (tmp) => writeFileSync(join(tmp, 'state.json'), 'next'));
  assert.deepEqual(readdirSync(dir), ['last']);
  assert.equal(readFileSync(join(dir, 'last', 'state.json'), 'utf8'), 'next');
});

test("a directory of the user's named like the target and .old is neither taken for a crash's copy nor removed", async () => {
  const dir = join(root, 'users-old');
  mkdirSync(join(dir, 'model.old'), { recursive: true });
  writeFileSync(join(dir, 'model.old', 'notes.txt'), 'my backup');
  await writeDirAtomic(join(dir, 'model'), 'the model', (tmp) => writeFileSync(join(tmp, 'config.json'), '{}'));
  await writeDirAtomic(join(dir, 'model'), 'the model', (tmp) => writeFileSync(join(tmp, 'config.json'), '{"v": 2}'));
  assert.deepEqual(readdirSync(dir).sort(), ['model', 'model.old']);
  assert.equal(readFileSync(join(dir, 'model.old', 'notes.txt'), 'utf8'), 'my backup');
});

test('a leftover of an earlier process that had this very pid is not mixed into the new directory', async () => {
  const dir = join(root, 'own');
  mkdirSync(join(dir, `last.tmp-${WRITER}`), { recursive: true });
  writeFileSync(join(dir, `last.tmp-${WRITER}`, 'stray.json'), 'from the earlier process');
  await writeDirAtomic(join(dir, 'last'), 'the checkpoint', (tmp) => writeFileSync(join(tmp, 'state.json'), '{}'));
  assert.deepEqual(readdirSync(join(dir, 'last')), ['state.json']);
});

test('streamed outputs (data/write.ts): a killed writer\'s temporary file goes, a live writer\'s and other outputs\' stay', async () => {
  const dir = join(root, 'stream');
  mkdirSync(dir);
  const dead = '.out.jsonl.99999.m0abc.tmp';
  const live = `.out.jsonl.${process.ppid}.m0abc.tmp`;
  const other = '.other.jsonl.99999.m0abc.tmp';
  for (const f of [dead, live, other]) writeFileSync(join(dir, f), 'half');
  await writeAtomic(join(dir, 'out.jsonl'), ['a\n', 'b\n']);
  assert.deepEqual(readdirSync(dir).sort(), [live, other, 'out.jsonl'].sort());
  assert.equal(readFileSync(join(dir, 'out.jsonl'), 'utf8'), 'a\nb\n');
});

test('staged outputs (data/staging.ts): a killed run\'s staging directory goes, a live run\'s stays', async () => {
  const dir = join(root, 'staging');
  mkdirSync(join(dir, '.entrel-staging-99999'), { recursive: true });
  mkdirSync(join(dir, `.entrel-staging-${process.ppid}`));
  await writeTogether(dir, async (staging) => writeFileSync(join(staging, 'train.jsonl'), 'x\n'));
  assert.deepEqual(readdirSync(dir).sort(), [`.entrel-staging-${process.ppid}`, 'train.jsonl'].sort());
});

test("staged outputs: a killed run's stepped-aside directory goes where the new one is in place, and comes back where it is not", async () => {
  const dir = join(root, 'staging-aside');
  // killed after both renames: model/ is the new one, model.old-<dead> the earlier one
  mkdirSync(join(dir, 'model'), { recursive: true });
  mkdirSync(join(dir, `model.old-${WRITER.replace(/^\d+/, '99999')}`));
  // killed between the renames: only the earlier one exists, aside
  const aside = `vectors.old-${WRITER.replace(/^\d+/, '99999')}`;
  mkdirSync(join(dir, aside));
  writeFileSync(join(dir, aside, 'v.txt'), 'earlier');
  // a live writer's, and a name of the user's that only looks like one
  mkdirSync(join(dir, `parts.old-${WRITER.replace(/^\d+/, String(process.ppid))}`));
  mkdirSync(join(dir, 'notes.old-copy'));
  mkdirSync(join(dir, 'model.old-2024'));
  // a dead run that had this very pid (a container's pid 1 again) left its earlier parts aside
  mkdirSync(join(dir, `parts2.old-${WRITER}`));
  await writeTogether(dir, async (staging) => writeFileSync(join(staging, 'split.json'), '{}\n'));
  assert.deepEqual(readdirSync(dir).sort(), ['model', 'model.old-2024', 'notes.old-copy', `parts.old-${WRITER.replace(/^\d+/, String(process.ppid))}`, 'parts2', 'split.json', 'vectors'].sort());
  assert.equal(readFileSync(join(dir, 'vectors', 'v.txt'), 'utf8'), 'earlier');
});
