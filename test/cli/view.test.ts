/** `entrel view`: annotated files and predictions against gold drawn as a page, and the errors it refuses with. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { entrel } from './in-process.js';
import { tempDir } from '../temp-dir.js';
import { CHILD_LIMIT } from '../child-limit.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const test04 = join(root, '..', 'shared', 'data', 'conll04', 'unified_two_are_better', 'test.CoNLL04.json');
const fixture = (name: string) => join(root, 'test', 'fixtures', 'view', name);
const [gold, pred] = [fixture('gold.jsonl'), fixture('pred.jsonl')];

const tmp = () => tempDir('entrel-view-');
const count = (html: string, re: RegExp) => html.match(re)?.length ?? 0;
const captions = (html: string) => [...html.matchAll(/<figcaption>([^<]*)<\/figcaption>/g)].map((m) => m[1]);

/** Runs `entrel view …` and returns the exit code, stderr and the page written (if any). */
async function view(...args: string[]) {
  const out = join(tmp(), 'page.html');
  const r = await entrel('view', ...args, '--out', out);
  return { ...r, out, html: existsSync(out) ? readFileSync(out, 'utf8') : '' };
}

describe('entrel view', () => {
  it('draws the whole CoNLL04 test file: 288 figures, each with its JSON, and the legend', async () => {
    const r = await view(test04);
    assert.equal(r.code, 0, r.err);
    assert.equal(count(r.html, /<figure class="entrel-figure">/g), 288);
    assert.equal(count(r.html, /<svg class="entrel-doc"/g), 288);
    assert.equal(count(r.html, /<pre class="json">/g), 288);
    assert.match(r.html, /<title>entrel view: test\.CoNLL04\.json<\/title>/);
    assert.match(r.html, /<ul class="legend" aria-label="Entity types"><li data-type="Loc">/);
    assert.doesNotMatch(r.html, /class="entity (correct|spurious|missed)"/, 'no marks without gold');
    assert.doesNotMatch(r.html, /\(score |"score"|NaN|null/, 'a corpus file has no scores to show');
    assert.equal(r.err, `entrel: drew 288 documents to ${r.out}\n`);
    // The first sentence: its entities at their character offsets in the text the reader rebuilt.
    const first = JSON.parse(/<pre class="json">([\s\S]*?)<\/pre>/.exec(r.html)![1].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'));
    assert.deepEqual(first.entities.map((e: { text: string; type: string }) => `${e.text}/${e.type}`), ['Hakawati Theatre/Org', 'Arab/Other', 'Jerusalem/Loc', 'Palestinians/Other']);
    assert.ok(first.entities.every((e: { text: string; start: number; end: number }) => first.text.slice(e.start, e.end) === e.text), 'first.entities.every((e: { text: string; start: number; end: number }) => first.text.slice(e.star...');
  });

  it('--gold: marks every item, captions the counts and heads the page with the micro scores', async () => {
    const r = await view(pred, '--gold', gold);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(captions(r.html), [
      'd1: entities 2 correct, 2 spurious, 1 missed; relations 0 correct, 2 spurious, 3 missed',
      'd2: entities 3 correct, 1 spurious, 1 missed; relations 1 correct, 1 spurious, 1 missed',
      'd3: entities 2 correct, 0 spurious, 0 missed; relations 1 correct, 0 spurious, 0 missed',
    ]);
    assert.equal(count(r.html, /<g class="entity spurious" data-id/g), 3);
    assert.equal(count(r.html, /<g class="entity missed" data-id/g), 2);
    assert.equal(count(r.html, /<g class="relation missed" data-type/g), 4);
    assert.match(r.html, /<th scope="row">Entities<\/th><td>70\.0<\/td><td>77\.8<\/td><td>73\.7<\/td>/);
    assert.match(r.html, /<th scope="row">Relations \(strict\)<\/th><td>40\.0<\/td><td>33\.3<\/td><td>36\.4<\/td>/);
    assert.match(r.html, /Predictions <b>pred\.jsonl<\/b> against gold <b>gold\.jsonl<\/b>: 3 documents, 4 sentences/);
    assert.match(r.html, /3 of 3 documents drawn\./);
  });

  it('--only-errors keeps the documents with a spurious or missed item; --limit stops early and says so', async () => {
    const errors = await view(pred, '--gold', gold, '--only-errors');
    assert.equal(errors.code, 0, errors.err);
    assert.deepEqual(captions(errors.html).map((c) => c.split(':')[0]), ['d1', 'd2']);
    assert.match(errors.html, /2 of 3 documents drawn, those with a spurious or missed item\./);

    const limited = await view(pred, '--gold', gold, '--limit', '1', '--title', 'Run <7>');
    assert.equal(limited.code, 0, limited.err);
    assert.deepEqual(captions(limited.html).map((c) => c.split(':')[0]), ['d1']);
    assert.match(limited.html, /<h1>Run &lt;7&gt;<\/h1>/);
    assert.equal(limited.err, `entrel: drew 1 document to ${limited.out}\nentrel: stopped after 1 document (--limit 1); more were not drawn\n`);

    const corpus = await view(test04, '--limit', '5');
    assert.equal(count(corpus.html, /<figure/g), 5);
    assert.match(corpus.html, /Stopped after 5 documents \(--limit\); the file has more\./);
    // A limit the file does not reach stops nothing.
    assert.doesNotMatch((await view(test04, '--limit', '288')).err, /stopped/);
  });

  it('--gold with the gold file itself: every item correct, and no document has errors', async () => {
    const r = await view(test04, '--gold', test04, '--only-errors');
    assert.equal(r.code, 0, r.err);
    assert.equal(count(r.html, /<figure/g), 0);
    assert.match(r.html, /<th scope="row">Entities<\/th><td>100\.0<\/td><td>100\.0<\/td><td>100\.0<\/td><td>1079<\/td><td>0<\/td><td>0<\/td>/);
    assert.match(r.html, /0 of 288 documents drawn, those with a spurious or missed item\./);
  });

  it('says which relations it cannot draw: a relation of an entity to itself has no arc', async () => {
    const dir = tmp();
    const self = join(dir, 'self.jsonl');
    const doc = { id: 's', text: 'Acme bought Acme .', sentences: [{ tokens: [[0, 4], [5, 11], [12, 16], [17, 18]], entities: [{ id: 'T1', type: 'Org', start: 0, end: 1 }, { id: 'T2', type: 'Org', start: 2, end: 3 }], relations: [{ type: 'Owns', head: 'T1', tail: 'T1' }, { type: 'Owns', head: 'T1', tail: 'T2' }] }] };
    writeFileSync(self, JSON.stringify(doc) + '\n');
    for (const args of [[self], [self, '--gold', self]]) {
      const r = await view(...args);
      assert.equal(r.code, 0, r.err);
      assert.equal(count(r.html, /<g class="relation[^"]*" data-type/g), 1);
      assert.match(r.html, /<p class="note">1 relation not drawn: from an entity to itself, or to one not drawn \(the JSON tab lists all\)\.<\/p>/);
    }
  });

  it('runs without libtorch: a data command', () => {
    const dir = tmp();
    const code = "import { run } from './src/cli/main.ts'; process.exitCode = await run(['node', 'entrel', ...process.argv.slice(1)]);";
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, 'view', pred, '--gold', gold, '--out', join(dir, 'p.html')], {
      ...CHILD_LIMIT,
      cwd: root,
      env: { ...process.env, ENTREL_NATIVE_PATH: join(dir, 'no-such-binding.node') },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(join(dir, 'p.html')), 'existsSync(join(dir, \'p.html\'))');
  });

  it('predictions of the same text with other tokens: drawn on the tokens of both, warned about', async () => {
    const moved = join(tmp(), 'moved.jsonl');
    const docs = readFileSync(pred, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    // `Paris` as `P` `aris`: the entity over `Paris .` keeps its characters.
    docs[1].sentences[1].tokens.splice(6, 1, [41, 42], [42, 46]);
    docs[1].sentences[1].entities[2].end = 9;
    writeFileSync(moved, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
    const r = await view(moved, '--gold', gold);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /moved\.jsonl: warning: scored-on-common-tokens ×1 \(e\.g\. document 'd2': tokenised differently, scored on the tokens of both\)/);
    // Scored as the same items on gold's own tokens are.
    assert.equal(captions(r.html)[1], 'd2: entities 3 correct, 1 spurious, 1 missed; relations 1 correct, 1 spurious, 1 missed');
  });

  describe('refuses with one line naming what is wrong, exit 1, no page', () => {
    const refused = async (args: string[], message: RegExp) => {
      const r = await view(...args);
      assert.equal(r.code, 1, r.err);
      assert.match(r.err, message);
      assert.equal(r.err.split('\n').length, 2, `one line: ${r.err}`);
      assert.ok(!existsSync(r.out), 'no page written');
    };

    it('--only-errors or --gold-format without --gold', async () => {
      await refused([pred, '--only-errors'], /^entrel: --only-errors needs --gold GOLD/);
      await refused([pred, '--gold-format', 'jsonl'], /^entrel: --gold-format goes with --gold GOLD/);
    });

    it('bad flag values', async () => {
      await refused([pred, '--limit', '0'], /^entrel: option '--limit <n>' argument '0' is invalid\. expected a positive integer \(see entrel view --help\)/);
      await refused([pred, '--limit', 'many'], /argument 'many' is invalid/);
      await refused([pred, '--gold', gold, '--gold-format', 'xml'], /argument 'xml' is invalid\. Allowed choices are jsonl, /);
      await refused([pred, '--format', 'xml'], /^entrel: unknown format "xml"/);
    });

    it('an --out that is a directory, or one of the inputs', async () => {
      const dir = tmp();
      const r = await entrel('view', pred, '--out', dir);
      assert.equal(r.code, 1);
      assert.equal(r.err, `entrel: ${dir}: is a directory: the page is a file, give its name (e.g. page.html)\n`);
      assert.deepEqual(readdirSync(dir), []);
      const copy = join(dir, 'gold.jsonl');
      writeFileSync(copy, readFileSync(gold));
      const same = await entrel('view', pred, '--gold', copy, '--out', copy);
      assert.equal(same.code, 1);
      assert.match(same.err, /the output is the input/);
      assert.equal(readFileSync(copy, 'utf8'), readFileSync(gold, 'utf8'), 'the input is untouched');
    });

    it('a missing or malformed file, naming the file and line', async () => {
      const dir = tmp();
      await refused([join(dir, 'none.jsonl')], /none\.jsonl: cannot read/);
      const bad = join(dir, 'bad.jsonl');
      const lines = readFileSync(pred, 'utf8').split('\n');
      writeFileSync(bad, [lines[0], lines[1].slice(0, 40), lines[2]].join('\n'));
      await refused([bad], new RegExp(`^entrel: ${bad}:2: `));
      await refused([bad, '--gold', gold], new RegExp(`^entrel: ${bad}:2: `));
    });

    it('predictions that do not pair with gold: other tokens of another text, an unknown document', async () => {
      const dir = tmp();
      const moved = join(dir, 'moved.jsonl');
      const docs = readFileSync(pred, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      docs[1].sentences[1].tokens[6] = [41, 45]; // "Paris" cut short (a token of spaces is refused on reading)
      docs[1].text = `X${docs[1].text.slice(1)}`;
      writeFileSync(moved, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
      await refused([moved, '--gold', gold], new RegExp(`^entrel: ${moved}: document 'd2', sentence 1: predicted tokens differ from gold`));
      const unknown = join(dir, 'unknown.jsonl');
      docs[1] = { ...JSON.parse(readFileSync(pred, 'utf8').split('\n')[1]), id: 'd9' };
      writeFileSync(unknown, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
      await refused([unknown, '--gold', gold], /predictions have document 'd9', which gold \(.*gold\.jsonl\) does not have/);
    });
  });

  it('writes atomically: a failure leaves neither a page nor a temporary file', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'out'));
    const bad = join(dir, 'bad.jsonl');
    // The error is on the last line: the page was half written when it came.
    writeFileSync(bad, readFileSync(pred, 'utf8') + '{"id": "d4", "text": 3}\n');
    const r = await entrel('view', bad, '--out', join(dir, 'out', 'page.html'));
    assert.equal(r.code, 1);
    assert.match(r.err, /bad\.jsonl:4: /);
    assert.deepEqual(readdirSync(join(dir, 'out')), []);
  });
});
