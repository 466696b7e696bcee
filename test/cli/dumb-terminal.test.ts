/**
 * A terminal without cursor control (TERM=dumb) gets no escape sequences on stderr: no bar drawn, no cursor
 * shown again after Ctrl-C, but a plain progress line every 5 seconds (src/train/progress.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBar } from '../../src/train/progress.js';
import { bigCorpus, untilStaging } from './big-corpus.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = `import {run} from ${JSON.stringify(join(root, 'src', 'cli', 'main.ts'))}; process.exitCode = await run(['node', 'entrel', ...process.argv.slice(1)])`;

test('on TERM=dumb a bar is plain lines, 5 s apart, without escape sequences', (t) => {
  const written: string[] = [];
  let now = 0;
  t.mock.method(performance, 'now', () => now);
  t.mock.method(process.stderr, 'write', (s: string) => (written.push(s), true));
  const isTTY = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
  Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
  const term = process.env.TERM;
  process.env.TERM = 'dumb';
  try {
    const bar = startBar({ label: 'predict', unit: 'sentences', total: 100 });
    for (const [seconds, done] of [[1, 10], [4, 40], [5, 50], [6, 60], [10.5, 100]]) {
      now = seconds * 1000;
      bar.update(done);
    }
    bar.stop();
  } finally {
    process.env.TERM = term;
    if (isTTY) Object.defineProperty(process.stderr, 'isTTY', isTTY);
    else delete (process.stderr as { isTTY?: boolean }).isTTY;
  }
  assert.deepEqual(written, ['entrel: predict 50/100 sentences | 10.0 sentences/s | ETA 5s\n', 'entrel: predict 100/100 sentences | 9.5 sentences/s | ETA 0s\n']);
});

test('Ctrl-C on TERM=dumb: "interrupted", and no escape sequence on stderr at all', { timeout: 300_000 }, async () => {
  const { dir, input } = bigCorpus(20_000);
  // stderr, a pipe, passes for a terminal (fake-tty.ts): a dumb one.
  const args = ['--import', 'tsx', '--import', join(root, 'test', 'cli', 'fake-tty.ts'), '--input-type=module', '-e', script, '--', 'convert', '--to', 'brat', input, join(dir, 'out')];
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, TERM: 'dumb' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b));
  const closed = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  await untilStaging(dir, child, () => err);
  child.kill('SIGINT');
  assert.equal(await closed, 130, err);
  assert.match(err, /entrel: interrupted \(SIGINT\)/);
  assert.doesNotMatch(err, /\x1b/, JSON.stringify(err));
});
