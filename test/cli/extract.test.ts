/**
 * `entrel extract` and `entrel serve` as users run them (the built bin/entrel.js): on a tiny model trained
 * here (known output), and `extract --json` / `evaluate --data` on the bundled model.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import { loadCorpus } from '../../src/data/formats/index.js';
import { trainTinyModelDir } from '../extract/tiny-model.js';
import { startServe } from './processes.js';
import { tempDir } from '../temp-dir.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'entrel.js');
const test04 = join(root, '..', 'shared', 'data', 'conll04', 'unified_two_are_better', 'test.CoNLL04.json');
const work = tempDir('entrel-extract-cli-');
let model: string;

function entrel(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', input, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * `entrel ...args` that ends with a line on stderr: its exit code, stderr, the ms until that last output
 * (its work) and from it to the exit (what holds the process once its work is done). Killed after 180 s.
 */
async function entrelToExit(args: string[]): Promise<{ code: number | null; err: string; workMs: number; exitMs: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [bin, ...args], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  let lastOutput = started;
  child.stderr.on('data', (b: Buffer) => ((err += b), (lastOutput = performance.now())));
  const killer = setTimeout(() => child.kill('SIGKILL'), 180_000);
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  const exitMs = performance.now() - lastOutput;
  clearTimeout(killer);
  assert.equal(signal, null, `entrel ${args.join(' ')} was still running after 180 s: ${err}`);
  return { code, err, workMs: lastOutput - started, exitMs };
}

const unescapeHtml = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

before(() => {
  model = trainTinyModelDir();
});

/** A copy of a model directory, elsewhere: the same model under another directory, as an ensemble member. */
function copyOf(dir: string): string {
  const copy = join(tempDir('entrel-copy-'), 'model');
  cpSync(dir, copy, { recursive: true });
  return copy;
}

