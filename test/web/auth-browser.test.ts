/**
 * The web view of a server that requires API keys, in a real browser (Debian's chromium, as in
 * browser.test.ts): the page asks for the key, says clearly when it is missing or wrong, sends it as
 * `Authorization: Bearer` to both API calls, keeps it in this tab's sessionStorage and never in the URL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { launchChromium } from './chromium.js';
import { FakeExtractor, fakeExtract } from '../server/fake-extractor.js';

const KEY = 'browser-key-0123456789abcdef';
const text = 'John Smith works for Acme Corp in Boston.';

describe('web view with API keys, in chromium', () => {
  let browser: Browser;
  let server: RunningServer;
  let page: Page;
  const fake = new FakeExtractor();
  /** Every request the page made: URL and Authorization header. */
  const sent: { url: string; authorization?: string }[] = [];
  const problems: string[] = [];

  before(async () => {
    browser = await launchChromium();
    server = await startServer(fake, { port: 0, apiKeys: [KEY, 'another-key-0123456789abcdef'] });
    page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    page.on('request', (r) => sent.push({ url: r.url(), authorization: r.headers().authorization }));
    page.on('console', (m) => m.type() === 'error' && !/status of 401/.test(m.text()) && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP: ${e.violatedDirective} ${e.blockedURI}`)),
    );
  });

  after(async () => {
    await browser?.close();
    await server?.app.close();
  });

  async function extractAndWait(): Promise<string> {
    await page.click('#extract');
    await page.waitForFunction(() => {
      const s = document.getElementById('status');
      return s?.className === 'error' || /relations?$/.test(s?.textContent ?? '');
    });
    return (await page.locator('#status').textContent()) as string;
  }

  it('shows an API key field, and without a key says that one is needed', async () => {
    await page.goto(`${server.url}/`);
    assert.ok(await page.locator('#apikey').isVisible(), 'await page.locator(\'#apikey\').isVisible()');
    assert.equal(await page.locator('#apikey').getAttribute('type'), 'password');
    await page.fill('#text', text);
    assert.equal(await extractAndWait(), 'This server needs an API key: enter it in the API key field.');
    assert.equal(await page.locator('#status').getAttribute('class'), 'error');
    assert.equal(await page.locator('#apikey').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('svg.entrel-doc').count(), 0);
    assert.equal(fake.calls.length, 0);
  });

  it('says so when the key is wrong', async () => {
    await page.fill('#apikey', 'wrong-key-0123456789abcdef');
    assert.equal(await page.locator('#apikey').getAttribute('aria-invalid'), null, 'typing clears the mark');
    assert.equal(await extractAndWait(), "The API key was not accepted (401): check it, or ask the server's operator for one.");
    assert.equal(await page.locator('#apikey').getAttribute('aria-invalid'), 'true');
    assert.equal(fake.calls.length, 0);
  });

  it('with the right key, extracts and draws, sending it to /v1/extract and /v1/render as a Bearer header', async () => {
    sent.length = 0;
    await page.fill('#apikey', KEY);
    assert.equal(await extractAndWait(), '3 entities, 2 relations');
    assert.equal(await page.locator('g.entity').count(), fakeExtract(text).entities.length);
    const calls = sent.filter((s) => new URL(s.url).pathname.startsWith('/v1/'));
    assert.deepEqual(calls.map((c) => [new URL(c.url).pathname, c.authorization]), [
      ['/v1/extract', `Bearer ${KEY}`],
      ['/v1/render', `Bearer ${KEY}`],
    ]);
  });

  it('keeps the key in this tab only (sessionStorage), never in the URL, a cookie or localStorage', async () => {
    await page.reload();
    assert.equal(await page.inputValue('#apikey'), KEY, 'still there after a reload');
    const stored = await page.evaluate(() => ({
      session: sessionStorage.getItem('entrel-api-key'),
      local: localStorage.length,
      cookie: document.cookie,
      url: location.href,
    }));
    assert.deepEqual({ ...stored, url: undefined }, { session: KEY, local: 0, cookie: '', url: undefined });
    assert.ok(!stored.url.includes(KEY), '!stored.url.includes(KEY)');
    // Enter in the key field submits the form the script's way (no navigation with the key in the URL).
    await page.fill('#text', 'Ann Lee met Bob Stone.');
    await page.focus('#apikey');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /relations?$/.test(document.getElementById('status')?.textContent ?? ''));
    assert.ok(sent.every((s) => !s.url.includes(KEY)), sent.map((s) => s.url).join(', '));
    // Another tab starts without it.
    const other = await browser.newPage();
    try {
      await other.goto(`${server.url}/`);
      assert.equal(await other.inputValue('#apikey'), '');
    } finally {
      await other.close();
    }
    // Clearing the field forgets it.
    await page.fill('#apikey', '');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('entrel-api-key')), null);
  });

  it('has no console errors or CSP violations but the 401s asked for', () => {
    assert.deepEqual(problems, []);
  });
});
