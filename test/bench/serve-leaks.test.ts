/**
 * bench/serve-leaks.ts's command line: `--seed` (the mix is drawn from a seeded generator; it used
 * Math.random()) is listed with its default, and a bad `--seed` or `--concurrency` is refused with one line
 * and the usage, exit 2, before any server starts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..', '..');

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function runBench(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('bench', 'serve-leaks.ts'), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const r = { out: '', err: '' };
    child.stdout.on('data', (b: Buffer) => (r.out += b));
    child.stderr.on('data', (b: Buffer) => (r.err += b));
    // A bench that started running instead of refusing its command line: stop it, and fail.
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ...r });
    });
  });
}

test('bench/serve-leaks.ts: --help lists --seed with its default', async () => {
  const r = await runBench(['--help']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^usage: npm run bench:serve-leaks/);
  assert.match(r.out, /--seed S .*\(default: 1\)/);
  assert.match(r.out, /--requests N .*\(default: 20000\)/);
  assert.match(r.out, /--concurrency N .*from 1 to 200.*\(default: 16\)/);
});

for (const [args, message] of [
  [['--seed', '-1'], /^--seed: expected a whole number from 0 to 2147483647, got "-1"$/],
  [['--seed', 'x'], /^--seed: expected a whole number from 0 to 2147483647, got "x"$/],
  [['--concurrency', '201'], /^--concurrency: expected a whole number from 1 to 200, got "201"$/],
] as const) {
  test(`bench/serve-leaks.ts: ${args.join(' ')} is refused with the usage, exit 2`, async () => {
    const r = await runBench([...args]);
    assert.equal(r.code, 2, r.err);
    const [first, ...rest] = r.err.split('\n');
    assert.match(first, message);
    assert.match(rest.join('\n'), /^usage: npm run bench:serve-leaks/);
    assert.equal(r.out, '', 'the bench started');
  });
}
