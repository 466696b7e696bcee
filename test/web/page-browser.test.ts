/**
 * The service's page in a real browser (Debian's chromium, as in browser.test.ts), where deployments put
 * it: behind a reverse proxy under a path prefix, with any relation threshold in [0, 1], and with a text
 * longer than one drawing may be.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { RENDER_LIMITS } from '../../src/server/routes/web.js';
import { launchChromium } from './chromium.js';
import { FakeExtractor, fakeExtract } from '../server/fake-extractor.js';

/** A reverse proxy serving `target` under `/entrel/` (as nginx's `location /entrel/ { proxy_pass http://…/; }`), and 404 elsewhere. */
function prefixProxy(target: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (!req.url?.startsWith('/entrel/')) return void res.writeHead(404).end('not here');
    const upstream = http.request(`${target}${req.url.slice('/entrel'.length)}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/entrel/`, close: () => new Promise((done) => server.close(() => done())) }),
    ),
  );
}

describe('web view deployed, in chromium', () => {
  let browser: Browser;
  let server: RunningServer;
  let proxy: { url: string; close: () => Promise<void> };
  let page: Page;
  const fake = new FakeExtractor();
  /** The page's requests: path and JSON body. */
  const sent: { path: string; body: any }[] = [];

  before(async () => {
    browser = await launchChromium();
    server = await startServer(fake, { port: 0 });
    proxy = await prefixProxy(server.url);
    page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    page.on('request', (r) => sent.push({ path: new URL(r.url()).pathname, body: r.postData() ? JSON.parse(r.postData() as string) : undefined }));
  });

  after(async () => {
    await browser?.close();
    await proxy?.close();
    await server?.app.close();
  });

  async function extract(text: string, threshold = ''): Promise<string> {
    sent.length = 0;
    await page.fill('#text', text);
    await page.fill('input[name="threshold"]', threshold);
    await page.click('#extract');
    await page.waitForFunction(() => {
      const s = document.getElementById('status');
      return s?.className === 'error' || /relations?$/.test(s?.textContent ?? '');
    });
    return (await page.locator('#status').textContent()) as string;
  }

  it('works under the path prefix of a reverse proxy (it called /v1/… at the proxy\'s root: 404)', async () => {
    await page.goto(proxy.url);
    const text = 'John Smith works for Acme Corp in Boston.';
    assert.equal(await extract(text), '3 entities, 2 relations');
    assert.equal(await page.locator('g.entity').count(), 3);
    assert.deepEqual(sent.map((s) => s.path), ['/entrel/v1/extract', '/entrel/v1/render']);
  });

  it('sends a threshold that is not a multiple of 0.05, as the API takes any number in [0, 1]', async () => {
    const text = 'John Smith works for Acme Corp in Boston.';
    for (const threshold of ['0.33', '0.875', '0.001']) {
      await extract(text, threshold);
      assert.equal(sent[0]?.body?.relationThreshold, Number(threshold), `threshold ${threshold}: ${JSON.stringify(sent)}`);
    }
    assert.equal(fake.calls.at(-1)?.options.relationThreshold, 0.001);
    // 0.33 keeps the relation scored 1/3 of a long sentence and drops the one scored 0.25.
    const long = 'Mary Jones met with Bob Stone who knows that Ann Lee left.';
    const scores = fakeExtract(long).relations.map((r) => r.score);
    assert.ok(scores.some((s) => s >= 0.33) && scores.some((s) => s < 0.33), String(scores));
    assert.equal(await extract(long, '0.33'), `3 entities, ${scores.filter((s) => s >= 0.33).length} relation`);
  });

  it('does not send the sentences and tokens back to be drawn: the drawing does not read them', async () => {
    const text = 'John Smith works for Acme Corp in Boston. Mary Jones lives in Paris.';
    await extract(text);
    const [extracted, drawn] = sent;
    assert.equal(extracted.path, '/entrel/v1/extract');
    assert.deepEqual(drawn.body.documents, [{ ...fakeExtract(text), sentences: [] }]);
  });

  it('shows the JSON of a text too long to draw, and says why it is not drawn', async () => {
    const text = 'John Smith works for Acme Corp in Boston. '.repeat(Math.ceil(RENDER_LIMITS.characters / 42) + 1);
    const status = await extract(text);
    const doc = fakeExtract(text);
    assert.equal(
      status,
      `${doc.entities.length} entities, ${doc.relations.length} relations; cannot draw them (the JSON tab has them): ` +
        `${text.length} characters (text of all documents together); /v1/render draws at most ${RENDER_LIMITS.characters} characters a request`,
    );
    assert.equal(await page.locator('#status').getAttribute('class'), 'error');
    assert.deepEqual(JSON.parse((await page.locator('#json').textContent()) as string), { documents: [doc] });
  });
});
