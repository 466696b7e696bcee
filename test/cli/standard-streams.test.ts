/**
 * stdout or stderr that cannot be written (src/cli/streams.ts), in child processes: a pipe its reader
 * closes ends the command quietly with exit 141; a full disk (/dev/full) on stdout is one line and exit 1;
 * a full stderr loses the summary line, not the command's exit code. Never a stack trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../temp-dir.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = `import {run} from ${JSON.stringify(join(root, 'src', 'cli', 'main.ts'))}; process.exitCode = await run(['node', 'entrel', ...process.argv.slice(1)])`;
const argsOf = (args: string[]) => ['--import', 'tsx', '--input-type=module', '-e', script, '--', ...args];
const corpus = join(root, 'test', 'fixtures', 'view', 'gold.jsonl');

/** `entrel ...args` from the sources with /dev/full as its stdout or its stderr; the other stream is read. */
function withFull(stream: 'stdout' | 'stderr', ...args: string[]): { code: number | null; text: string } {
  const full = openSync('/dev/full', 'w');
  try {
    const stdio = stream === 'stdout' ? ['ignore', full, 'pipe'] : ['ignore', 'pipe', full];
    const r = spawnSync(process.execPath, argsOf(args), { cwd: root, encoding: 'utf8', stdio: stdio as never, timeout: 300_000 });
    return { code: r.status, text: (stream === 'stdout' ? r.stderr : r.stdout) ?? '' };
  } finally {
    closeSync(full);
  }
}

test('a reader closing stdout ends extract --json quietly with exit 141, not a stack trace', { timeout: 300_000 }, async () => {
  // Some 400 sentences: their JSON is far more than a pipe's 64 KB buffer, so writes meet the closed pipe.
  const text = Array.from({ length: 400 }, (_, i) => `John Smith ${i} works for IBM in New York.`).join(' ');
  const child = spawn(process.execPath, argsOf(['extract', '--json', '--workers', '0', text]), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let read = 0;
  child.stderr.on('data', (b: Buffer) => (err += b));
  child.stdout.on('data', (b: Buffer) => {
    read += b.length;
    child.stdout.destroy(); // `| head -c 10`
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  assert.ok(read > 0, err);
  assert.equal(code, 141, err);
  assert.equal(err, '');
});

test('stdout on a full disk: one line naming standard output and ENOSPC, exit 1', () => {
  for (const args of [['stats', corpus], ['stats', '--json', corpus], ['--help']]) {
    const r = withFull('stdout', ...args);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.text}`);
    assert.equal(r.text, 'entrel: cannot write standard output: no space left on device (ENOSPC)\n', args.join(' '));
  }
});

test('stderr on a full disk: a convert that wrote its output still exits 0; a failing command still exits 1', () => {
  const out = join(tempDir('entrel-streams-'), 'out.jsonl');
  const ok = withFull('stderr', 'convert', '--to', 'jsonl', corpus, out);
  assert.equal(ok.code, 0);
  assert.equal(readFileSync(out, 'utf8').trim().split('\n').length, 3);
  const missing = withFull('stderr', 'stats', join(root, 'no-such-file.jsonl'));
  assert.equal(missing.code, 1);
});
