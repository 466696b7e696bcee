/**
 * `entrel extract` on what users give it (in this process, from the sources, on a tiny model): `--in`
 * files of one text a line, JSON Lines with typos and repeated ids, JSON under another name; flags named
 * in their errors; what the summary and warnings say.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { trainTinyModelDir } from '../extract/tiny-model.js';
import { tempDir } from '../temp-dir.js';
import { entrel } from './in-process.js';
import { CHILD_LIMIT } from '../child-limit.js';

const work = tempDir('entrel-extract-input-');
const sentence = 'Dan works for Acme Corp .';
let model: string;

before(() => {
  model = trainTinyModelDir();
});

const file = (name: string, text: string | Buffer) => {
  const p = join(work, name);
  writeFileSync(p, text);
  return p;
};
// No --quiet: the tests read the summary line (off a terminal there is no bar to leave out).
const extract = (...args: string[]) => entrel('extract', '--model', model, '--workers', '0', ...args);
const jsonl = (path: string) => readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

/** `entrel extract …` from the sources in a child process, with `input` on its standard input. */
function extractWithStdin(input: Buffer, ...args: string[]) {
  const main = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');
  const script = `import {run} from ${JSON.stringify(main)}; process.exitCode = await run(['node', 'entrel', ...process.argv.slice(1)])`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, 'extract', '--model', model, ...args], { ...CHILD_LIMIT, input, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('entrel extract --in', () => {
  it('--lines: one text per non-empty line, named by it, and no relation across lines (was one text of all the lines)', async () => {
    const input = file('lines.txt', `${sentence}\nUmbrella employs\nAlice in New York\n\nCarol Smith and Dan are siblings\n`);
    const out = join(work, 'lines.jsonl');
    const r = await extract('--in', input, '--lines', '--out', out);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, `entrel: 4 texts → ${out} (jsonl) in ${/in (\d+\.\d) s/.exec(r.err)?.[1]} s\n`);
    assert.deepEqual(jsonl(out).map((d) => [d.id, d.text]), [['line-1', sentence], ['line-2', 'Umbrella employs'], ['line-3', 'Alice in New York'], ['line-5', 'Carol Smith and Dan are siblings']]);
    const paragraphs = join(work, 'paragraphs.jsonl');
    assert.equal((await extract('--in', input, '--out', paragraphs)).code, 0);
    assert.deepEqual(jsonl(paragraphs).map((d) => d.id), ['line-1', 'line-5']);
  });

  it('one text is "1 text"; a sentence cut at 100 tokens is counted in the summary', async () => {
    const input = file('long.txt', `${Array.from({ length: 120 }, () => 'the').join(' ')} ${sentence}\n`);
    const out = join(work, 'long.jsonl');
    const r = await extract('--in', input, '--out', out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^entrel: 1 text → .*long\.jsonl \(jsonl\) in \d+\.\d s; 1 sentence cut at 100 tokens \(no relation is found across a cut; such a sentence has "cut": true\)\n$/);
    assert.deepEqual(jsonl(out)[0].sentences.map((s: { cut?: boolean }) => s.cut), [true, undefined]);
  });

  it('a .jsonl line with an unknown field or an id neither string nor number is an error naming file, line and field; a repeated id is counted', async () => {
    const typo = file('typo.jsonl', '{"text": "Dan in Rome.", "entites": [{"start": 0, "end": 3, "type": "LOC"}]}\n');
    let r = await extract('--in', typo, '--out', join(work, 'typo-out.jsonl'));
    assert.deepEqual([r.code, r.err], [1, `entrel: ${typo}:1: unknown field "entites" (a line has text, and optionally id and entities)\n`]);
    const id = file('id.jsonl', `"${sentence}"\n{"text": "Dan in Rome.", "id": {"a": 1}}\n`);
    r = await extract('--in', id, '--out', join(work, 'id-out.jsonl'));
    assert.deepEqual([r.code, r.err], [1, `entrel: ${id}:2: id: must be a string or a number, got an object {"a":1}\n`]);
    const dup = file('dup.jsonl', `{"text": "${sentence}", "id": "x1"}\n{"text": "Globex", "id": "x1"}\n`);
    const brat = join(work, 'dup-brat');
    r = await extract('--in', dup, '--out', brat, '--format', 'brat');
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, new RegExp(`^entrel: ${dup}: warning: duplicate-document-id ×1 \\(e\\.g\\. ${dup}:2 id "x1" \\(first at line 1\\); both kept\\)$`, 'm'));
    assert.deepEqual(readdirSync(brat).filter((f) => f.endsWith('.txt')).sort(), ['x1.txt', 'x1_2.txt']);
  });

  it('.ndjson is read as JSON Lines; a file that looks like JSON under another name is refused before the model loads', async () => {
    const nd = file('in.ndjson', `{"text": "${sentence}", "id": "d1"}\n`);
    const out = join(work, 'nd.jsonl');
    assert.equal((await extract('--in', nd, '--out', out)).code, 0);
    assert.deepEqual(jsonl(out).map((d) => [d.id, d.text, d.entities.length]), [['d1', sentence, 2]]);
    const array = file('in.json', `["${sentence}"]\n`);
    const r = await entrel('extract', '--model', join(work, 'no-model'), '--in', array, '--out', join(work, 'arr.jsonl'));
    assert.equal(r.code, 1);
    assert.match(r.err, /^entrel: .*in\.json: looks like JSON \(it starts "\[\\"Dan works.*\), but only a \.jsonl or \.ndjson file is read as JSON, one text a line \(a JSON array: one item a line\): name it so, or \.txt to extract from its characters as plain text\n$/);
    assert.ok(!existsSync(join(work, 'arr.jsonl')), '!existsSync(join(work, \'arr.jsonl\'))');
  });

  it('an empty text left out of a brat output is called empty, not "spaces only"', async () => {
    const input = file('empty.jsonl', `""\n"  "\n"${sentence}"\n`);
    const r = await extract('--in', input, '--out', join(work, 'empty-brat'), '--format', 'brat');
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^entrel: warning: line-1: an empty text: not written to the brat output\nentrel: warning: line-2: a text of spaces only: not written to the brat output\n/);
  });
});

