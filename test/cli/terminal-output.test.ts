/**
 * Names from untrusted files (a model's name and types, a data file's labels) printed for people — `entrel
 * info`, `entrel stats`, the `entrel serve` start-up line — go through printable(): a control character or
 * a bidirectional override shows as a `\u001b`-style escape instead of acting on the terminal (setting the
 * window title, clearing the screen, colouring or reordering what follows). `--json` prints the same JSON
 * value with DEL, C1 and bidi controls as \u escapes too (printableJson; test/cli/json-terminal.test.ts).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { formatModelCard } from '../../src/cli/model-card-text.js';
import { documentFromTokens } from '../../src/data/corpus.js';
import { computeStats, formatStats } from '../../src/data/stats.js';
import { printable } from '../../src/errors.js';
import { readModelCard } from '../../src/extract/model-card.js';
import { MODEL_FILES, saveModelDir } from '../../src/model/io.js';
import { SCHEMA } from '../model/fixtures.js';
import { SMALL_DIMS, tinyJointModel } from '../model/tiny-joint.js';
import { entrelFromSource, stopChild } from './processes.js';
import { tempDir } from '../temp-dir.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = tempDir('entrel-terminal-output-');

/** What sets a window title, clears the screen, blinks, returns the carriage and reorders text: the review's names. */
const TITLE = 'evil\x1b]0;OWNED-TITLE\x07\x1b[2J\x1b[31mRED';
const BLINK = 'P\x1b[5mBLINK\r\x1b[K';
const BIDI = 'abc\u202edcba\u2066x\u2069';
/** A control character, or a bidirectional embedding, override or isolate, anywhere in `s`. */
const ACTS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('printable', () => {
  it('turns C0 and C1 controls, DEL and the bidi overrides and isolates into visible \\u escapes', () => {
    assert.equal(printable(TITLE), 'evil\\u001b]0;OWNED-TITLE\\u0007\\u001b[2J\\u001b[31mRED');
    assert.equal(printable(BLINK), 'P\\u001b[5mBLINK\\u000d\\u001b[K');
    assert.equal(printable(BIDI), 'abc\\u202edcba\\u2066x\\u2069');
    assert.equal(printable('\u0000\t\n\u007f\u0085\u009b\u202a\u202b\u202c\u202d\u2067\u2068'), '\\u0000\\u0009\\u000a\\u007f\\u0085\\u009b\\u202a\\u202b\\u202c\\u202d\\u2067\\u2068');
  });

  it('leaves other text as it is: letters of any script, emoji, marks, a backslash', () => {
    for (const s of ['Live_In', 'Located In', 'Müller–Øresund', 'שלום עולם', '東京', '👩‍🔬', 'e\u0301', 'C:\\data', '\u200d\u200e', ''])
      assert.equal(printable(s), s, s);
  });
});

