/**
 * `--json` on stdout is read by people too: the controls JSON.stringify leaves as they are (DEL, C1 such as
 * U+009B, the 8-bit CSI of some terminals, and the bidi overrides and isolates) are printed as `\u…`
 * escapes, the same JSON value; C0 controls JSON escapes itself.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatExtraction } from '../../src/cli/extract-table.js';
import { printableJson } from '../../src/errors.js';
import { tempDir } from '../temp-dir.js';
import { entrelFromSource } from './processes.js';

/** What a terminal would act on, but a line break (a pretty-printed JSON's own). */
const ACTS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const HOSTILE = 'x\u009b2J\u009d0;TITLE\u0007\u007f\u202eabc\u2066d\u2069';

describe('printableJson', () => {
  it('escapes DEL, C1 and the bidi controls of the strings, and the JSON reads back to the same value', () => {
    const value = { text: HOSTILE, [`key\u202e`]: ['\u0085', 1] };
    const json = printableJson(JSON.stringify(value, null, 2));
    assert.doesNotMatch(json, ACTS, json);
    assert.match(json, /x\\u009b2J\\u009d0;TITLE\\u0007\\u007f\\u202eabc\\u2066d\\u2069/);
    assert.deepEqual(JSON.parse(json), value);
  });

  it('leaves other text as JSON.stringify wrote it: any script, emoji, marks, U+2028, a backslash', () => {
    const value = { s: 'Müller–Øresund שלום 東京 👩‍🔬 e\u0301 \u2028 C:\\data \u200e' };
    assert.equal(printableJson(JSON.stringify(value)), JSON.stringify(value));
  });
});

describe('--json on stdout', () => {
  it('entrel stats --json prints the names of a hostile file escaped, the same JSON', () => {
    const file = join(tempDir('entrel-json-terminal-'), 'hostile.unified.json');
    writeFileSync(file, JSON.stringify([{ tokens: ['John', 'works', '.'], entities: [[0, 1, 'Peop\u009b'], [1, 2, 'Org']], relations: [[0, 1, 1, 2, HOSTILE]] }]));
    const r = entrelFromSource('stats', file, '--json');
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, ACTS, JSON.stringify(r.out));
    const stats = JSON.parse(r.out) as { entities: { byType: Record<string, number> }; relations: { byType: Record<string, number> } };
    assert.deepEqual(Object.keys(stats.entities.byType).sort(), ['Org', 'Peop\u009b']);
    assert.deepEqual(Object.keys(stats.relations.byType), [HOSTILE]);
  });

  it('entrel extract --json prints a text with controls escaped, the document the same', { timeout: 120_000 }, () => {
    const text = `John Smith\u009b works for \u202eAcme Corp in Boston.`;
    const r = entrelFromSource('extract', '--json', text);
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, ACTS, JSON.stringify(r.out));
    assert.equal((JSON.parse(r.out) as { text: string }).text, text);
  });
});

describe('entrel extract without --json', () => {
  it('shows an entity text with a control or a bidi override as spaces, so the table stays in order', () => {
    const text = 'Ann\u202e Lee met Bob\u009b Ray.';
    const entity = (id: string, start: number, end: number) => ({ id, text: text.slice(start, end), type: 'Peop', start, end, sentence: 0, tokenStart: 0, tokenEnd: 1, score: 0.9 });
    const table = formatExtraction({ text, sentences: [], entities: [entity('T1', 0, 8), entity('T2', 13, 21)], relations: [{ type: 'Kill', head: 'T1', tail: 'T2', score: 0.8 }] });
    assert.doesNotMatch(table, ACTS, JSON.stringify(table));
    assert.match(table, /T1 Ann {2}Lee/);
    assert.match(table, /T2 Bob {2}Ray/);
  });
});