describe('entrel extract: errors name what the user typed', () => {
  it('--threshold takes a decimal from 0 to 1: 1.5, 0x1, 1e0x, Infinity are refused naming the flag', async () => {
    for (const bad of ['1.5', '0x1', '1e0x', 'Infinity', '-0.5', '1e-1']) {
      const r = await extract('--threshold', bad, sentence);
      assert.deepEqual([r.code, r.err], [1, `entrel: option '--threshold <p>' argument '${bad}' is invalid. expected a probability from 0 to 1, written as a decimal (e.g. 0.5) (see entrel extract --help)\n`], bad);
    }
  });

  it('an --allow with a type the model does not know is named as typed, and which of several', async () => {
    let r = await extract('--allow', 'PER,Work_For,Orgx', sentence);
    assert.deepEqual([r.code, r.err], [1, 'entrel: --allow PER,Work_For,Orgx: unknown entity type "Orgx" (the model\'s entity types are PER, ORG, LOC)\n']);
    r = await extract('--allow', 'PER,Work_For,ORG', '--allow', 'PER,Kin,PER', '--allow', 'PER, Works ,ORG', sentence);
    assert.deepEqual([r.code, r.err], [1, 'entrel: --allow PER,Works,ORG (the 3rd of 3 --allow): unknown relation type "Works" (the model\'s relation types are Work_For, Located_In, Kin)\n']);
    // A comma of a type name is written \, (was: no way to name such a type at all).
    r = await extract('--allow', 'PER,Work_For,Org\\, Inc.', sentence);
    assert.deepEqual([r.code, r.err], [1, 'entrel: --allow PER,Work_For,Org\\, Inc.: unknown entity type "Org, Inc." (the model\'s entity types are PER, ORG, LOC)\n']);
  });

  it("a text that starts with '-' is taken for an option: the error says to put -- before it", async () => {
    const r = await extract('- Dan works for Acme Corp .');
    assert.deepEqual([r.code, r.err], [1, `entrel: unknown option '- Dan works for Acme Corp .'; to extract a text that starts with '-', put -- before it: entrel extract -- "- …" (see entrel extract --help)\n`]);
    assert.match((await extract('--thresold', '0.5', sentence)).err, /^entrel: unknown option '--thresold' \(Did you mean --threshold\?\)/);
  });

  it('standard input that is not UTF-8 is refused naming the first bad byte and its line', () => {
    const r = extractWithStdin(Buffer.concat([Buffer.from('Dan works\nfor A'), Buffer.from([0xff]), Buffer.from('cme Corp .')]));
    assert.deepEqual([r.code, r.err], [1, 'entrel: standard input is not valid UTF-8 text: byte 15 (counted from 0, on line 2) is not part of a UTF-8 character\n']);
  });

  it('--lines with one text: every line break ends a sentence', () => {
    const r = extractWithStdin(Buffer.from('Dan works for\nAcme Corp .'), '--json', '--lines');
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out);
    assert.deepEqual([doc.sentences.length, doc.relations.length], [2, 0]);
  });

  it('--in - --out -: standard input to JSON Lines on standard output, a text a line (was: --in - unreadable, --out - a file named "-")', () => {
    const r = extractWithStdin(Buffer.from(`${sentence}\nUmbrella employs\nAlice in New York\n`), '--workers', '0', '--in', '-', '--out', '-', '--lines');
    assert.equal(r.code, 0, r.err);
    const docs = r.out.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(docs.map((d) => d.text), [sentence, 'Umbrella employs', 'Alice in New York']);
    assert.match(r.err, /3 texts → standard output \(jsonl\)/);
  });

  it('--in - tells JSON Lines from text by its first lines, as they come (it has no name to say); a JSON array is refused', () => {
    const r = extractWithStdin(Buffer.from('{"text": "Dan works for Acme Corp .", "id": "a"}\n"Ann lives in Paris ."\n'), '--workers', '0', '--in', '-', '--out', '-');
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.out.trim().split('\n').map((l) => JSON.parse(l)).map((d) => [d.id, d.text]), [['a', 'Dan works for Acme Corp .'], ['line-2', 'Ann lives in Paris .']]);
    const array = extractWithStdin(Buffer.from('[{"text": "Dan works for Acme Corp ."},\n {"text": "Ann lives in Paris ."}]\n'), '--workers', '0', '--in', '-', '--out', '-');
    assert.equal(array.code, 1);
    assert.equal(array.out, '');
    assert.match(array.err, /^entrel: -: looks like JSON/);
  });

  it('a text on standard input over 1,000,000 characters is refused with what to do (was: an internal error from 600 MB)', () => {
    const r = extractWithStdin(Buffer.alloc(4_000_001, 'a'), '--json');
    assert.equal(r.code, 1);
    assert.equal(r.err, 'entrel: standard input holds more than 1,000,000 characters, too long for one text: give it as --in - (or --in FILE) with --out, which reads it a paragraph (--lines: a line) at a time\n');
  });
});