describe('entrel extract (tiny model)', () => {
  const sentence = 'Dan works for Acme Corp .';

  it('extract and serve have --help', () => {
    for (const c of ['extract', 'serve']) {
      const r = entrel([c, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.out, new RegExp(`Usage: entrel ${c}`));
    }
  });

  it('--json prints exactly one JSON document with offsets, ids and scores', () => {
    const r = entrel(['extract', '--model', model, '--json', sentence]);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out);
    assert.deepEqual(Object.keys(doc), ['text', 'sentences', 'entities', 'relations']);
    assert.equal(doc.text, sentence);
    assert.deepEqual(doc.entities.map((e: { id: string; text: string; type: string; start: number; end: number }) => [e.id, e.text, e.type, e.start, e.end]), [
      ['T1', 'Dan', 'PER', 0, 3],
      ['T2', 'Acme Corp', 'ORG', 14, 23],
    ]);
    assert.equal(doc.relations.length, 1);
    assert.deepEqual({ ...doc.relations[0], score: undefined }, { type: 'Work_For', head: 'T1', tail: 'T2', score: undefined });
    assert.ok(doc.relations[0].score > 0 && doc.relations[0].score <= 1, 'doc.relations[0].score > 0 && doc.relations[0].score <= 1');
  });

  it('--model given several times: an ensemble, which agreeing models leave as one; --min-votes checked; one directory twice refused', () => {
    const copies = [copyOf(model), copyOf(model)];
    const round = (doc: { entities: { score: number }[]; relations: { score: number }[] }) => ({
      ...doc,
      entities: doc.entities.map((e) => ({ ...e, score: e.score.toFixed(9) })),
      relations: doc.relations.map((r) => ({ ...r, score: r.score.toFixed(9) })),
    });
    const one = entrel(['extract', '--model', model, '--json', sentence]);
    const three = entrel(['extract', '--model', model, '--model', copies[0], '--model', copies[1], '--json', sentence]);
    assert.equal(three.code, 0, three.err);
    assert.equal(three.err.match(/^entrel: warning: \S+ has the same weights as \S+ \(a copy\?\): the vote counts that model twice$/gm)?.length, 2);
    assert.deepEqual(round(JSON.parse(three.out)), round(JSON.parse(one.out)));
    const all = entrel(['extract', '--model', model, '--model', copies[0], '--min-votes', '2', '--json', sentence]);
    assert.equal(all.code, 0, all.err);
    const link = join(tempDir('entrel-link-'), 'same');
    symlinkSync(model, link);
    for (const [args, message] of [
      [['--model', model, '--min-votes', '1'], /--min-votes needs several models/],
      [['--model', model, '--model', copies[0], '--min-votes', '3'], /^entrel: --min-votes 3: there are only 2 models\n$/],
      [['--model', model, '--model', `${model}/`], /^entrel: --model .*\/: the same model directory as --model .*; an ensemble's models must differ, or that model's votes count twice\n$/],
      [['--model', model, '--model', copies[0], '--model', link], /^entrel: --model .*same: the same model directory as --model /],
    ] as const) {
      const r = entrel(['extract', ...args, sentence]);
      assert.equal(r.code, 1, r.err);
      assert.match(r.err, message);
    }
  });

  it('prints a readable table, and reads standard input when no text is given', () => {
    for (const r of [entrel(['extract', '--model', model, sentence]), entrel(['extract', '--model', model], sentence)]) {
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^1 sentence, 2 entities, 1 relation$/m);
      assert.match(r.out, /^T2 +ORG +Acme Corp +14 +23 +\d\.\d\d$/m);
      assert.match(r.out, /^Work_For +T1 Dan +T2 Acme Corp +\d\.\d\d$/m);
    }
  });

  it('options: --allow filters relations, an unknown type is exit 1 naming the flag', () => {
    const r = entrel(['extract', '--model', model, '--json', '--allow', 'PER,Kin,PER', sentence]);
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).relations.length, 0);
    const bad = entrel(['extract', '--model', model, '--allow', 'Person,Work_For,ORG', sentence]);
    assert.equal(bad.code, 1);
    assert.equal(bad.err, 'entrel: --allow Person,Work_For,ORG: unknown entity type "Person" (the model\'s entity types are PER, ORG, LOC)\n');
    assert.equal(entrel(['extract', '--model', model, '--threshold', 'high', sentence]).code, 1);
    const missing = entrel(['extract', '--model', join(work, 'none'), sentence]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /none: model directory not found/);
  });

  it('--in FILE.txt --out streams paragraphs to jsonl, html and brat (atomically, readable back)', async () => {
    const input = join(work, 'in.txt');
    writeFileSync(input, `${sentence}\nUmbrella employs Alice in New York\n\n\n😀 Carol Smith and Dan are siblings\n`);
    const jsonl = join(work, 'out.jsonl');
    let r = entrel(['extract', '--model', model, '--in', input, '--out', jsonl]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /2 texts → .*out\.jsonl \(jsonl\)/);
    const lines = readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.id), ['line-1', 'line-5']); // the first line of each paragraph
    assert.equal(lines[0].sentences.length, 2); // a single line break inside a paragraph, then ICU's break after "."
    const carol = lines[1].entities.find((e: { text: string }) => e.text === 'Carol Smith');
    assert.deepEqual([carol.start, carol.end], [3, 14]); // after the emoji: 2 UTF-16 code units + a space

    const html = join(work, 'out.html');
    r = entrel(['extract', '--model', model, '--in', input, '--out', html]);
    assert.equal(r.code, 0, r.err);
    const page = readFileSync(html, 'utf8');
    assert.equal(page.match(/<figure class="entrel-figure">/g)?.length, 2);
    assert.match(page, /<svg/);
    assert.match(page, /Entity types/);
    // Titled by the file's name, not the writer's directories.
    assert.match(page, /<title>entrel extraction: out\.html<\/title>/);
    // The JSON tab: each text's document, as the jsonl output has it.
    assert.match(page, /data-tab="json"/);
    const json = [...page.matchAll(/<section role="tabpanel" aria-labelledby="entrel-tab-json" data-panel="json" hidden><pre class="json">([^<]*)<\/pre>/g)].map((m) => JSON.parse(unescapeHtml(m[1])));
    assert.deepEqual(json, lines);

    const brat = join(work, 'out-brat');
    r = entrel(['extract', '--model', model, '--in', input, '--out', brat, '--format', 'brat']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(readdirSync(brat).sort(), ['annotation.conf', 'line-1.ann', 'line-1.txt', 'line-5.ann', 'line-5.txt']);
    // brat offers the model's types when the output is corrected.
    assert.match(readFileSync(join(brat, 'annotation.conf'), 'utf8'), /\[entities\]\nPER\nORG\nLOC\n\n\[relations\]\nWork_For\tArg1:<ENTITY>, Arg2:<ENTITY>\n/);
    // brat counts code points; reading back gives the same UTF-16 spans as the JSON.
    const back = await loadCorpus(brat, { format: 'brat' });
    const doc4 = back.documents.find((d) => d.id === 'line-5')!;
    const spans = doc4.sentences.flatMap((s) => s.entities.map((e) => [s.tokens[e.start].start, s.tokens[e.end - 1].end, e.type]));
    assert.deepEqual(spans, lines[1].entities.map((e: { start: number; end: number; type: string }) => [e.start, e.end, e.type]));
    assert.equal(doc4.sentences.flatMap((s) => s.relations).length, lines[1].relations.length);
    assert.deepEqual(readdirSync(work).filter((f) => /tmp|\.old/.test(f)), []);
  });

  it('--workers: a large file gives the same output on worker threads, and the command exits promptly', { timeout: 400_000 }, async () => {
    const input = join(work, 'many.txt');
    const paragraphs = Array.from({ length: 300 }, (_, i) => (i % 3 ? `${sentence}\nUmbrella employs Alice in New York` : `Carol Smith and Dan are siblings number ${i}`));
    writeFileSync(input, paragraphs.join('\n\n') + '\n');
    const outs: { text: string; workMs: number; exitMs: number }[] = [];
    for (const workers of [0, 2]) {
      const out = join(work, `many-${workers}.jsonl`);
      const r = await entrelToExit(['extract', '--model', model, '--workers', String(workers), '--in', input, '--out', out]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.err, /300 texts → /);
      outs.push({ text: readFileSync(out, 'utf8'), workMs: r.workMs, exitMs: r.exitMs });
    }
    assert.equal(outs[1].text, outs[0].text);
    // The pool must not keep the process alive: it exits within 2 s of its last line, or half the time its
    // work took if that is more (0.5–0.7 s after 3.3 s of work beside 4 busy processes on 2 cores): timed
    // from that line and against the work, so that a busy machine, which slows both, does not count.
    const [w, o] = [outs[1], outs[0]];
    assert.ok(w.exitMs < Math.max(2000, w.workMs / 2), `with workers it exited ${Math.round(w.exitMs)} ms after its last line (${Math.round(w.workMs)} ms of work), without ${Math.round(o.exitMs)} ms`);
    assert.equal(entrel(['extract', '--model', model, '--workers', '-1', sentence]).code, 1);
    assert.equal(entrel(['extract', '--model', model, '--workers', 'two', sentence]).code, 1);
  });

  it('--in FILE.jsonl takes strings or {id, text}; a bad line is exit 1 naming file and line', () => {
    const input = join(work, 'in.jsonl');
    writeFileSync(input, `${JSON.stringify(sentence)}\n{"id": "x/1", "text": "Globex"}\n\n{"text": ""}\n`);
    const out = join(work, 'from-jsonl.jsonl');
    const r = entrel(['extract', '--model', model, '--in', input, '--out', out]);
    assert.equal(r.code, 0, r.err);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => [l.id, l.text, l.entities.length]), [['line-1', sentence, 2], ['x/1', 'Globex', 1], ['line-4', '', 0]]);
    writeFileSync(input, `"ok"\n{"text": 5}\n`);
    const bad = entrel(['extract', '--model', model, '--in', input, '--out', join(work, 'bad.jsonl')]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /in\.jsonl:2: text: expected a JSON string or an object with a string "text"/);
    assert.ok(!existsSync(join(work, 'bad.jsonl')), '!existsSync(join(work, \'bad.jsonl\'))');
  });
});

