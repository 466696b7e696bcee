/**
 * `npm run test:faults`: the fault and abuse suite — the fixed-seed fuzz slice, model-file faults, kill -9
 * and resume, full disk and unwritable output, the service's limits, timeouts and bind address, and
 * libtorch errors surfacing as JavaScript errors. Runs the files one at a time with node's test runner
 * (TypeScript through tsx), prints each failure, and ends with `faults passed=<n> failed=<m>`; the exit
 * code is non-zero when anything failed (or a file hung past its timeout, which counts as a failure).
 */
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { run } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..');
const inDir = (dir: string, re: RegExp) => readdirSync(join(ROOT, dir)).filter((f) => re.test(f)).sort().map((f) => join(ROOT, dir, f));

const files = [
  ...inDir('test/fuzz', /\.test\.ts$/),
  ...inDir('test/faults', /\.(test|fault)\.ts$/),
  join(ROOT, 'test/server/reliability.test.ts'),
  join(ROOT, 'test/server/validation.test.ts'),
  join(ROOT, 'test/tensor/errors.test.ts'),
];

let passed = 0;
let failed = 0;
const perFile = new Map<string, number>();
const stream = run({ files, concurrency: 1, timeout: 300_000, execArgv: ['--import', 'tsx'] } as Parameters<typeof run>[0]);
stream.on('test:pass', (e) => {
  if (e.details.type === 'suite') return;
  // A skipped fault case is a hole in the suite, not a pass.
  if (e.skip || e.todo) {
    failed++;
    console.log(`SKIPPED ${relative(ROOT, e.file ?? '?')}: ${e.name}`);
    return;
  }
  passed++;
  const file = relative(ROOT, e.file ?? '?');
  perFile.set(file, (perFile.get(file) ?? 0) + 1);
});
stream.on('test:fail', (e) => {
  if (e.details.type === 'suite') return;
  failed++;
  const err = e.details.error as Error & { cause?: Error };
  console.log(`FAIL ${relative(ROOT, e.file ?? '?')}: ${e.name}\n  ${String((err.cause ?? err).message).split('\n').slice(0, 8).join('\n  ')}`);
});
stream.on('test:diagnostic', (e) => {
  // Tests report what they injected (kills landed, cases fuzzed) as diagnostics; the runner's totals are not ours.
  if (!/^(tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) /.test(e.message)) console.log(`  # ${e.message}`);
});
for await (const _ of stream);
for (const [file, n] of perFile) console.log(`ok ${file}: ${n}`);
console.log(`faults passed=${passed} failed=${failed}`);
process.exitCode = failed > 0 ? 1 : 0;
