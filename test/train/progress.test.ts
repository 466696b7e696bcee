/**
 * The progress bar of train/progress.ts, which every command's bar is (cli/progress.ts; the commands'
 * bars are tested in test/cli/progress.test.ts): its count, work, ETA and width, its phases, training's
 * epoch bar; nothing when stderr is not a terminal or with quiet.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress, phaseBars, startBar } from '../../src/train/progress.js';
import { stderrOf } from '../stderr.js';

/** The lines a bar drew (each redraw starts at column 1), without the terminal's escape sequences. */
function frames(stderr: string, label: string): string[] {
  return stderr
    .split(/\x1b\[1G|\r|\n/)
    .map((l) => l.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, ''))
    .filter((l) => l.startsWith(`${label} `));
}

/** What `f` draws on this process's stderr while it passes for a terminal `columns` wide. */
async function drawn(f: () => void | Promise<void>, columns = 120): Promise<string> {
  const saved = Object.getOwnPropertyDescriptors(process.stderr);
  Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
  Object.defineProperty(process.stderr, 'columns', { value: columns, configurable: true });
  try {
    return await stderrOf(async () => f());
  } finally {
    for (const key of ['isTTY', 'columns'] as const) {
      if (saved[key]) Object.defineProperty(process.stderr, key, saved[key]);
      else delete (process.stderr as unknown as Record<string, unknown>)[key];
    }
  }
}

test('a bar goes by its work (ETA of the whole run so far) and shows the count; nothing off a terminal or with quiet', async () => {
  const err = await drawn(() => {
    const b = startBar({ label: 'predict', unit: 'sentences', total: 10, work: 1000 });
    b.update(5, { work: 250 });
    b.stop();
  });
  // Half the sentences are a quarter of the work: 25 %, and the ETA three times the time so far.
  assert.match(frames(err, 'predict').at(-1) ?? '', /^predict \[█{10}░{30}\] 25% \| 5\/10 sentences \| [\d.]+ sentences\/s \| ETA \d+s$/);
  assert.equal(await stderrOf(async () => startBar({ label: 'x', unit: 'y', total: 1 }).stop()), '', 'no terminal, no bar');
  assert.equal(await drawn(() => startBar({ label: 'x', unit: 'y', total: 1, quiet: true }).stop()), '', 'quiet, no bar');
});

test('a bar narrows to fit the terminal, and a count without total has no bar', async () => {
  const err = await drawn(() => {
    const b = startBar({ label: 'predict', unit: 'sentences', total: 3688 });
    b.update(3688);
    b.stop();
    const c = startBar({ label: 'view', unit: 'documents' });
    c.update(7);
    c.stop();
  }, 80);
  const line = frames(err, 'predict').at(-1) ?? '';
  assert.ok(line.length <= 80 && line.endsWith('ETA 0s'), `fits 80 columns with its ETA: ${JSON.stringify(line)} (${line.length})`);
  assert.match(frames(err, 'view').at(-1) ?? '', /^view 7 documents \| [\d.]+ documents\/s$/);
});

test('phase bars: a count at its total or a new label ends the bar; training\'s epoch bar keeps its loss', async () => {
  const err = await drawn(() => {
    const bars = phaseBars();
    bars.show({ label: 'predict', unit: 'sentences', total: 4 }, 4);
    bars.show({ label: 'write', unit: 'documents', total: 2 }, 2);
    bars.stop();
    const p = createProgress(false);
    p.start(3, 8);
    p.update(8, 0.123456, 40);
    p.stop();
  });
  assert.match(frames(err, 'predict').at(-1) ?? '', /100% \| 4\/4 sentences/);
  assert.match(frames(err, 'write').at(-1) ?? '', /100% \| 2\/2 documents/);
  assert.ok(err.indexOf('write [') > err.lastIndexOf('predict ['), 'the write bar comes after the predict bar ended');
  // Its count at the total ends a phase's bar, the cursor shown again, with nothing else after it.
  const bars = phaseBars();
  try {
    const ended = await drawn(() => bars.show({ label: 'predict', unit: 'sentences', total: 4 }, 4));
    assert.ok(ended.endsWith('\x1b[?25h\x1b[?7h\x1b8\x1b[1G\x1b[2K'), `the bar ended, its line cleared: ${JSON.stringify(ended.slice(-40))}`);
    assert.equal(await drawn(() => bars.show({ label: 'predict', unit: 'sentences', total: 4 }, 4)), '', 'an ended bar draws nothing more');
  } finally {
    bars.stop();
  }
  assert.match(frames(err, 'epoch').at(-1) ?? '', /^epoch 3 \[█+\] 100% \| 8\/8 sent \| loss 0\.1235 \| 40\.0 sent\/s \| ETA 0s$/);
});