describe('entrel serve', () => {
  it('answers /health and /v1/extract on a random port, and exits 0 on SIGTERM', async () => {
    const { url, out: printed, stop } = await startServe(
      ['--model', model, '--port', '0', '--workers', '2', '--request-timeout', '20', '--cors', 'https://app.example', '--max-texts', '2', '--log'],
      { cwd: work },
    );
    try {
      const health = await fetch(`${url}/health`);
      assert.equal(health.status, 200);
      const res = await fetch(`${url}/v1/extract`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Dan works for Acme Corp .' }) });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { documents: { entities: { text: string }[] }[] };
      assert.deepEqual(body.documents[0].entities.map((e) => e.text), ['Dan', 'Acme Corp']);
      const info = (await (await fetch(`${url}/v1/model`)).json()) as { name: string };
      assert.equal(info.name, 'tiny');
      assert.match(printed.err, /model on 2 worker threads/);
      // --cors: a page of that origin may call the API; --max-texts: the limit per request; --log: access log.
      const origin = 'https://app.example';
      const pre = await fetch(`${url}/v1/extract`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers.get('access-control-allow-origin'), origin);
      const many = await fetch(`${url}/v1/extract`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ texts: ['a', 'b', 'c'] }) });
      assert.equal(many.status, 400);
      assert.equal(many.headers.get('access-control-allow-origin'), origin);
      assert.equal(((await many.json()) as { error: { code: string } }).error.code, 'batch_too_large');
      assert.ok(printed.out.split('\n').some((l) => l.includes('"/v1/extract"') && l.startsWith('{')), printed.out.slice(0, 500));
    } finally {
      assert.equal(await stop(), 0);
    }
  });
});

