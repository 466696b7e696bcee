/** Training splits read from one file or several (the bundled model trains on train + dev). */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { loadSplit } from '../../src/train/data.js';

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));

test('loadSplit of a list concatenates documents and sentences in order and merges the schemas', async () => {
  const a = await loadSplit(fixture('tiny-train.json'), { format: 'unified' });
  const b = await loadSplit(fixture('tiny-dev.json'), { format: 'unified' });
  const both = await loadSplit([fixture('tiny-train.json'), fixture('tiny-dev.json')], { format: 'unified' });
  assert.equal(both.documents.length, a.documents.length + b.documents.length);
  assert.deepEqual(both.sentences, [...a.sentences, ...b.sentences]);
  assert.equal(both.file, `${a.file}, ${b.file}`);
  assert.deepEqual(new Set(both.schema.entityTypes), new Set([...a.schema.entityTypes, ...b.schema.entityTypes]));
  assert.deepEqual(await loadSplit([fixture('tiny-train.json')], { format: 'unified' }), a);
});
