/**
 * `entrel split --train-ids/--dev-ids/--test-ids`: the split a corpus's lists of document ids give, here
 * ACE05's standard one (LSTM-ER's lists, shipped in ../shared/data/ace05_split_lists) on a hand-made
 * corpus in LSTM-ER's form named by some of those ids (ACE05 itself is licensed). Run from source as
 * users run the command.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCorpus } from '../../src/data/formats/index.js';
import { DATA, ROOT, shape, tmp } from '../data/helpers.js';

const main = new URL('../../src/cli/main.ts', import.meta.url).href;

function entrel(...args: string[]) {
  const code = `import { run } from ${JSON.stringify(main)}; process.exitCode = await run(['node', 'entrel', ...process.argv.slice(1)]);`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const LISTS = join(DATA, 'ace05_split_lists');
const listed = (part: string) => readFileSync(join(LISTS, part), 'utf8').trim().split('\n');
const ids = (part: string) => ['--train-ids', '--dev-ids', '--test-ids'].flatMap((f) => [f, join(part, f.slice(2, -4))]);
const [TRAIN, DEV, TEST] = [listed('train').slice(0, 3), listed('dev')[0], listed('test')[0]];
const UNLISTED = 'CNN_ENG_20990101_000000.1';

/** A document as LSTM-ER writes it: 3 header lines, sentences, a date line; "His wife" with PER-SOC annotated wife → His. */
function writeDoc(dir: string, id: string): void {
  const text = `${id}\nNEWS STORY\n2003-01-01 00:00:00\nHis wife met Acme .\n2003-01-01 10:00:00\n`;
  const at = (w: string) => text.indexOf(w, text.indexOf('His'));
  const ents = [['E1-1', 'PER', 'His'], ['E2-1', 'PER', 'wife'], ['E3-1', 'ORG', 'Acme']].map(([e, type, w]) => `T${id}-${e}\t${type} ${at(w)} ${at(w) + w.length}\t${w}`);
  writeFileSync(join(dir, `${id}.split.txt`), text);
  writeFileSync(join(dir, `${id}.split.ann`), [...ents, `R${id}-R1-1\tPER-SOC Arg1:T${id}-E2-1 Arg2:T${id}-E1-1`, `R${id}-R2-1\tORG-AFF Arg1:T${id}-E2-1 Arg2:T${id}-E3-1`, ''].join('\n'));
}

function corpus(): string {
  const dir = join(tmp(), 'brat');
  mkdirSync(dir);
  for (const id of [...TRAIN, DEV, TEST, UNLISTED]) writeDoc(dir, id);
  return dir;
}

