/**
 * The `entrel view --gold` page in a real browser (Debian's chromium through playwright-core): marks
 * that show, a stacked missed entity clear of the line above, what a screen reader hears, the JSON tab.
 * Saves artifacts/view-compare.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { loadCorpus } from '../../src/data/formats/index.js';
import { compareCorpora, renderComparisonHtml } from '../../src/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/view/${name}`, import.meta.url));

describe('comparison page in chromium', () => {
  let browser: Browser;
  let page: Page;

  before(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const gold = await loadCorpus(fixture('gold.jsonl'));
    const pred = await loadCorpus(fixture('pred.jsonl'));
    const { report, documents } = compareCorpora(gold.documents, pred.documents, { schema: gold.schema });
    await page.setContent(renderComparisonHtml([...documents], { scores: report, title: 'pred.jsonl against gold.jsonl' }));
  });

  after(async () => {
    await browser?.close();
  });

  it('draws missed items dashed and hollow, spurious ones thick and red with ✗, correct ones solid', async () => {
    const style = (sel: string) =>
      page.locator(sel).first().evaluate((el) => {
        const s = getComputedStyle(el);
        return { dash: s.strokeDasharray, width: s.strokeWidth, fill: s.fill, stroke: s.stroke };
      });
    const missed = await style('figure g.entity.missed rect');
    assert.notEqual(missed.dash, 'none');
    assert.equal(missed.fill, 'rgb(255, 255, 255)');
    const spurious = await style('figure g.entity.spurious rect');
    assert.equal(spurious.dash, 'none');
    assert.equal(spurious.width, '3px');
    assert.equal(spurious.stroke, 'rgb(176, 0, 32)');
    const correct = await style('figure g.entity.correct rect');
    assert.equal(correct.dash, 'none');
    assert.notEqual(correct.fill, 'rgb(255, 255, 255)');
    assert.notEqual((await style('figure g.relation.missed path.arc')).dash, 'none');
    assert.ok(await page.locator('figure text.entity-type', { hasText: '✗ Org' }).isVisible(), 'await page.locator(\'figure text.entity-type\', { hasText: \'✗ Org\' }).isVisible()');
    assert.ok(await page.locator('figure text.relation-label', { hasText: '✗ OrgBased_In' }).isVisible(), 'await page.locator(\'figure text.relation-label\', { hasText: \'✗ OrgBased_In\' }).isVisible()');
  });

  it('stacks a missed entity below the predicted one it overlaps, clear of its box and tag', async () => {
    const box = (type: string, status: string) => page.locator(`figure g.entity.${status}[data-type="${type}"]`, { hasText: 'Boston' });
    const [line, tag, stacked] = await Promise.all([
      box('Org', 'spurious').locator('rect').boundingBox(),
      box('Org', 'spurious').locator('text.entity-type').boundingBox(),
      box('Loc', 'missed').locator('rect').boundingBox(),
    ]);
    assert.ok(line && tag && stacked, 'line && tag && stacked');
    assert.ok(stacked.y > tag.y + tag.height, `stacked box at ${stacked.y}, the tag above ends at ${tag.y + tag.height}`);
    assert.ok(Math.abs(stacked.x - line.x) < 1, 'under the same text');
  });

  it('tells a screen reader the status of every item', async () => {
    const cdp = await page.context().newCDPSession(page);
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { role?: { value: string }; description?: { value: string } }[] };
    await cdp.detach();
    const images = nodes.filter((n) => n.role?.value === 'image').map((n) => n.description?.value ?? '');
    assert.equal(images.length, 3);
    assert.equal(
      images[0],
      'Entities: John Smith (Peop, correct), works (Other, spurious), Acme Corp (Org, correct), Boston (Org, spurious), Boston (Loc, missed). ' +
        'Relations: OrgBased_In from John Smith (Peop) to Acme Corp (Org), spurious; Live_In from John Smith (Peop) to Boston (Org), spurious; ' +
        'Work_For from John Smith (Peop) to Acme Corp (Org), missed; OrgBased_In from Acme Corp (Org) to Boston (Loc), missed; ' +
        'Live_In from John Smith (Peop) to Boston (Loc), missed.',
    );
  });

  it('shows each item with its status in the JSON tab', async () => {
    mkdirSync('artifacts', { recursive: true });
    await page.screenshot({ path: 'artifacts/view-compare.png', fullPage: true });
    await page.click('[data-tab="json"]');
    const shown = (await page.locator('pre.json').allTextContents()).map((j) => JSON.parse(j));
    assert.deepEqual(shown.map((d) => d.id), ['d1', 'd2', 'd3']);
    assert.ok(shown.every((d) => [...d.entities, ...d.relations].every((x: { status?: string }) => ['correct', 'spurious', 'missed'].includes(x.status ?? ''))), 'shown.every((d) => [...d.entities, ...d.relations].every((x: { status?: string }) => [\'correct\', ...');
    assert.ok(!(await page.locator('svg.entrel-doc').first().isVisible()), 'the view is hidden');
    await page.click('[data-tab="view"]');
  });
});
