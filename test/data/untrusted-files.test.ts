/**
 * Data files from a stranger (review 12b, M3): a brat collection reads only regular files, or symbolic
 * links to regular files inside it. A `.txt` linked to /dev/zero grew memory without bound (its size of 0
 * passed the 16 MiB check), a named pipe waited for ever, and a link to /etc/hostname was read into the
 * converted corpus. Each is now one line naming the file. The other readers: a types file or an
 * annotation.conf found beside the data is a regular file too; a data file or id list named on the command
 * line may be a pipe (`<(…)`, /dev/stdin), never a device. Every run that could hang or eat memory on the
 * old code is a child process with a time and memory limit.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { UserError } from '../../src/errors.js';
import { readFileBounded } from '../../src/data/data-file.js';
import { tempDir } from '../temp-dir.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const main = join(root, 'src', 'cli', 'main.ts');
const script = `import {run} from ${JSON.stringify(main)}; process.exitCode = await run(['node', 'entrel', ...process.argv.slice(1)])`;
const work = tempDir('entrel-untrusted-');

interface Run {
  code: number | null;
  out: string;
  err: string;
  /** Why the child was stopped: it ran out of time or held too much memory. */
  stopped?: string;
}

/** The argument `limited` replaces with a pipe. */
const PIPE = '<pipe>';

/**
 * `entrel ...args` from the sources in a child process, stopped (SIGKILL, by its pid) after `ms` or once its
 * resident memory passes `mb` MB, so that a reader that waits for ever or reads without end fails the test
 * instead of hanging it or filling the machine.
 */
