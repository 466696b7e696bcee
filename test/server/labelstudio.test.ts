/**
 * Label Studio's ML backend protocol under /labelstudio: a Label Studio project connected to the service
 * gets its tasks pre-annotated, in its own config's names and types, offsets in code points, scored;
 * with API keys, Label Studio's Basic authentication carries the key as its password.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Diagnostics } from '../../src/data/diagnostics.js';
import { loadCorpus } from '../../src/data/formats/index.js';
import { readLabelConfig } from '../../src/extract/label-config.js';
import { tempDir } from '../temp-dir.js';
import { fakeServer, post } from './helpers.js';

const CONFIG = `<View>
  <Labels name="ner" toName="doc"><Label value="Peop" background="red"/><Label value="Org"/></Labels>
  <Relations><Relation value="Work_For"/></Relations>
  <Text name="doc" value="$content"/>
</View>`;

describe('Label Studio ML backend', () => {
  const { app, fake } = fakeServer({ batchWindowMs: 5 });
  after(() => app.close());

  it('answers the connection check, setup, metrics and webhooks as Label Studio expects', async () => {
    for (const url of ['/labelstudio/health', '/labelstudio/']) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.json().status, 'UP');
    }
    const setup = await post(app, '/labelstudio/setup', { project: '3.1700000000', schema: CONFIG, hostname: 'http://ls', access_token: 'x' });
    assert.equal(setup.status, 200, setup.body);
    assert.match(setup.json().model_version, /\S/);
    const bad = await post(app, '/labelstudio/setup', { project: '3.1', schema: '<View><Choices name="c" toName="t"/><Text name="t" value="$text"/></View>' });
    assert.equal(bad.status, 400);
    assert.match(bad.json().error.message, /^schema: the labelling config has no <Labels> on a <Text>/);
    // The stock NER template's labels: none the model has, so every pre-annotation would be empty.
    const none = await post(app, '/labelstudio/setup', { project: '3.1', schema: '<View><Labels name="l" toName="t"><Label value="PER"/><Label value="ORG"/></Labels><Text name="t" value="$text"/></View>' });
    assert.equal(none.status, 400);
    assert.match(none.json().error.message, /^schema: none of the project's labels \(PER, ORG\) is one of the model's entity types \(/);
    assert.equal((await app.inject({ method: 'GET', url: '/labelstudio/metrics' })).statusCode, 200);
    const hook = await post(app, '/labelstudio/webhook', { action: 'ANNOTATION_CREATED', project: { id: 3 } });
    assert.equal(hook.status, 200);
  });

  it("pre-annotates each task in its config's names and types, offsets in code points, with scores", async () => {
    const text = '😀 Mary Smith works for Acme Corp in Boston.';
    const res = await post(app, '/labelstudio/predict', { tasks: [{ id: 1, data: { content: text, other: 1 } }], label_config: CONFIG, project: '3.1700000000', params: { context: null } });
    assert.equal(res.status, 200, res.body);
    const [prediction] = res.json().results;
    assert.ok(prediction.score > 0 && prediction.score <= 1, 'prediction.score > 0 && prediction.score <= 1');
    const regions = prediction.result.filter((r: { type: string }) => r.type === 'labels');
    const cps = [...text];
    assert.deepEqual(
      regions.map((r: { from_name: string; to_name: string; value: { start: number; end: number; labels: string[] } }) => [r.from_name, r.to_name, cps.slice(r.value.start, r.value.end).join(''), r.value.labels[0]]),
      [['ner', 'doc', 'Mary Smith', 'Peop'], ['ner', 'doc', 'Acme Corp', 'Org']], // Boston (Loc) is no type of the project
    );
    const relations = prediction.result.filter((r: { type: string }) => r.type === 'relation');
    assert.deepEqual(relations.map((r: { labels: string[]; direction: string }) => [r.labels[0], r.direction]), [['Work_For', 'right']]);
    assert.equal(fake.inputs.at(-1)?.[0], text);
  });

  it("keeps an interactive request's regions (the annotator's, code points) and asks only for relations", async () => {
    const text = '😀 Mary Smith works for Acme Corp in Boston.';
    const region = (id: string, start: number, end: number, label: string) => ({ id, from_name: 'ner', to_name: 'doc', type: 'labels', value: { start, end, labels: [label] } });
    const context = { result: [region('m1', 2, 12, 'Peop'), region('a1', 23, 32, 'Org'), region('x', 25, 28, 'Org'), region('y', 36, 42, 'Unknown')] };
    const res = await post(app, '/labelstudio/predict', { tasks: [{ id: 1, data: { content: text } }], label_config: CONFIG, params: { context } });
    assert.equal(res.status, 200, res.body);
    // UTF-16 offsets (the emoji is 2 units); the overlapping region and the unknown type are left out
    assert.deepEqual(fake.inputs.at(-1), [{ text, entities: [{ start: 3, end: 13, type: 'Peop', id: 'm1' }, { start: 24, end: 33, type: 'Org', id: 'a1' }] }]);
  });

  it("maps the model's types to a project's own labels with predicted_values, both ways", async () => {
    const config = `<View><Labels name="label" toName="text"><Label value="PER" predicted_values="Peop"/><Label value="ORG" predicted_values="Org, Organisation"/></Labels>
      <Relations><Relation value="works for" predicted_values="Work_For"/></Relations><Text name="text" value="$text"/></View>`;
    assert.equal((await post(app, '/labelstudio/setup', { project: '4.1', schema: config })).status, 200);
    const text = 'Mary Smith works for Acme Corp in Boston.';
    const res = await post(app, '/labelstudio/predict', { tasks: [{ data: { text } }], label_config: config });
    assert.equal(res.status, 200, res.body);
    const result = res.json().results[0].result as { type: string; value?: { labels: string[] }; labels?: string[] }[];
    assert.deepEqual(result.filter((r) => r.type === 'labels').map((r) => r.value!.labels[0]), ['PER', 'ORG']);
    assert.deepEqual(result.filter((r) => r.type === 'relation').map((r) => r.labels![0]), ['works for']);
    // an annotator's PER region goes to the model as its Peop
    const context = { result: [{ id: 'p', to_name: 'text', type: 'labels', value: { start: 0, end: 10, labels: ['PER'] } }] };
    assert.equal((await post(app, '/labelstudio/predict', { tasks: [{ data: { text } }], label_config: config, params: { context } })).status, 200);
    assert.deepEqual(fake.inputs.at(-1), [{ text, entities: [{ start: 0, end: 10, type: 'Peop', id: 'p' }] }]);
  });

  it('takes many tasks ("Retrieve predictions") a request\'s worth at a time, in order', async () => {
    const tasks = Array.from({ length: 70 }, (_, i) => ({ id: i, data: { text: `Person${i} Smith works for Acme Corp.` } }));
    const res = await post(app, '/labelstudio/predict', { tasks });
    assert.equal(res.status, 200, res.body);
    const results = res.json().results as { result: { value?: { text: string } }[] }[];
    assert.equal(results.length, 70);
    assert.equal(results[69].result[0].value?.text, 'Person69 Smith');
  });

  it('reads a config in linear time: 400 KB of "<a" is a prompt 400, and the server answers others meanwhile', async () => {
    const t0 = performance.now();
    const res = await post(app, '/labelstudio/predict', { tasks: [{ data: { text: 'x' } }], label_config: '<a'.repeat(200_000) });
    assert.equal(res.status, 400);
    assert.ok(performance.now() - t0 < 2000, `${performance.now() - t0} ms`);
  });

  it('refuses a labelling config over 256 KiB (predict and setup) with a 400 naming the field, before reading it', async () => {
    // Padded with a comment, a config Label Studio would take: refused for its size alone (was read).
    const big = CONFIG.replace('<View>', `<View><!--${'x'.repeat(256 * 1024)}-->`);
    const cases: [string, unknown, RegExp][] = [
      ['/labelstudio/predict', { tasks: [{ data: { content: 'Ann works for Acme Corp.' } }], label_config: big }, /^body\.label_config must NOT have more than 262144 characters$/],
      ['/labelstudio/setup', { schema: big }, /^body\.schema must NOT have more than 262144 characters$/],
      // A hostile one of 1 MB (a tag of name characters, quadratic to read before: about an hour).
      ['/labelstudio/predict', { tasks: [{ data: { text: 'x' } }], label_config: `<View><Text ${'a'.repeat(1_000_000)}/></View>` }, /^body\.label_config must NOT have more/],
    ];
    for (const [url, body, message] of cases) {
      const t0 = performance.now();
      const res = await post(app, url, body);
      assert.equal(res.status, 400, res.body.slice(0, 300));
      assert.equal(res.json().error.code, 'invalid_request');
      assert.match(res.json().error.message, message);
      assert.ok(performance.now() - t0 < 1000, `${url}: ${(performance.now() - t0).toFixed(0)} ms`);
    }
    assert.equal((await post(app, '/labelstudio/setup', { schema: CONFIG.replace('<View>', `<View><!--${'x'.repeat(200 * 1024)}-->`) })).status, 200, 'under the limit');
  });

  it("of an interactive request's overlapping regions keeps the one that starts first, and reads 40,000 regions at once", async () => {
    const text = 'Mary Smith works for Acme Corp in Boston.';
    const region = (id: string, start: number, end: number) => ({ id, to_name: 'doc', type: 'labels', value: { start, end, labels: ['Org'] } });
    // Listed first, `late` overlaps `early`, which starts before it: `early` is kept, and `c` may take the id `late` gave up.
    const context = { result: [region('late', 21, 30), region('early', 11, 25), { ...region('late', 34, 40), id: 'late' }] };
    const res = await post(app, '/labelstudio/predict', { tasks: [{ data: { content: text } }], label_config: CONFIG, params: { context } });
    assert.equal(res.status, 200, res.body);
    assert.deepEqual(fake.inputs.at(-1), [{ text, entities: [{ start: 11, end: 25, type: 'Org', id: 'early' }, { start: 34, end: 40, type: 'Org', id: 'late' }] }]);
    // Many regions, listed last to first: each was compared with every one kept before it (n²: seconds).
    const n = 40_000;
    const long = 'Ab '.repeat(n);
    const many = { result: Array.from({ length: n }, (_, i) => region(`r${n - 1 - i}`, 3 * (n - 1 - i), 3 * (n - 1 - i) + 2)) };
    const { app: roomy, fake: roomyFake } = fakeServer({ bodyLimit: 16 * 1024 * 1024, maxTextLength: long.length });
    try {
      const t0 = performance.now();
      const answer = await post(roomy, '/labelstudio/predict', { tasks: [{ data: { content: long } }], label_config: CONFIG, params: { context: many } });
      const ms = performance.now() - t0;
      assert.equal(answer.status, 200, answer.body.slice(0, 300));
      const given = (roomyFake.inputs.at(-1)?.[0] as { entities: readonly { start: number; id?: string }[] }).entities;
      assert.equal(given.length, n);
      assert.deepEqual(given.slice(0, 2).map((e) => [e.start, e.id]), [[3 * (n - 1), `r${n - 1}`], [3 * (n - 2), `r${n - 2}`]], 'in the listed order');
      assert.ok(ms < 3000, `${n} regions took ${ms.toFixed(0)} ms`);
    } finally {
      await roomy.close();
    }
  });

  it('without a config reads data.text and answers for entrel\'s own config; refuses what it cannot read, naming the task', async () => {
    const ok = await post(app, '/labelstudio/predict', { tasks: [{ data: { text: 'Ann works for Acme Corp.' } }, { data: { body: 'Tom lives in Ohio.' } }] });
    assert.equal(ok.status, 200, ok.body);
    const results = ok.json().results;
    assert.equal(results.length, 2);
    assert.ok(results[0].result.every((r: { from_name?: string; to_name?: string; type: string }) => r.type === 'relation' || (r.from_name === 'label' && r.to_name === 'text')), 'results[0].result.every((r: { from_name?: string; to_name?: string; type: string }) => r.type ===...');
    const cases: [unknown, number, RegExp][] = [
      [{ tasks: [{ data: { content: 7 } }], label_config: CONFIG }, 400, /^tasks\[0\]\.data\.content: expected a string, got 7$/],
      [{ tasks: [{ data: { a: 'x', b: 'y' } }] }, 400, /^tasks\[0\]\.data: no "text" and several string fields \("a", "b"\): which is the text\?$/],
      [{ tasks: [{ nodata: 1 }] }, 400, /tasks\/0|tasks\[0\]/],
      [{ tasks: [{ data: { text: 'x' } }], label_config: '<View><Text name="t" value="$text"/></View>' }, 400, /^label_config: the labelling config has no <Labels> on a <Text>/],
    ];
    for (const [body, status, message] of cases) {
      const res = await post(app, '/labelstudio/predict', body);
      assert.equal(res.status, status, `${JSON.stringify(body)}: ${res.body}`);
      assert.match(res.json().error.message, message, JSON.stringify(body));
    }
  });
});

describe('the task text rule, one for the ML backend and the export reader', () => {
  const { app } = fakeServer({ batchWindowMs: 1 });
  after(() => app.close());
  const dir = tempDir('entrel-ls-text-');

  it('gives the same text, or the same refusal, for the same task data', async () => {
    // Were two rules: the backend did not show the value, named `data.text` for want of a field, and listed the fields bare.
    const cases: Record<string, unknown>[] = [{ text: 'Ann works for Acme Corp.' }, { body: 'Ann works for Acme Corp.', n: 3 }, { text: 7, title: 'Ann' }, { text: null }, { a: 'x', b: 'y' }, { n: 1 }];
    for (const [k, data] of cases.entries()) {
      const file = join(dir, `t${k}.json`);
      writeFileSync(file, JSON.stringify([{ data, annotations: [{ result: [] }] }]));
      const read = await loadCorpus(file, { format: 'labelstudio', diagnostics: new Diagnostics() }).then(
        (c) => c.documents[0].text,
        (e: Error) => e.message.replace(`${file} record 1: `, ''),
      );
      const res = await post(app, '/labelstudio/predict', { tasks: [{ data }] });
      const served = res.status === 200 ? 'Ann works for Acme Corp.' : res.json().error.message.replace('tasks[0].', '');
      assert.equal(served, read, JSON.stringify(data));
    }
  });
});

describe('Label Studio ML backend, time limit', () => {
  it('holds for the whole request, not for each part of many tasks', async () => {
    const { app, fake } = fakeServer({ extractTimeout: 250, maxTexts: 2, batchWindowMs: 1 });
    after(() => app.close());
    fake.delayMs = 100; // each part of 2 tasks takes 100 ms: 5 parts take 500 ms, past the 250 ms limit
    const tasks = Array.from({ length: 10 }, (_, i) => ({ data: { text: `Ann${i} works for Acme Corp.` } }));
    const res = await post(app, '/labelstudio/predict', { tasks });
    assert.equal(res.status, 503, res.body);
    assert.equal(res.json().error.code, 'timeout');
    assert.match(res.json().error.message, /\(0\.25 s for the whole request\)/);
    fake.delayMs = 10;
    assert.equal((await post(app, '/labelstudio/predict', { tasks })).status, 200);
  });
});

describe('Label Studio ML backend with API keys', () => {
  const key = 'k'.repeat(24);
  const { app } = fakeServer({ apiKeys: [key] });
  after(() => app.close());
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const predict = (authorization?: string, url = '/labelstudio/predict') =>
    app.inject({ method: 'POST', url, payload: { tasks: [{ data: { text: 'Ann works for Acme Corp.' } }] }, headers: { 'content-type': 'application/json', ...(authorization && { authorization }) } });

  it("takes the key as Label Studio's Basic password (or a Bearer token), and only on its routes", async () => {
    assert.equal((await predict(basic('label-studio', key))).statusCode, 200);
    assert.equal((await predict(`Bearer ${key}`)).statusCode, 200);
    const wrong = await predict(basic('label-studio', 'not-the-key-at-all-xx'));
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.headers['www-authenticate'], 'Basic realm="entrel"');
    assert.equal((await predict()).statusCode, 401);
    for (const malformed of ['Basic', `Basic ${Buffer.from(key).toString('base64')}`]) {
      const res = await predict(malformed); // no user:password
      assert.equal(res.statusCode, 401, malformed);
      assert.equal(res.headers['www-authenticate'], 'Basic realm="entrel"', malformed);
    }
    const elsewhere = await app.inject({ method: 'POST', url: '/v1/extract', payload: { text: 'Ann.' }, headers: { 'content-type': 'application/json', authorization: basic('x', key) } });
    assert.equal(elsewhere.statusCode, 401);
  });
});

describe('readLabelConfig', () => {
  it("finds the Labels on a Text, its data field and the types offered, quotes and entities in attributes too", () => {
    assert.deepEqual(readLabelConfig(CONFIG), { textName: 'doc', labelsName: 'ner', field: 'content', entityTypes: new Set(['Peop', 'Org']), relationTypes: new Set(['Work_For']) });
    assert.deepEqual(readLabelConfig(`<View><Text value='$t' name='x'/><Labels toName='x' name="l"><Label value="R&amp;D"/></Labels></View>`), { textName: 'x', labelsName: 'l', field: 't', entityTypes: new Set(['R&D']) });
    assert.equal(readLabelConfig('<View><Labels name="l" toName="img"><Label value="A"/></Labels><Image name="img" value="$image"/></View>'), undefined);
    // comments are no tags; a toName list maps to its first <Text>; numeric references and '>' in values
    const cfg = `<View><!-- <Labels name="old" toName="a"><Label value="Loc"/></Labels> -->
      <Labels name="ner" toName="img, a"><Label value="R&#38;D &#x3e; x" hint="a > b"/></Labels><Text name="a" value="$body"/></View>`;
    assert.deepEqual(readLabelConfig(cfg), { textName: 'a', labelsName: 'ner', field: 'body', entityTypes: new Set(['R&D > x']) });
  });

  it('reads hostile configs in linear time: long runs of name characters, `a=a=…`, unclosed quotes, spaces', () => {
    // A tag of n name characters without `=` was tried from each of them to its end: 100 KB took 10 s.
    const n = 100_000;
    const hostile = [
      `<View><Text ${'a'.repeat(n)}/></View>`,
      `<View><Text ${'a='.repeat(n / 2)}/></View>`,
      `<View><Text a="${'b'.repeat(n)}/></View>`,
      `<View><Text ${'a: .-'.repeat(n / 5)}/></View>`,
      `<View><Text a${' '.repeat(n)}x/></View>`,
      `<View><Text ${'a="x"b'.repeat(n / 6)}/></View>`,
    ];
    const intact = CONFIG.repeat(Math.ceil(n / CONFIG.length));
    const time = (x: string) => {
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        readLabelConfig(x);
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    };
    const base = time(intact);
    for (const x of hostile) {
      const ms = time(x);
      assert.ok(ms < 20 * base + 20, `${JSON.stringify(x.slice(0, 40))}…: ${ms.toFixed(1)} ms, an intact config as long ${base.toFixed(1)} ms`);
    }
    // The same attributes as before on ordinary tags (the name starts after a quote or a space).
    assert.deepEqual(readLabelConfig('<View><Text name="t"value="$body"/><Labels  toName = "t"name=\'l\'><Label value="A"/></Labels></View>'), { textName: 't', labelsName: 'l', field: 'body', entityTypes: new Set(['A']) });
  });

  it('never throws, and stays fast, on damaged configs (seeded mutations of a real one)', () => {
    let seed = 12345;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const pieces = ['<', '>', '"', "'", '/', '<!--', '-->', '&#', '&#x110000;', '=', ' ', 'Labels', 'Text', 'toName="doc"', '$'];
    let [damagedMs, chars, slowest] = [0, 0, { ms: 0, x: '' }];
    for (let k = 0; k < 2000; k++) {
      let x = CONFIG;
      for (let m = 1 + next(6); m > 0; m--) {
        const at = next(x.length + 1);
        const cut = next(4);
        x = x.slice(0, at) + (next(3) ? pieces[next(pieces.length)] : '') + x.slice(at + cut);
      }
      const input = x.repeat(1 + next(50));
      const t0 = performance.now();
      const got = readLabelConfig(input);
      const ms = performance.now() - t0;
      [damagedMs, chars] = [damagedMs + ms, chars + input.length];
      if (ms > slowest.ms) slowest = { ms, x };
      if (got) assert.equal(typeof got.textName, 'string', x);
    }
    // Against the intact config read in the same amount (a quarter of it, timed, times 4), not a wall-clock
    // limit a loaded machine may pass: both take about as long; a damage read in quadratic time would not.
    const t0 = performance.now();
    for (let read = 0; read < chars / 4; read += 25 * CONFIG.length) readLabelConfig(CONFIG.repeat(25));
    const intactMs = 4 * (performance.now() - t0);
    assert.ok(damagedMs < 10 * intactMs, `damaged configs took ${Math.round(damagedMs)} ms, the intact one ${Math.round(intactMs)} ms; slowest (${Math.round(slowest.ms)} ms): ${slowest.x}`);
  });
});
