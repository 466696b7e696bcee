/**
 * The web view in a real browser: Debian's chromium driven by playwright-core (which never downloads
 * browsers). Starts the service with the fake extractor, pastes text, extracts, and checks the screen.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { writeExtractions } from '../../src/cli/extract-outputs.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { renderDocumentSvg, renderHtmlReport } from '../../src/web/index.js';
import { launchChromium } from './chromium.js';
import { FakeExtractor, fakeExtract } from '../server/fake-extractor.js';
import { tempDir } from '../temp-dir.js';

const text =
  'John Smith works for Acme Corp in Boston. Mary Jones, who met Zoë 😀 Park in Paris, lives in London with ' +
  'Carl Weiss of Globex Inc. <script>window.__xss = 1</script> Ann Lee & Bob Stone stay in Tokyo.';

describe('web view in chromium', () => {
  let browser: Browser;
  let server: RunningServer;
  let page: Page;
  const foreignRequests: string[] = [];

  before(async () => {
    browser = await launchChromium();
    server = await startServer(new FakeExtractor(), { port: 0, maxTextLength: 1000 });
    page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    page.on('request', (r) => {
      if (!r.url().startsWith(server.url)) foreignRequests.push(r.url());
    });
  });

  after(async () => {
    await browser?.close();
    await server?.app.close();
  });

  it('extracts pasted text and draws entities, arcs and the legend', async () => {
    await page.goto(`${server.url}/`);
    await page.fill('#text', text);
    await page.click('#extract');
    await page.locator('svg.entrel-doc').waitFor();

    const expected = fakeExtract(text);
    assert.equal(await page.locator('g.entity').count(), expected.entities.length);
    for (const name of ['John Smith', 'Acme Corp', 'Boston', 'Zoë', 'Globex Inc']) {
      assert.ok(await page.locator('text.entity-text', { hasText: name }).first().isVisible(), `${name} highlighted`);
    }
    const boston = page.locator('g.entity[data-type="Loc"] rect').first();
    assert.equal(await boston.getAttribute('fill'), '#b2df8a', 'Loc boxes are coloured by type');

    // A relation split across rows is drawn in two parts; only the tail's part has the arrowhead.
    assert.equal(await page.locator('g.relation path.arc[marker-end]').count(), expected.relations.length);
    assert.ok(await page.locator('text.relation-label', { hasText: 'Work_For' }).first().isVisible(), 'await page.locator(\'text.relation-label\', { hasText: \'Work_For\' }).first().isVisible()');
    assert.ok(await page.locator('text.relation-label', { hasText: 'Live_In' }).first().isVisible(), 'await page.locator(\'text.relation-label\', { hasText: \'Live_In\' }).first().isVisible()');

    const legend = await page.locator('.legend li').allTextContents();
    assert.deepEqual(legend.map((l) => l.split(' ')[0]), ['Loc', 'Org', 'Peop']);
    assert.match(await page.locator('#status').textContent() as string, /\d+ entities, \d+ relations/);

    // Text from the input shows as text, and runs nothing.
    assert.ok(await page.locator('text.word', { hasText: '<script>window.__xss' }).isVisible(), 'await page.locator(\'text.word\', { hasText: \'<script>window.__xss\' }).isVisible()');
    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);

    mkdirSync('artifacts', { recursive: true });
    await page.screenshot({ path: 'artifacts/web-view.png', fullPage: true });
  });

  it('shows the JSON result in the JSON tab', async () => {
    await page.click('[data-tab="json"]');
    const json = page.locator('#json');
    assert.ok(await json.isVisible(), 'await json.isVisible()');
    assert.ok(!(await page.locator('svg.entrel-doc').isVisible()), 'the view is hidden');
    const shown = JSON.parse((await json.textContent()) as string);
    assert.deepEqual(shown, { documents: [fakeExtract(text)] });
    await page.click('[data-tab="view"]');
    assert.ok(await page.locator('svg.entrel-doc').isVisible(), 'await page.locator(\'svg.entrel-doc\').isVisible()');
  });

  it('switches tabs with the arrow keys, keeping only the selected tab in the Tab order', async () => {
    await page.focus('[data-tab="view"]');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.tab), 'json');
    assert.ok(await page.locator('#json').isVisible(), 'await page.locator(\'#json\').isVisible()');
    assert.deepEqual(await page.locator('[data-tab]').evaluateAll((bs) => bs.map((b) => [b.getAttribute('aria-selected'), (b as HTMLElement).tabIndex])), [['false', -1], ['true', 0]]);
    // Each panel names its tab; a screen reader announces "View tab panel".
    assert.equal(await page.locator('[role="tabpanel"][aria-labelledby="entrel-tab-json"]:visible').count(), 1);
    await page.keyboard.press('ArrowRight'); // wraps around
    assert.ok(await page.locator('svg.entrel-doc').isVisible(), 'await page.locator(\'svg.entrel-doc\').isVisible()');
    await page.keyboard.press('End');
    assert.ok(await page.locator('#json').isVisible(), 'await page.locator(\'#json\').isVisible()');
    await page.keyboard.press('Home');
    assert.ok(await page.locator('svg.entrel-doc').isVisible(), 'await page.locator(\'svg.entrel-doc\').isVisible()');
  });

  it('shows a server error as a message', async () => {
    await page.fill('#text', 'x'.repeat(1500));
    await page.click('#extract');
    await page.locator('#status.error').waitFor();
    assert.equal(await page.locator('#status').textContent(), 'text has 1500 characters; the limit is 1000');
  });

  it('leaves no drawing or JSON of the previous text beside an error', async () => {
    // The previous tests drew a text; the last one failed: nothing of the earlier result may stay on screen.
    assert.equal(await page.locator('svg.entrel-doc').count(), 0);
    assert.equal(await page.locator('#json').textContent(), '');
    assert.ok(await page.locator('#extract').isEnabled(), 'the button works again');
  });

  it('draws a result many times larger than the request body limit', async () => {
    const small = await startServer(new FakeExtractor(), { port: 0, bodyLimit: 4000 });
    try {
      const long = 'John Smith works for Acme Corp in Boston. '.repeat(60); // 2.5 KB sent, far more answered
      await page.goto(`${small.url}/`);
      await page.fill('#text', long);
      await page.click('#extract');
      await page.waitForFunction(() => /relations$|error/.test((document.getElementById('status')?.textContent ?? '') + document.getElementById('status')?.className));
      assert.equal(await page.locator('#status').getAttribute('class'), '', await page.locator('#status').textContent() as string);
      assert.equal(await page.locator('g.entity').count(), fakeExtract(long).entities.length);
    } finally {
      await small.app.close();
      // That service is ours too.
      const mine = foreignRequests.filter((u) => !u.startsWith(small.url));
      foreignRequests.splice(0, foreignRequests.length, ...mine);
    }
  });

  it('renders the --format html report with working tabs', async () => {
    await page.setContent(renderHtmlReport([fakeExtract('Ann Lee met Bob Stone in Paris.')]));
    assert.equal(await page.locator('g.entity').count(), 3);
    await page.click('[data-tab="json"]');
    assert.match((await page.locator('pre.json').textContent()) as string, /"Bob Stone"/);
  });

  it('shrinks a drawing wider than the paper to fit when printing, instead of cutting it off', async () => {
    const wide = renderHtmlReport([fakeExtract('John Smith works for Acme Corp in Boston. '.repeat(4))], { width: 150 });
    const printed = await browser.newPage({ viewport: { width: 700, height: 900 } });
    try {
      await printed.setContent(wide);
      await printed.emulateMedia({ media: 'print' });
      const [svg, figure] = await Promise.all(['svg.entrel-doc', 'figure'].map((s) => printed.locator(s).boundingBox()));
      assert.ok(svg && figure && svg.width > 300, 'drawn');
      assert.ok(svg.x + svg.width <= figure.x + figure.width, `drawing ${svg.x}+${svg.width} inside the figure ${figure.x}+${figure.width}`);
      assert.ok(Math.abs(svg.height / svg.width - Number(await printed.locator('svg.entrel-doc').getAttribute('height')) / Number(await printed.locator('svg.entrel-doc').getAttribute('width'))) < 0.01, 'in proportion');
    } finally {
      await printed.close();
    }
  });

  it('draws a saved SVG standalone: well-formed XML whatever the text holds, styled without a page', async () => {
    const doc = fakeExtract('John\vSmith works for Acme\u0001Corp in Boston.\fMary Jones lives in Paris \ud800.');
    assert.ok(doc.entities.some((e) => e.text.includes('\v')) && doc.relations.length > 0, 'doc.entities.some((e) => e.text.includes(\'\\v\')) && doc.relations.length > 0');
    const file = join(tempDir('entrel-svg-'), 'doc.svg');
    writeFileSync(file, renderDocumentSvg(doc));
    const standalone = await browser.newPage();
    try {
      await standalone.goto(`file://${file}`);
      assert.equal(await standalone.locator('parsererror').count(), 0, 'the file parses');
      const style = (sel: string, prop: string) => standalone.locator(sel).first().evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), prop);
      assert.equal(await style('path.arc', 'stroke'), 'rgb(85, 85, 85)', 'arcs are drawn');
      assert.equal(await style('rect.relation-label-bg', 'fill'), 'rgb(255, 255, 255)', 'labels are not black boxes');
      assert.match(await style('text.word', 'font-family'), /mono/i);
    } finally {
      await standalone.close();
    }
  });

  it('gives screen readers the entities and relations of a drawing as its description', async () => {
    await page.setContent(renderHtmlReport([fakeExtract('John Smith works for Acme Corp.')]));
    const cdp = await page.context().newCDPSession(page);
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { role?: { value: string }; name?: { value: string }; description?: { value: string } }[] };
    await cdp.detach();
    const image = nodes.find((n) => n.role?.value === 'image');
    assert.equal(image?.name?.value, '2 entities, 1 relation');
    assert.equal(image?.description?.value, 'Entities: John Smith (Peop), Acme Corp (Org). Relations: Work_For from John Smith to Acme Corp.');
  });

  it('renders the streamed `extract --in … --format html` page with a working JSON tab', async () => {
    const texts = ['Ann Lee met Bob Stone in Paris.', 'Carl Weiss works for Globex Inc in <Tokyo>.'];
    const out = join(tempDir('entrel-stream-html-'), 'out.html');
    const docs = async function* () {
      for (const [i, t] of texts.entries()) yield { id: `doc-${i}`, doc: fakeExtract(t) };
    };
    await writeExtractions(docs(), out, 'html');
    await page.setContent(readFileSync(out, 'utf8'));
    assert.equal(await page.locator('g.entity').count(), texts.reduce((n, t) => n + fakeExtract(t).entities.length, 0));
    assert.ok(await page.locator('.legend').isVisible(), 'await page.locator(\'.legend\').isVisible()');
    assert.ok(!(await page.locator('pre.json').first().isVisible()), '!(await page.locator(\'pre.json\').first().isVisible())');
    await page.click('[data-tab="json"]');
    assert.ok(!(await page.locator('svg.entrel-doc').first().isVisible()), 'the view is hidden');
    const shown = (await page.locator('pre.json').allTextContents()).map((j) => JSON.parse(j));
    assert.deepEqual(shown, texts.map((t, i) => ({ id: `doc-${i}`, ...fakeExtract(t) })));
    await page.click('[data-tab="view"]');
    assert.ok(await page.locator('svg.entrel-doc').first().isVisible(), 'await page.locator(\'svg.entrel-doc\').first().isVisible()');
    await page.screenshot({ path: 'artifacts/extract-html-stream.png', fullPage: true });
  });

  it('keeps keyboard focus on Extract while it works, and takes one extraction at a time', async () => {
    const slow = new FakeExtractor();
    // The extraction runs until the checks below let it end (a fixed delay of 300 ms could pass between two
    // key presses on a busy machine, making the second a new extraction).
    let finish = () => {};
    slow.busy = new Promise<void>((resolve) => (finish = resolve));
    const service = await startServer(slow, { port: 0 });
    try {
      await page.goto(`${service.url}/`);
      await page.fill('#text', 'John Smith works for Acme Corp.');
      await page.focus('#extract');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter'); // again while the first runs: ignored
      assert.equal(await page.locator('#extract').getAttribute('aria-disabled'), 'true', 'shown as busy');
      finish();
      await page.waitForFunction(() => document.getElementById('status')?.textContent === '2 entities, 1 relation');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'extract', 'focus stays where the user was');
      assert.equal(await page.locator('#extract').getAttribute('aria-disabled'), null);
      assert.equal(slow.calls.length, 1);
    } finally {
      finish();
      await service.app.close();
      const mine = foreignRequests.filter((u) => !u.startsWith(service.url));
      foreignRequests.splice(0, foreignRequests.length, ...mine);
    }
  });

  it('says "1 relation" and "1 entity" in the status line', async () => {
    await page.goto(`${server.url}/`);
    for (const [input, status] of [['John Smith works for Acme Corp.', '2 entities, 1 relation'], ['John works.', '1 entity, 0 relations']]) {
      await page.fill('#text', input);
      await page.click('#extract');
      await page.waitForFunction((s) => document.getElementById('status')?.textContent === s, status);
    }
    assert.match((await page.locator('figcaption').textContent()) as string, /: 1 entity, 0 relations$/);
  });

  it('pages name an inline icon (no /favicon.ico 404) that their CSP lets load, without console errors', async () => {
    const fresh = await browser.newPage();
    const errors: string[] = [];
    const asked: string[] = [];
    fresh.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    fresh.on('pageerror', (e) => errors.push(e.message));
    fresh.on('request', (r) => asked.push(new URL(r.url()).pathname));
    await fresh.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP: ${e.violatedDirective} ${e.blockedURI}`)),
    );
    const icons: (string | null)[] = [];
    try {
      await fresh.goto(`${server.url}/`, { waitUntil: 'networkidle' });
      icons.push(await fresh.locator('head link[rel="icon"]').getAttribute('href', { timeout: 10_000 }));
      await fresh.setContent(renderHtmlReport([fakeExtract('Ann Lee met Bob Stone in Paris.')]), { waitUntil: 'networkidle' });
      icons.push(await fresh.locator('head link[rel="icon"]').getAttribute('href', { timeout: 10_000 }));
    } finally {
      await fresh.close();
    }
    assert.deepEqual(icons, ['data:,', 'data:,']);
    assert.deepEqual(errors, []);
    assert.ok(!asked.includes('/favicon.ico'), `requests: ${asked.join(', ')}`);
  });

  it('loaded nothing from outside the service', () => {
    assert.deepEqual(foreignRequests, []);
  });
});
