/**
 * Outputs that are no plain file: standard output (`-`), a named pipe, a character device, a descriptor
 * path, a symbolic link. Each is written as a shell user means it (in place, or through the link), never
 * replaced by a regular file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../src/errors.js';
import { writeAtomic, writeAtomicTogether } from '../../src/data/write.js';
import { writeDirAtomic, writeFileAtomic } from '../../src/data/atomic.js';
import { outputTarget } from '../../src/data/output-target.js';
import { Diagnostics } from '../../src/data/diagnostics.js';
import { documentFromTokens } from '../../src/data/corpus.js';
import { writeCorpus } from '../../src/data/formats/index.js';
import { tmp } from './helpers.js';
import { CHILD_LIMIT } from '../child-limit.js';

const WRITE_TS = fileURLToPath(new URL('../../src/data/write.ts', import.meta.url));
const MAIN_TS = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
/** The CLI from the sources, for `node --import tsx -e CLI ARGS`. */
const CLI = `import {run} from ${JSON.stringify(MAIN_TS)}; process.exitCode = await run(['node', 'entrel', ...process.argv.slice(1)])`;
const DOCS = [documentFromTokens('a', [{ tokens: ['Mary', 'works'], entities: [{ id: 'T1', type: 'Peop', start: 0, end: 1 }], relations: [] }])];
const SCHEMA = { entityTypes: ['Peop'], relationTypes: [] };

/** What descriptor `fd` of this process is open on, '' once closed. */
function readlinkOr(fd: number): string {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return '';
  }
}