test("ACE05 split by LSTM-ER's lists: each listed document in its part, split.json records the lists, ids missing or unlisted counted; the parts read as --ace05 read the corpus, without it", async () => {
  const src = corpus();
  const out = join(tmp(), 'std');
  const r = entrel('split', src, '--ace05', '--out', out, ...ids(LISTS), '--json');
  assert.equal(r.code, 0, r.err);
  const summary = JSON.parse(r.out);
  assert.deepEqual(summary.parts.map((p: { part: string; documents: number; sentences: number }) => [p.part, p.documents, p.sentences]), [['train', 3, 3], ['dev', 1, 1], ['test', 1, 1]]);
  assert.deepEqual(summary.lists, { train: join(LISTS, 'train'), dev: join(LISTS, 'dev'), test: join(LISTS, 'test') });
  assert.equal(summary.seed, undefined);
  const warning = (code: string) => summary.warnings.find((w: { code: string }) => w.code === code);
  // 351 + 80 + 80 listed, 5 of them here
  assert.equal(warning('split-listed-id-not-found')?.count, 511 - 5);
  assert.match(warning('split-listed-id-not-found').examples[0], new RegExp(`ace05_split_lists/train:4 "${listed('train')[3]}"`));
  assert.equal(warning('split-document-not-listed')?.count, 1);
  assert.equal(warning('split-document-not-listed').examples[0], `"${UNLISTED}" is in no list: written to no part`);
  assert.equal(warning('brat-part-needs-ace05'), undefined);

  const record = JSON.parse(readFileSync(join(out, 'split.json'), 'utf8'));
  assert.deepEqual(record.lists, summary.lists);
  // each part in corpus order
  assert.deepEqual([new Set(record.parts.train.ids), record.parts.dev.ids, record.parts.test.ids], [new Set(TRAIN), [DEV], [TEST]]);
  assert.equal(record.seed, undefined);
  // brat parts are LSTM-ER's files, copied; their conf records the ACE05 layout, so they read as --ace05 reads them without it.
  assert.deepEqual(readdirSync(join(out, 'dev')).sort(), [`${DEV}.split.ann`, `${DEV}.split.txt`, 'annotation.conf']);
  assert.match(readFileSync(join(out, 'dev', 'annotation.conf'), 'utf8'), /^# entrel layout: lines, ace05 /m);
  for (const part of ['train', 'dev', 'test']) {
    const [plain, flagged] = [await loadCorpus(join(out, part)), await loadCorpus(join(out, part), { ace05: true })];
    assert.deepEqual(plain.documents, flagged.documents, part);
    assert.deepEqual(plain.schema, flagged.schema, part);
    assert.equal(plain.diagnostics.count(), 0, part);
    assert.deepEqual(shape(plain.documents[0])[0].relations, ['0:1:PER-PER-SOC->1:2:PER', '1:2:PER-ORG-AFF->3:4:ORG'], part);
  }
  // The ids of brat files without --ace05 keep ".split"; LSTM-ER's lists name them without it: they match all the same.
  const jsonl = join(tmp(), 'jsonl');
  const plain = entrel('split', src, '--to', 'jsonl', '--out', jsonl, ...ids(LISTS));
  assert.equal(plain.code, 0, plain.err);
  assert.match(plain.err, /brat-split-file-without-ace05 ×6/);
  assert.deepEqual(JSON.parse(readFileSync(join(jsonl, 'split.json'), 'utf8')).parts.dev.ids, [`${DEV}.split`]);
});

test('id lists: refused beside a seeded split\'s flags, without a train list, with an id in two lists (both places named), or of another corpus', () => {
  const src = corpus();
  const out = join(tmp(), 'out');
  const lists = tmp();
  const write = (name: string, lines: string[]) => writeFileSync(join(lists, name), lines.join('\n') + '\n');
  write('train', [...TRAIN, '']);
  write('dev', [DEV]);
  write('test', ['', TEST, TRAIN[1]]);
  write('other', ['NOT_A_DOC_1', 'NOT_A_DOC_2']);
  write('empty', ['', '  ']);
  const cases: [string[], string][] = [
    [[...ids(LISTS), '--seed', '2'], `entrel: --seed belongs to a seeded random split, but --train-ids gives the parts by lists of document ids: give one or the other\n`],
    [['--dev-ids', join(LISTS, 'dev'), '--dev', '0.2'], `entrel: --dev belongs to a seeded random split, but --dev-ids gives the parts by lists of document ids: give one or the other\n`],
    [['--test-ids', join(LISTS, 'test')], `entrel: --test-ids needs --train-ids: with lists, a document in no list goes to no part\n`],
    [['--train-ids', join(lists, 'train'), '--test-ids', join(lists, 'test')], `entrel: ${join(lists, 'test')}:3: document id "${TRAIN[1]}" is also on line 2 of ${join(lists, 'train')}: a document goes to one part\n`],
    [['--train-ids', join(lists, 'train'), '--dev-ids', join(lists, 'other')], `entrel: ${join(lists, 'other')}: none of the 2 document ids of the dev list is a document of the corpus (its first: "NOT_A_DOC_1")\n`],
    [['--train-ids', join(lists, 'empty')], `entrel: ${join(lists, 'empty')}: no document ids in the train list (one id a line)\n`],
    [['--train-ids', join(lists, 'train'), '--test-ids', join(lists, 'train')], `entrel: ${join(lists, 'train')}:1: document id "${TRAIN[0]}" is also on line 1 of the train list (the same file): a document goes to one part\n`],
  ];
  for (const [flags, message] of cases) {
    const r = entrel('split', src, '--ace05', '--out', out, ...flags);
    assert.equal(r.code, 1, flags.join(' '));
    assert.equal(r.err.replace(/^entrel: .*brat: warning: .*\n/gm, ''), message, flags.join(' '));
  }
});

test('id lists over LSTM-ER\'s corpus read without --ace05 (each document unsplit and split) are refused, not each document put in its part twice', () => {
  const src = corpus();
  for (const id of [...TRAIN, DEV, TEST]) {
    for (const ext of ['.txt', '.ann']) writeFileSync(join(src, `${id}${ext}`), readFileSync(join(src, `${id}.split${ext}`)));
  }
  const r = entrel('split', src, '--brat-layout', 'lines', '--out', join(tmp(), 'twice'), ...ids(LISTS));
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /^entrel: documents "([^"]+)" and "\1\.split" are both listed as "\1": LSTM-ER's ACE05 corpus holds each document unsplit and split; read it with --ace05/m);
  const ok = entrel('split', src, '--ace05', '--out', join(tmp(), 'once'), ...ids(LISTS), '--json');
  assert.equal(ok.code, 0, ok.err);
  assert.deepEqual(JSON.parse(ok.out).parts.map((p: { documents: number }) => p.documents), [3, 1, 1]);
});