function limited(args: string[], { ms = 30_000, mb = 1024, pipeFrom }: { ms?: number; mb?: number; pipeFrom?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const node = [process.execPath, '--import', 'tsx', '--input-type=module', '-e', script];
    // `pipeFrom`: the argument PIPE becomes `<(cat pipeFrom)`, a pipe as bash gives one (/dev/fd/N); bash
    // execs node, so the pid watched is node's.
    const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const child =
      pipeFrom === undefined
        ? spawn(node[0], [...node.slice(1), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
        : spawn('bash', ['-c', `exec ${[...node, ...args].map((a) => (a === PIPE ? `<(cat ${sh(pipeFrom)})` : sh(a))).join(' ')}`], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const run: Run = { code: null, out: '', err: '' };
    child.stdout.on('data', (b: Buffer) => (run.out += b));
    child.stderr.on('data', (b: Buffer) => (run.err += b));
    const stop = (why: string) => {
      if (run.stopped === undefined && child.exitCode === null) {
        run.stopped = why;
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => stop(`was still running after ${ms} ms`), ms);
    const watch = setInterval(() => {
      let status = '';
      try {
        status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      } catch {
        return; // gone
      }
      const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
      if (kb > mb * 1024) stop(`held ${Math.round(kb / 1024)} MB, over ${mb} MB`);
    }, 100);
    child.on('close', (code) => {
      clearTimeout(timer);
      clearInterval(watch);
      run.code = code;
      resolve(run);
    });
  });
}

/** A run that ended by itself with exit 1 and this one line on stderr. */
function refused(r: Run, line: string): void {
  assert.equal(r.stopped, undefined, `the child was stopped: it ${r.stopped}; its stderr: ${r.err}`);
  assert.deepEqual({ code: r.code, err: r.err }, { code: 1, err: `entrel: ${line}\n` });
}

function mkfifo(path: string): void {
  const r = spawnSync('mkfifo', [path], { encoding: 'utf8' });
  assert.equal(r.status, 0, `mkfifo ${path}: ${r.stderr}`);
}

let n = 0;
/** A brat collection of one good pair (doc1); `add` puts more files in. */
function collection(add: (dir: string) => void = () => {}): string {
  const dir = join(work, `collection${++n}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'doc1.txt'), 'John works for IBM .\n');
  writeFileSync(join(dir, 'doc1.ann'), 'T1\tPeop 0 4\tJohn\nT2\tOrg 15 18\tIBM\nR1\tWork_For Arg1:T1 Arg2:T2\n');
  add(dir);
  return dir;
}

/** A second pair whose `.txt` is made by `make` (its `.ann` marks its first two characters). */
const withDoc2Text = (make: (txt: string) => void) => (dir: string) => {
  make(join(dir, 'doc2.txt'));
  writeFileSync(join(dir, 'doc2.ann'), 'T1\tPeop 0 2\tvm\n');
};

const outside = join(work, 'elsewhere');
mkdirSync(outside);
const SECRET = 'secret-host-name-4711';
writeFileSync(join(outside, 'hostname'), `${SECRET}\n`);

describe('a brat collection reads regular files only, and links only to files inside it', () => {
  it('a named pipe as a .txt: refused naming it (it waited for ever)', async () => {
    const dir = collection(withDoc2Text(mkfifo));
    refused(await limited(['stats', dir], { ms: 20_000 }), `${join(dir, 'doc2.txt')}: cannot read: a named pipe (FIFO), not a regular file`);
  });

  it('a .txt linked to /dev/zero: refused naming the link and /dev/zero (memory grew without bound)', async () => {
    const dir = collection(withDoc2Text((txt) => symlinkSync('/dev/zero', txt)));
    refused(
      await limited(['stats', dir], { ms: 20_000, mb: 1024 }),
      `${join(dir, 'doc2.txt')}: cannot read: a symbolic link to /dev/zero, outside ${dir}: the files of a collection are read from inside its directory only (copy the file in)`,
    );
  });

  it('a .txt linked to a file outside the collection: refused, and nothing of that file is written (it was read into the output)', async () => {
    const dir = collection(withDoc2Text((txt) => symlinkSync(join(outside, 'hostname'), txt)));
    const out = join(work, `converted${n}.jsonl`);
    const r = await limited(['convert', dir, out, '--to', 'jsonl', '--quiet']);
    refused(r, `${join(dir, 'doc2.txt')}: cannot read: a symbolic link to ${join(outside, 'hostname')}, outside ${dir}: the files of a collection are read from inside its directory only (copy the file in)`);
    assert.ok(!existsSync(out), `${out} was written`);
    // The same pair named alone: its .txt is the collection's file all the same.
    refused(await limited(['stats', join(dir, 'doc2.ann')]), `${join(dir, 'doc2.txt')}: cannot read: a symbolic link to ${join(outside, 'hostname')}, outside ${dir}: the files of a collection are read from inside its directory only (copy the file in)`);
  });

  it('an annotation.conf linked to a file outside: refused (entrel split copies the conf into every part)', async () => {
    const ini = join(outside, 'credentials');
    writeFileSync(ini, '[entities]\nPeop\nOrg\n[default]\nkey = do-not-copy-me\n');
    const dir = collection((d) => symlinkSync(ini, join(d, 'annotation.conf')));
    refused(await limited(['stats', dir]), `${join(dir, 'annotation.conf')}: cannot read: a symbolic link to ${ini}, outside ${dir}: the files of a collection are read from inside its directory only (copy the file in)`);
  });

  it('a link to a named pipe inside the collection: refused naming the pipe kind', async () => {
    const dir = collection((d) => {
      mkfifo(join(d, 'pipe'));
      symlinkSync('pipe', join(d, 'doc2.ann'));
      writeFileSync(join(d, 'doc2.txt'), 'Mary .\n');
    });
    refused(await limited(['stats', dir], { ms: 20_000 }), `${join(dir, 'doc2.ann')}: cannot read: a named pipe (FIFO), not a regular file`);
  });

  it('links to regular files inside the collection are read, and so is a collection reached through a link', async () => {
    const dir = collection((d) => {
      mkdirSync(join(d, 'texts'));
      writeFileSync(join(d, 'texts', 'doc2.txt'), 'Mary lives in Boston .\n');
      symlinkSync(join('texts', 'doc2.txt'), join(d, 'doc2.txt'));
      writeFileSync(join(d, 'doc2.ann'), 'T1\tPeop 0 4\tMary\n');
    });
    const link = join(work, `link-to-collection${n}`);
    symlinkSync(dir, link);
    for (const path of [dir, link]) {
      const out = join(work, `linked${n++}.jsonl`);
      const r = await limited(['convert', path, out, '--to', 'jsonl', '--quiet']);
      assert.equal(r.code, 0, r.err);
      const docs = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; text: string });
      assert.deepEqual(docs.map((d) => [d.id, d.text]), [['doc1', 'John works for IBM .\n'], ['doc2', 'Mary lives in Boston .\n']]);
    }
  });

  it('a brat output directory holding a named pipe as annotation.conf is refused as not entrel\'s (it waited for ever)', async () => {
    const input = join(work, 'one.jsonl');
    writeFileSync(input, `${JSON.stringify({ id: 'd', text: 'John works .', sentences: [{ tokens: [[0, 4], [5, 10], [11, 12]], entities: [], relations: [] }] })}\n`);
    const out = join(work, 'brat-out');
    mkdirSync(out);
    mkfifo(join(out, 'annotation.conf'));
    const r = await limited(['convert', input, out, '--to', 'brat', '--quiet'], { ms: 20_000 });
    refused(r, `${out}: holds "annotation.conf", which is not a brat .txt/.ann pair: a brat output replaces the whole directory, so choose a new or empty one`);
  });
});

const SPERT = JSON.stringify([{ tokens: ['John', 'works', 'for', 'IBM', '.'], entities: [{ type: 'Peop', start: 0, end: 1 }, { type: 'Org', start: 3, end: 4 }], relations: [{ type: 'Work_For', head: 0, tail: 1 }] }]);

describe('the other readers', () => {
  it('a types file found beside a data file that is a named pipe: refused naming it (it waited for ever)', async () => {
    const dir = join(work, 'spert');
    mkdirSync(dir);
    writeFileSync(join(dir, 'data.json'), SPERT);
    mkfifo(join(dir, 'data_types.json'));
    refused(await limited(['stats', '--format', 'spert', join(dir, 'data.json')], { ms: 20_000 }), `${join(dir, 'data_types.json')}: cannot read: a named pipe (FIFO), not a regular file`);
  });

  it('a data file named on the command line that is a pipe is read as a stream, as `<(…)` gives one', async () => {
    const data = join(work, 'one-doc.jsonl');
    writeFileSync(data, `${JSON.stringify({ id: 'd', text: 'John works .', sentences: [{ tokens: [[0, 4], [5, 10], [11, 12]], entities: [{ id: 'T1', type: 'Peop', start: 0, end: 1 }], relations: [] }] })}\n`);
    const r = await limited(['stats', '--format', 'jsonl', PIPE], { pipeFrom: data });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^documents: 1$/m);
    assert.match(r.out, /^ {2}Peop +1$/m);
    // So is a named pipe, and a list of ids (split --train-ids <(…)).
    const fifo = join(work, 'named.pipe');
    mkfifo(fifo);
    const reading = limited(['stats', '--format', 'jsonl', fifo]);
    writeFileSync(fifo, readFileSync(data)); // opens once the child reads
    const s = await reading;
    assert.equal(s.code, 0, s.err);
    assert.match(s.out, /^documents: 1$/m);
    const ids = join(work, 'train-ids');
    writeFileSync(ids, 'doc1\n');
    const split = await limited(['split', collection(), '--train-ids', PIPE, '--out', join(work, 'parts'), '--quiet'], { pipeFrom: ids });
    assert.equal(split.code, 0, split.err);
    assert.ok(existsSync(join(work, 'parts', 'train', 'doc1.ann')), split.out);
  });

  it('a data file named on the command line that is a device is refused at once (/dev/zero never ends)', async () => {
    for (const format of ['jsonl', 'unified', 'multihead'])
      refused(await limited(['stats', '--format', format, '/dev/zero'], { ms: 20_000 }), '/dev/zero: cannot read: a character device, not a regular file or a pipe');
    refused(await limited(['split', collection(), '--train-ids', '/dev/zero', '--out', join(work, 'never')], { ms: 20_000 }), '/dev/zero: cannot read: a character device, not a regular file or a pipe');
  });
});

describe('readFileBounded', () => {
  it('caps a file whose size says less than it holds: it reads at most the limit and one byte', async () => {
    // /proc files say 0 bytes, as a device behind a link did, and hold more.
    await assert.rejects(readFileBounded('/proc/self/status', { maxBytes: 64 }), (e) => e instanceof UserError && e.message === '/proc/self/status: too large: more than 64 bytes, and at most 64 are read');
    const refuse = (bytes: number, moreThan: boolean) => new UserError(`${bytes} ${moreThan}`);
    await assert.rejects(readFileBounded('/proc/self/status', { maxBytes: 64, refuse }), { message: '65 true' });
    assert.ok((await readFileBounded('/proc/self/status')).toString('utf8').startsWith('Name:'), 'read whole under the limit');
  });

  it('refuses a file whose size is over the limit before reading it, naming the size', async () => {
    const file = join(work, 'big.txt');
    writeFileSync(file, 'x'.repeat(100));
    const refuse = (bytes: number, moreThan: boolean) => new UserError(`${bytes} ${moreThan}`);
    await assert.rejects(readFileBounded(file, { maxBytes: 99, refuse }), { message: '100 false' });
    assert.equal((await readFileBounded(file, { maxBytes: 100 })).length, 100);
  });
});