describe('entrel stats: type names and warnings from the data file', () => {
  const e = (id: string, type: string, start: number, end: number) => ({ id, type, start, end });
  const docs = [
    documentFromTokens('d', [
      { tokens: ['a', 'b', 'c'], entities: [e('1', TITLE, 0, 1), e('2', BLINK, 1, 2), e('3', BLINK, 2, 3)], relations: [{ type: BIDI, head: '1', tail: '2' }] },
    ]),
  ];

  it('formatStats escapes them, and the table stays aligned by what is shown', () => {
    const warnings = [{ code: 'brat-note-dropped', count: 1, examples: [`x.ann:1 #1${TITLE}`] }];
    const text = formatStats(computeStats(docs, warnings));
    assert.doesNotMatch(text, ACTS, JSON.stringify(text));
    const rows = text.split('\n').filter((l) => l.startsWith('  ') && !l.includes('×'));
    assert.deepEqual(rows.map((l) => l.trim().split(/ {2,}/)), [[printable(BLINK), '2'], [printable(TITLE), '1'], [printable(BIDI), '1']]);
    assert.equal(new Set(rows.slice(0, 2).map((l) => l.length)).size, 1, `the entity rows line up: ${JSON.stringify(rows)}`);
    assert.match(text, /brat-note-dropped ×1 \(e\.g\. x\.ann:1 #1evil\\u001b\]0;OWNED-TITLE\\u0007/);
  });

  it('the command prints them escaped; --json keeps the names, escaped by JSON', () => {
    const file = join(tmp, 'hostile.unified.json');
    writeFileSync(file, JSON.stringify([{ tokens: ['John', 'works', '.'], entities: [[0, 1, TITLE], [1, 2, BLINK]], relations: [[0, 1, 1, 2, BIDI]] }]));
    const r = entrelFromSource('stats', file);
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, ACTS, JSON.stringify(r.out));
    assert.ok(r.out.includes(printable(TITLE)), r.out);
    assert.ok(r.out.includes(printable(BIDI)), r.out);
    const j = entrelFromSource('stats', file, '--json');
    assert.equal(j.code, 0, j.err);
    assert.deepEqual(Object.keys(JSON.parse(j.out).entities.byType), [TITLE, BLINK]);
  });
});

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A tiny model saved as `name`, its first entity type renamed `type` where given (checksums recomputed, as a stranger's model carries them). */
function hostileModel(name: string, type?: string): string {
  const dir = join(tempDir('entrel-hostile-model-'), 'model');
  const { model } = tinyJointModel({ torchSeed: 4, train: [10, 2], config: SMALL_DIMS });
  saveModelDir(dir, model, SCHEMA, { glove: false, name, version: '1.0.0' });
  if (type !== undefined) {
    const schema = JSON.parse(readFileSync(join(dir, 'schema.json'), 'utf8'));
    const old = schema.entityTypes[0];
    schema.entityTypes[0] = type;
    writeFileSync(join(dir, 'schema.json'), JSON.stringify(schema));
    const vocab = JSON.parse(readFileSync(join(dir, 'vocab.json'), 'utf8'));
    vocab.tags = vocab.tags.map((t: string) => t.replace(new RegExp(`^([BILU])-${old}$`), `$1-${type}`));
    writeFileSync(join(dir, 'vocab.json'), JSON.stringify(vocab));
    writeFileSync(join(dir, 'checksum'), MODEL_FILES.map((f) => `${sha256(readFileSync(join(dir, f)))}  ${f}\n`).join(''));
  }
  return dir;
}

describe('entrel info: the model card of a stranger\'s model', () => {
  const dir = hostileModel(TITLE, BLINK);

  it('formatModelCard escapes the name and the types', () => {
    const card = readModelCard(dir);
    assert.equal(card.name, TITLE, 'the card holds the name as the model gives it');
    const text = formatModelCard(card);
    assert.doesNotMatch(text, ACTS, JSON.stringify(text));
    assert.match(text, /^model +evil\\u001b\]0;OWNED-TITLE\\u0007\\u001b\[2J\\u001b\[31mRED 1\.0\.0 \(/m);
    assert.match(text, /^entities +P\\u001b\[5mBLINK\\u000d\\u001b\[K, /m);
  });

  it('the command prints them escaped; --json as JSON', () => {
    const r = entrelFromSource('info', '--model', dir);
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, ACTS, JSON.stringify(r.out));
    assert.ok(r.out.includes(printable(TITLE)), r.out);
    const j = entrelFromSource('info', '--model', dir, '--json');
    assert.equal(j.code, 0, j.err);
    assert.equal(JSON.parse(j.out).name, TITLE);
  });
});

describe('entrel serve: the start-up line', () => {
  it('shows the model\'s name escaped', { timeout: 120_000 }, async () => {
    const dir = hostileModel(`${TITLE}${BIDI}`);
    const script = `import {run} from ${JSON.stringify(join(root, 'src', 'cli', 'main.ts'))}; process.exitCode = await run(['node', 'entrel', ...process.argv.slice(1)])`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, 'serve', '--model', dir, '--port', '0', '--workers', '0'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start-up line in 100 s: ${err}`)), 100_000);
        child.stderr.on('data', (b: Buffer) => {
          err += b;
          if (/Ctrl-C to stop\)\n/.test(err)) clearTimeout(timer), resolve();
        });
        child.on('exit', (code) => (clearTimeout(timer), reject(new Error(`serve exited ${code}: ${err}`))));
      });
    } finally {
      // Waiting for 'exit' here only, once the child had exited, waited for ever: stopChild knows.
      await stopChild(child, () => err);
    }
    const line = err.split('\n').find((l) => l.startsWith('entrel: serving')) ?? '';
    assert.doesNotMatch(line, ACTS, JSON.stringify(line));
    assert.ok(line.startsWith(`entrel: serving ${printable(TITLE + BIDI)} 1.0.0 on http://127.0.0.1:`), line);
  });
});

describe('errors and warnings naming what came from files', () => {
  it('print a file name with control characters escaped, keeping the line', async () => {
    const { entrel } = await import('./in-process.js');
    const named = join(tmp, `x${TITLE}.json`);
    const r = await entrel('stats', named);
    assert.equal(r.code, 1);
    assert.ok(!r.err.includes('\x1b') && !r.err.includes('\x07'), `no raw control character in ${JSON.stringify(r.err)}`);
    assert.ok(r.err.includes('x' + printable(TITLE)), `the name escaped, in ${JSON.stringify(r.err)}`);
    assert.equal(r.err.split('\n').length, 2, 'one line');
    // A warning follows the name of its file (its ids are quoted as JSON already): the name escaped.
    const data = join(tmp, `repeated${TITLE}.jsonl`);
    const doc = { id: `d${TITLE}`, text: 'Mary', sentences: [{ start: 0, end: 4, tokens: [[0, 4]], entities: [], relations: [] }] };
    writeFileSync(data, `${JSON.stringify(doc)}\n${JSON.stringify(doc)}\n`);
    const w = await entrel('convert', '--to', 'jsonl', data, join(tmp, 'repeated-out.jsonl'));
    assert.equal(w.code, 0, w.err);
    assert.ok(w.err.includes('warning') || w.err.includes('repeated'), `a warning about the repeated id: ${JSON.stringify(w.err)}`);
    assert.ok(!w.err.includes('\x1b') && w.err.includes(`repeated${printable(TITLE)}.jsonl`), `the file name escaped in ${JSON.stringify(w.err)}`);
  });
});
