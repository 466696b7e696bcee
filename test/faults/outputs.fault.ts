/**
 * The data commands that write several outputs (`split`: parts and split.json; `view`: one large page;
 * `convert` to brat: a directory) on a real full disk and a read-only one: exit 1, one line naming the
 * output, the earlier outputs as they were, and nothing half-written left behind. Needs root to mount a
 * small tmpfs (CI runs as root). Run by `npm run test:faults`, not `npm test`.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { cli, fill } from './harness.js';
import { tempDir } from '../temp-dir.js';

const DATA = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data');
const TRAIN04 = join(DATA, 'conll04', 'unified_two_are_better', 'train.CoNLL04.json');
const root = tempDir('entrel-outputs-');
const mnt = join(root, 'mnt');
const isRoot = process.getuid?.() === 0;

before(() => {
  mkdirSync(mnt);
  // 3 MB: room for one split of CoNLL04 train (about 0.6 MB) and a page of a few documents, not for much more.
  if (isRoot) execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mnt]);
});
after(() => {
  if (isRoot) execFileSync('umount', ['-l', mnt]);
  rmSync(root, { recursive: true, force: true });
});

/** Every file under `dir` with its content: what must not change. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort())
    try {
      out[f] = readFileSync(join(dir, f), 'utf8');
    } catch {
      out[f] = '<dir>';
    }
  return out;
}

function assertOneLine(r: { code: number | null; stderr: string }, names: string, why: RegExp): void {
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stderr.trim().split('\n').filter((l) => !/warning:/.test(l));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], new RegExp(`^entrel: ${names}`));
  assert.match(lines[0], why);
}

test('split on a full disk, then a read-only one: one line, the earlier split untouched, no staging left', async () => {
  assert.ok(isRoot, 'needs root to mount a tmpfs (CI runs as root)');
  const out = join(mnt, 'split');
  const first = await cli(['split', TRAIN04, '--out', out, '--to', 'jsonl', '--seed', '1']);
  assert.equal(first.code, 0, first.stderr);
  const before = snapshot(out);
  const filler = fill(mnt, 8 * 1024);
  const full = await cli(['split', TRAIN04, '--out', out, '--to', 'jsonl', '--seed', '2']);
  assertOneLine(full, out, /no space left on device \(ENOSPC\)/);
  assert.deepEqual(snapshot(out), before);
  rmSync(filler);
  execFileSync('mount', ['-o', 'remount,ro', mnt]);
  try {
    const ro = await cli(['split', TRAIN04, '--out', out, '--to', 'jsonl', '--seed', '2']);
    assertOneLine(ro, out, /read-only file system \(EROFS\)/);
  } finally {
    execFileSync('mount', ['-o', 'remount,rw', mnt]);
  }
  assert.deepEqual(snapshot(out), before);
});

test('view and convert to brat on a full disk: one line naming the output, nothing half-written', async () => {
  assert.ok(isRoot, 'needs root to mount a tmpfs (CI runs as root)');
  const filler = fill(mnt, 64 * 1024);
  try {
    const page = join(mnt, 'page.html');
    const view = await cli(['view', TRAIN04, '--out', page, '--quiet']);
    assertOneLine(view, page, /no space left on device \(ENOSPC\)/);
    const brat = join(mnt, 'brat');
    const convert = await cli(['convert', '--to', 'brat', TRAIN04, brat]);
    assertOneLine(convert, brat, /no space left on device \(ENOSPC\)/);
    assert.deepEqual(readdirSync(mnt).filter((n) => n !== 'filler' && n !== 'split').sort(), [], 'no page, brat directory or temporary file left');
  } finally {
    rmSync(filler);
  }
});

test('vote, predict --to brat and compare --out on a full disk: one line naming the output, nothing half-written', async () => {
  assert.ok(isRoot, 'needs root to mount a tmpfs (CI runs as root)');
  const filler = fill(mnt, 16 * 1024);
  try {
    const voted = join(mnt, 'vote.jsonl');
    const vote = await cli(['vote', TRAIN04, TRAIN04, TRAIN04, '--out', voted]);
    // The schema beside it (vote_types.json) is an output too: either may be the one that finds the disk full.
    assertOneLine(vote, join(mnt, 'vote(?:\\.jsonl|_types\\.json)'), /no space left on device \(ENOSPC\)/);
    const brat = join(mnt, 'pred-brat');
    const predict = await cli(['predict', '--data', TRAIN04, '--out', brat, '--to', 'brat']);
    assertOneLine(predict, brat, /no space left on device \(ENOSPC\)/);
    const report = join(mnt, 'comparison.json');
    // 16 KB: the comparison's JSON fits, so fill the rest first.
    rmSync(filler);
    const tight = fill(mnt, 256);
    try {
      const compare = await cli(['compare', '--gold', TRAIN04, TRAIN04, TRAIN04, '--out', report, '--trials', '10', '--samples', '10']);
      assertOneLine(compare, report, /no space left on device \(ENOSPC\)/);
    } finally {
      rmSync(tight);
    }
    assert.deepEqual(readdirSync(mnt).filter((n) => n !== 'filler' && n !== 'split').sort(), [], 'no output or temporary file left');
  } finally {
    rmSync(filler, { force: true });
  }
});
