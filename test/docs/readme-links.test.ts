/**
 * The README's links stay true as it changes: every `(#anchor)` names a heading (GitHub's slug of it), and
 * every relative link or image names a file of the repository.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** Markdown with its fenced code blocks blanked out (a `#` there is no heading, a `](x)` no link). */
const prose = readme.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');

/** GitHub's anchor of a heading: lower case, punctuation (backticks, §, –, …) dropped, spaces as hyphens; repeats get -1, -2. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, title] of markdown.matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = title.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

test('every in-page link of the README names one of its headings', () => {
  const known = anchors(prose);
  const links = [...prose.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
  assert.ok(links.length >= 10, `the contents list links the sections (${links.length} links)`);
  assert.deepEqual(links.filter((a) => !known.has(a)), []);
});

test('every relative link and image of the README names a file of the repository', () => {
  const targets = [...prose.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/i.test(t));
  assert.ok(targets.length > 0, 'targets.length > 0');
  assert.deepEqual(targets.filter((t) => !existsSync(join(root, t))), []);
});