/** Runs `code` (an ES module body that may import write.ts as `W`) in a child, in `cwd`; its stdout and stderr. */
function child(code: string, cwd: string) {
  // Started in the checkout (where tsx resolves), then moved to `cwd`.
  const script = `import * as W from ${JSON.stringify(WRITE_TS)};\nprocess.chdir(${JSON.stringify(cwd)});\n${code}`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    ...CHILD_LIMIT,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('"-" is standard output: the pieces go there, and no file named "-" is made', () => {
  const dir = tmp();
  const r = child(`await W.writeAtomic('-', ['{"a":1}\\n', '{"b":2}\\n']);`, dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '{"a":1}\n{"b":2}\n');
  assert.ok(!existsSync(join(dir, '-')), 'a file named "-" was made');
});

test('a data file to "-" leaves its types file out, and the writer counts it (there is no directory beside standard output)', () => {
  const dir = tmp();
  const r = child(
    `const seen = []; await W.writeAtomicTogether([{ out: '-', pieces: ['data\\n'] }, { out: '-_types.json', pieces: ['{}'] }], (f) => seen.push(f)); process.stderr.write(JSON.stringify(seen));`,
    dir,
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'data\n');
  assert.deepEqual(JSON.parse(r.stderr), ['-_types.json']);
  assert.ok(!existsSync(join(dir, '-_types.json')));
  const diagnostics = new Diagnostics();
  return writeCorpus(DOCS, SCHEMA, join(dir, 'fifo-less-check.jsonl'), 'jsonl', diagnostics).then(() => assert.equal(diagnostics.count('companion-file-not-written'), 0, 'a file output keeps its types file'));
});

test('a named pipe is written in place: its reader gets the output, and the pipe stays a pipe (was: replaced by a file, the reader waiting for ever)', async () => {
  const fifo = join(tmp(), 'out.jsonl');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const reader = spawn('cat', [fifo]);
  let got = '';
  reader.stdout.on('data', (b: Buffer) => (got += b.toString()));
  await writeAtomic(fifo, ['line 1\n', 'line 2\n']);
  const [code] = await Promise.race([once(reader, 'close'), new Promise<[string]>((resolve) => setTimeout(() => resolve(['timeout']), 20_000))]);
  if (code === 'timeout') reader.kill();
  assert.equal(code, 0, 'the reader never saw the end of the output');
  assert.equal(got, 'line 1\nline 2\n');
  assert.ok(statSync(fifo).isFIFO(), 'the named pipe was replaced');
});

test('a character device is written in place, not replaced by a file', async (t) => {
  // A device of our own (mknod needs root, as CI has); the machine's /dev/null is not put at risk.
  const dev = join(tmp(), 'null');
  if (spawnSync('mknod', ['-m', '666', dev, 'c', '1', '3']).status !== 0) {
    t.diagnostic('mknod refused (not root, or a nodev mount): the device case is covered by the named pipe test only');
    return;
  }
  await writeAtomic(dev, ['discarded\n']);
  writeFileAtomic(dev, 'discarded too');
  assert.ok(statSync(dev).isCharacterDevice(), 'the device was replaced by a regular file');
  assert.equal(readFileSync(dev, 'utf8'), '', 'a null device reads empty');
});

test('a descriptor path (/dev/stdout) is written in place, appending to what the shell opened', () => {
  const dir = tmp();
  const file = join(dir, 'captured.txt');
  writeFileSync(file, 'kept\n');
  // `>> captured.txt`: the child's stdout appends to the file.
  const r = spawnSync('sh', ['-c', `"${process.execPath}" --import tsx --input-type=module -e "import * as W from '${WRITE_TS}'; await W.writeAtomic('/dev/stdout', ['new\\n'])" >> '${file}'`], {
    encoding: 'utf8',
    ...CHILD_LIMIT,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(file, 'utf8'), 'kept\nnew\n');
  // Into a pipe, /dev/stdout resolves to `pipe:[N]`, which is no file to stat (was: ENOENT naming /proc/N/fd/pipe:[N]).
  const piped = child(`W.refuseOverwritingInputs(['/dev/stdout'], ['x.jsonl']); await W.writeAtomic('/dev/stdout', ['piped\\n']);`, dir);
  assert.equal(piped.status, 0, piped.stderr);
  assert.equal(piped.stdout, 'piped\n');
});

test('a symbolic link is written through: its target gets the output, and the link stays (was: the link replaced by a file)', async () => {
  const dir = tmp();
  mkdirSync(join(dir, 'big'));
  writeFileSync(join(dir, 'big', 'results.jsonl'), 'old\n');
  symlinkSync(join('big', 'results.jsonl'), join(dir, 'out.jsonl'));
  await writeAtomic(join(dir, 'out.jsonl'), ['new\n']);
  assert.ok(lstatSync(join(dir, 'out.jsonl')).isSymbolicLink());
  assert.equal(readFileSync(join(dir, 'big', 'results.jsonl'), 'utf8'), 'new\n');
  // A dangling link: the file it names is made.
  symlinkSync(join('big', 'later.json'), join(dir, 'later.json'));
  writeFileAtomic(join(dir, 'later.json'), '{}');
  assert.equal(readlinkSync(join(dir, 'later.json')), join('big', 'later.json'));
  assert.equal(readFileSync(join(dir, 'big', 'later.json'), 'utf8'), '{}');
});

test('a brat output through a symbolic link to a directory fills that directory, and the link stays', async () => {
  const dir = tmp();
  mkdirSync(join(dir, 'disk', 'brat'), { recursive: true });
  symlinkSync(join('disk', 'brat'), join(dir, 'blink'));
  await writeCorpus(DOCS, SCHEMA, join(dir, 'blink'), 'brat');
  assert.ok(lstatSync(join(dir, 'blink')).isSymbolicLink(), 'the link was replaced');
  assert.ok(existsSync(join(dir, 'disk', 'brat', 'a.ann')), 'the linked directory did not get the output');
});

test('a brat output to "-" is refused by name: a directory cannot be standard output', async () => {
  const dir = tmp();
  await assert.rejects(writeDirAtomic('-', 'the brat output', () => undefined), (e: unknown) => e instanceof UserError && /^-: cannot write the brat output to standard output/.test(e.message));
  assert.ok(!existsSync(join(dir, '-')));
});

test('a failure on a file inside a directory being written names it inside the directory the user named, not the temporary one', async () => {
  const target = join(tmp(), 'small', 'b');
  await assert.rejects(
    writeDirAtomic(target, 'the brat output', (staging) => {
      throw new UserError('cannot write: no space left on device (ENOSPC)', { file: join(staging, '8.ann') });
    }),
    (e: unknown) => e instanceof UserError && e.message === `${join(target, '8.ann')}: cannot write: no space left on device (ENOSPC); its previous version, if any, is unchanged`,
  );
});

test('a companion file that is a named pipe is refused, not replaced', async () => {
  const dir = tmp();
  const fifo = join(dir, 'out_types.json');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  await assert.rejects(writeAtomicTogether([{ out: join(dir, 'out.jsonl'), pieces: ['x\n'] }, { out: fifo, pieces: ['{}'] }], () => assert.fail('skipped')), /out_types\.json: cannot write: not a regular file/);
  assert.ok(statSync(fifo).isFIFO());
  assert.ok(!existsSync(join(dir, 'out.jsonl')), 'half of the pair was written');
});

test('a write the file system takes only part of fails, and the previous version stays (was: a truncated file, reported written)', () => {
  const dir = tmp();
  const out = join(dir, 'out.jsonl');
  writeFileSync(out, 'PREVIOUS\n');
  const ATOMIC_TS = fileURLToPath(new URL('../../src/data/atomic.ts', import.meta.url));
  for (const call of [`await W.writeAtomic(${JSON.stringify(out)}, ['x'.repeat(300_000)])`, `(await import(${JSON.stringify(ATOMIC_TS)})).writeFileAtomic(${JSON.stringify(out)}, 'x'.repeat(300_000))`]) {
    // A file size limit of 100 KiB: one write(2) of 300 KB writes 100 KiB and says so, without an error; the next one fails (EFBIG).
    const script = `import * as W from ${JSON.stringify(WRITE_TS)};\n${call};`;
    const r = spawnSync('sh', ['-c', `ulimit -f 100 && exec "${process.execPath}" --import tsx --input-type=module -e '${script.replace(/'/g, `'\\''`)}'`], { encoding: 'utf8', ...CHILD_LIMIT });
    assert.notEqual(r.status, 0, `${call}: reported written`);
    assert.match(r.stderr, /EFBIG|too large/, r.stderr);
    assert.equal(readFileSync(out, 'utf8'), 'PREVIOUS\n', `${call}: the previous version was replaced`);
  }
});

test("a descriptor path names a descriptor the process was given, or is refused: never one of the process's own (was: a crash or a hang writing into libuv's)", () => {
  assert.throws(() => outputTarget('/dev/fd/200'), (e: unknown) => e instanceof UserError && e.message === '/dev/fd/200: cannot write: descriptor 200 is not open (a shell opens one with 200> FILE)');
  // libuv's own: its event loop (an anon_inode) and the pipes whose both ends it holds.
  const fds = readdirSync('/proc/self/fd').map(Number);
  const twin = (fd: number) => fds.some((n) => n !== fd && readlinkOr(n) === readlinkOr(fd));
  // (A pipe to another process, as tsx's to its esbuild, looks like one a shell gave: left out.)
  const own = fds.filter((fd) => fd > 2 && (readlinkOr(fd).startsWith('anon_inode:') || (readlinkOr(fd).startsWith('pipe:') && twin(fd))));
  assert.ok(own.length > 0, 'no descriptor of the process its own');
  for (const fd of own) assert.throws(() => outputTarget(`/dev/fd/${fd}`), new RegExp(`descriptor ${fd} is one of entrel's own, not one it was given`), readlinkOr(fd));
  // Given by the shell (`3> file`): written as it is.
  const file = join(tmp(), 'given.txt');
  const r = spawnSync('sh', ['-c', `"${process.execPath}" --import tsx --input-type=module -e "import * as W from '${WRITE_TS}'; await W.writeAtomic('/dev/fd/3', ['given\\\\n'])" 3> '${file}'`], { encoding: 'utf8', ...CHILD_LIMIT });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(file, 'utf8'), 'given\n');
});

test('a named pipe nobody reads yet: the writer waits for a reader, and Ctrl-C still ends it (was: "interrupted", then a process that never exited)', async () => {
  const fifo = join(tmp(), 'no-reader.jsonl');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const gold = join(tmp(), 'gold.jsonl');
  await writeCorpus(DOCS, SCHEMA, gold, 'jsonl');
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CLI, 'convert', '--to', 'jsonl', gold, fifo]);
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b));
  await new Promise((resolve) => setTimeout(resolve, 3000)); // started, and waiting for the reader
  child.kill('SIGINT');
  const [code] = await Promise.race([once(child, 'exit'), new Promise<[string]>((resolve) => setTimeout(() => resolve(['hung']), 30_000))]);
  if (code === 'hung') child.kill('SIGKILL');
  assert.equal(code, 130, err);
  assert.match(err, /interrupted \(SIGINT\)/);
});

