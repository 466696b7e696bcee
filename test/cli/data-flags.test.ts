/**
 * Flags that were silently ignored or misread are one error line: the reading flags every data command
 * shares (data-options.ts) outside their choices or on another format, empty paths, evaluate's two
 * modes mixed. Runs the CLI in this process.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { entrel } from './in-process.js';
import { tempDir } from '../temp-dir.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = tempDir('entrel-flags-');
const unified = join(dir, 'u.json');
writeFileSync(unified, JSON.stringify([{ tokens: ['Mary', 'works'], entities: [[0, 1, 'Peop']], relations: [] }]));

test('--split takes dev, test or all only', async () => {
  for (const cmd of [['stats', unified], ['convert', '--to', 'jsonl', unified, join(dir, 'o.jsonl')], ['predict', '--model', dir, '--data', unified, '--out', join(dir, 'p.jsonl')]]) {
    const r = await entrel(...cmd, '--split', 'tset');
    assert.equal(r.code, 1, cmd.join(' '));
    assert.match(r.err, /^entrel: option '--split <part>' argument 'tset' is invalid\. Allowed choices are dev, test, all\./);
  }
});

test('--split and --ace05 on a file of another format are errors naming the file', async () => {
  const split = await entrel('stats', unified, '--split', 'test');
  assert.equal(split.code, 1);
  assert.equal(split.err, `entrel: ${unified}: --split test selects part of NYT CoType's test file, but this is read as unified\n`);
  // ACE05 comes as LSTM-ER's brat files, DyGIE JSONL or unified JSON: another format is refused.
  const jsonl = join(dir, 'u.jsonl');
  assert.equal((await entrel('convert', '--to', 'jsonl', unified, jsonl)).code, 0);
  const ace = await entrel('stats', jsonl, '--ace05');
  assert.equal(ace.code, 1);
  assert.match(ace.err, /u\.jsonl: --ace05 \(data\.ace05\) reads ACE05 as the paper does, from LSTM-ER's brat output, DyGIE JSONL or unified JSON, but this is read as jsonl\n$/);
  assert.equal((await entrel('convert', '--to', 'jsonl', unified, join(dir, 'all.jsonl'), '--split', 'all')).code, 0);
});

test('--brat-layout takes auto, lines or text, reads a brat collection so, and is refused on a format with tokens', async () => {
  const bad = await entrel('stats', unified, '--brat-layout', 'words');
  assert.equal(bad.code, 1);
  assert.match(bad.err, /^entrel: option '--brat-layout <layout>' argument 'words' is invalid\. Allowed choices are auto, lines, text\./);
  const other = await entrel('stats', unified, '--brat-layout', 'text');
  assert.equal(other.code, 1);
  assert.equal(other.err, `entrel: ${unified}: the brat layout text (--brat-layout, data.bratLayout) says how to cut brat's text into sentences and tokens, but this is read as unified, whose tokens are given\n`);
  // evaluate and predict read their data as every command does
  const evaluated = await entrel('evaluate', '--data', unified, '--brat-layout', 'lines');
  assert.match(evaluated.err, /the brat layout lines .* but this is read as unified/);
  const brat = join(dir, 'raw-brat');
  mkdirSync(brat);
  writeFileSync(join(brat, 'a.txt'), 'Mary works for Acme. She lives in Oslo.\n');
  writeFileSync(join(brat, 'a.ann'), 'T1\tPeop 0 4\tMary\nT2\tOrg 15 19\tAcme\n');
  const tokens = async (...layout: string[]) => {
    const out = join(dir, `raw-${layout.join('')}.jsonl`);
    const r = await entrel('convert', '--from', 'brat', '--to', 'jsonl', brat, out, ...layout);
    assert.equal(r.code, 0, r.err);
    return readFileSync(out, 'utf8').trim().split('\n').map((l) => {
      const d = JSON.parse(l) as { text: string; sentences: { tokens: [number, number][] }[] };
      return d.sentences.map((x) => x.tokens.map(([a, b]) => d.text.slice(a, b)).join(' '));
    });
  };
  assert.deepEqual(await tokens(), [['Mary works for Acme .', 'She lives in Oslo .']]);
  assert.deepEqual(await tokens('--brat-layout', 'lines'), [['Mary works for Acme. She lives in Oslo.']]);
});

test('beside predictions (JSONL, as predict writes them), --split and --ace05 select from the gold file of their format', async () => {
  const cotype = join(fileURLToPath(new URL('../../..', import.meta.url)), 'shared', 'data', 'nyt_cotype', 'test.json');
  const pred = join(dir, 'nyt-pred.jsonl');
  assert.equal((await entrel('convert', '--to', 'jsonl', cotype, pred, '--split', 'test')).code, 0);
  const scores = join(dir, 'nyt-eval.json');
  // evaluate prints its table on stdout, the test runner's: it is kept out.
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  const evaluated = await entrel('evaluate', '--gold', cotype, '--pred', pred, '--split', 'test', '--out', scores).finally(() => (process.stdout.write = write));
  assert.equal(evaluated.code, 0, evaluated.err);
  assert.equal(JSON.parse(readFileSync(scores, 'utf8')).relations.strict.micro.f1, 1);
  const viewed = await entrel('view', pred, '--gold', cotype, '--split', 'test', '--out', join(dir, 'nyt.html'));
  assert.equal(viewed.code, 0, viewed.err);
  assert.match(viewed.err, /drew 356 documents/);
  // Neither file NYT CoType: refused, as for one file.
  const neither = await entrel('view', unified, '--gold', unified, '--split', 'test', '--out', join(dir, 'u.html'));
  assert.match(neither.err, /u\.json: --split test selects part of NYT CoType's test file, but this is read as unified/);
});

test('an empty path (an unset shell variable) is refused by name, not taken as the current directory or ignored', async () => {
  const cases: [string[], string][] = [
    [['evaluate', '--gold', unified, '--pred', unified, '--out', ''], '--out'],
    [['predict', '--model', dir, '--data', unified, '--out', ''], '--out'],
    [['train', '--config', unified, '--out', ''], '--out'],
    [['convert', '--to', 'jsonl', unified, ''], '<out>'],
    [['stats', ''], '<file>'],
  ];
  for (const [args, name] of cases) {
    const r = await entrel(...args);
    assert.equal(r.code, 1, args.join(' '));
    assert.equal(r.err, `entrel: ${name} is empty (an unset shell variable?)\n`, args.join(' '));
  }
});

test('evaluate refuses --model or --data beside --gold/--pred instead of ignoring them', async () => {
  for (const extra of [['--model', dir], ['--data', unified]]) {
    const r = await entrel('evaluate', '--gold', unified, '--pred', unified, ...extra);
    assert.equal(r.code, 1, extra.join(' '));
    assert.equal(r.err, 'entrel: --gold/--pred score a predictions file, --model/--data run a model: give one pair, not both\n');
  }
});

test("--tokenizer cuts raw text as a model's config would (conll04: don 't, $3), for split --to jsonl too", async () => {
  const doccano = join(dir, 'raw.jsonl');
  writeFileSync(doccano, JSON.stringify({ text: "Mary doesn't pay $3 to Acme.", label: [[0, 4, 'Peop'], [23, 27, 'Org']] }) + '\n');
  const tokensOf = async (...flags: string[]) => {
    const out = join(tempDir('entrel-tok-'), 'o.jsonl');
    const r = await entrel('convert', '--to', 'jsonl', doccano, out, ...flags);
    assert.equal(r.code, 0, r.err);
    const d = JSON.parse(readFileSync(out, 'utf8'));
    return d.sentences[0].tokens.map(([a, b]: [number, number]) => d.text.slice(a, b)).join(' ');
  };
  assert.equal(await tokensOf(), "Mary does n't pay $ 3 to Acme .");
  assert.equal(await tokensOf('--tokenizer', 'conll04'), "Mary doesn 't pay $3 to Acme .");
  // A model cuts raw text with its own tokenizer.
  const model = await entrel('evaluate', '--data', doccano, '--tokenizer', 'ptb');
  assert.equal(model.code, 1);
  assert.match(model.err, /^entrel: --tokenizer ptb: raw text is cut here with the model's own tokenizer/);
  const bad = await entrel('stats', doccano, '--tokenizer', 'spacy');
  assert.equal(bad.code, 1);
  assert.match(bad.err, /argument 'spacy' is invalid\. Allowed choices are ptb, conll04\./);
});

test('--tokenizer on files whose tokens are given is refused naming them, as it would change nothing', async () => {
  const given = await entrel('stats', unified, '--tokenizer', 'conll04');
  assert.equal(given.code, 1);
  assert.equal(
    given.err,
    `entrel: --tokenizer conll04 says how raw text (doccano, Label Studio, brat's text layout) is cut into tokens, but ${unified} is read as unified, whose tokens are given: leave --tokenizer out\n`,
  );
  // brat read as a sentence a line gives its tokens too; its text layout cuts with the tokenizer.
  const brat = join(dir, 'tok-brat');
  mkdirSync(brat);
  writeFileSync(join(brat, 'a.txt'), "Mary doesn't work for Acme.\n");
  writeFileSync(join(brat, 'a.ann'), 'T1\tPeop 0 4\tMary\n');
  const lines = await entrel('convert', '--to', 'jsonl', brat, join(dir, 'tok-lines.jsonl'), '--brat-layout', 'lines', '--tokenizer', 'ptb');
  assert.equal(lines.code, 1);
  assert.match(lines.err, /tok-brat is read as brat in the lines layout, whose tokens are given/);
  const text = await entrel('convert', '--to', 'jsonl', brat, join(dir, 'tok-text.jsonl'), '--tokenizer', 'conll04');
  assert.equal(text.code, 0, text.err);
  // Gold and predictions side by side: refused only where neither is raw text.
  const paired = await entrel('evaluate', '--gold', unified, '--pred', unified, '--tokenizer', 'ptb');
  assert.equal(paired.code, 1);
  assert.match(paired.err, /but .*u\.json is read as unified, .*u\.json is read as unified, whose tokens are given/);
});

test('a pipe without --format is one line asking for it (detecting would take its start from the reader); with it, it is read', () => {
  const script = (format: string) =>
    `node --import tsx --input-type=module -e "import {run} from '${join(root, 'src', 'cli', 'main.ts')}'; process.exitCode = await run(['node','entrel',...process.argv.slice(1)])" stats ${format} <(cat ${JSON.stringify(unified)})`;
  const detected = spawnSync('bash', ['-c', script('')], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(detected.status, 1, detected.stderr);
  assert.match(detected.stderr, /^entrel: \/dev\/fd\/\d+: a pipe, whose format cannot be detected without taking its start from the reader: name it with --format \(one of jsonl, /);
  const named = spawnSync('bash', ['-c', script('--format unified')], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(named.status, 0, named.stderr);
  assert.match(named.stdout, /^\/dev\/fd\/\d+ \(unified\)\ndocuments: 1\n/);
});