describe('entrel serve with an ensemble (the tiny model and a copy)', () => {
  it('names the models on its startup line, and GET /v1/model lists them', async () => {
    const { url, out, stop } = await startServe(['--model', model, '--model', copyOf(model), '--port', '0', '--workers', '0'], { cwd: work });
    try {
      assert.match(out.err, /^entrel: serving ensemble of 2 \(tiny, tiny; at least 2 votes\) on http:\/\/127\.0\.0\.1:\d+ \(model on the server thread; Ctrl-C to stop\)$/m);
      const info = (await (await fetch(`${url}/v1/model`)).json()) as { members: { name: string; version: string }[] };
      assert.deepEqual(info.members.map((m) => [m.name, m.version]), [['tiny', '9.9.9'], ['tiny', '9.9.9']]);
    } finally {
      assert.equal(await stop(), 0);
    }
  });
});

describe('the bundled model', () => {
  it('extract --json without --model finds people with correct offsets', () => {
    const text = 'John Wilkes Booth , who assassinated President Lincoln , was an actor .';
    const r = entrel(['extract', '--json', text]);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out);
    const people = doc.entities.filter((e: { type: string }) => e.type === 'Peop');
    assert.ok(people.some((e: { text: string; start: number; end: number }) => e.text === 'John Wilkes Booth' && e.start === 0 && e.end === 17), r.out);
    for (const e of doc.entities) assert.equal(text.slice(e.start, e.end), e.text);
  });

  it('evaluate --data --json without --model scores the bundled model as its README says', () => {
    const r = entrel(['evaluate', '--data', test04, '--json']);
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out);
    const meta = JSON.parse(readFileSync(join(root, 'models', 'conll04', 'config.json'), 'utf8')).meta;
    assert.equal(Math.round(1000 * report.relations.strict.micro.f1) / 10, meta.metrics.test.relationStrictF1);
    assert.equal(Math.round(1000 * report.entities.micro.f1) / 10, meta.metrics.test.entityF1);
  });
});