test('a named pipe whose reader stops early: one line saying so, exit 1 (was: an internal error and a stack trace)', async () => {
  const fifo = join(tmp(), 'early.jsonl');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const big = join(tmp(), 'big.jsonl');
  await writeCorpus(Array.from({ length: 3000 }, (_, i) => documentFromTokens(`d${i}`, [{ tokens: ['Mary', 'works', 'for', 'Acme', 'Corp', '.'], entities: [{ id: 'T1', type: 'Peop', start: 0, end: 1 }], relations: [] }])), SCHEMA, big, 'jsonl');
  const reader = spawn('head', ['-c', '10', fifo], { stdio: ['ignore', 'ignore', 'ignore'] });
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CLI, 'convert', '--to', 'jsonl', big, fifo, '--quiet'], { encoding: 'utf8', ...CHILD_LIMIT });
  reader.kill();
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr, `entrel: ${fifo}: cannot write: the reader closed the pipe (EPIPE)\n`);
});

test('the library writing to "-" whose reader went away rejects its promise, which the caller catches (was: an unhandled error event ending the process)', async () => {
  const script = `import * as W from ${JSON.stringify(WRITE_TS)};
    try { for (let i = 0; i < 50; i++) await W.writeAtomic('-', ['x'.repeat(1 << 20)]); } catch (e) { process.stderr.write('caught ' + e.message); }`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b));
  child.stdout.once('data', () => child.stdout.destroy());
  const [code] = await once(child, 'exit');
  assert.equal(code, 0, err);
  assert.equal(err, 'caught -: cannot write: the reader closed the pipe (EPIPE)');
});
