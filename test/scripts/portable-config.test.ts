import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../src/train/config.js';
import { portableConfig } from '../../scripts/portable-config.js';

test('the bundled model\'s trainConfig names every path relative to the repository, data.types and word vectors too (review 18a finding 10)', () => {
  const repo = '/build/entrel';
  const config = parseConfig({
    data: { train: ['/build/shared/data/train.json', '/build/shared/data/dev.json'], dev: '/build/shared/data/dev.json', test: '/build/shared/data/test.json', types: '/build/shared/data/types.json' },
    embeddings: '/build/entrel/vectors/glove.txt',
    init: '/build/entrel/runs/nn/best',
  });
  const portable = portableConfig(config, repo);
  assert.deepEqual(portable.data, {
    ...config.data,
    train: ['../shared/data/train.json', '../shared/data/dev.json'],
    dev: '../shared/data/dev.json',
    test: '../shared/data/test.json',
    types: '../shared/data/types.json',
  });
  assert.deepEqual([portable.embeddings, portable.init], ['vectors/glove.txt', 'runs/nn/best']);
  assert.ok(!JSON.stringify(portable).includes('/build/'), `no absolute path: ${JSON.stringify(portable)}`);
  // What the config does not set stays unset (not a key holding undefined).
  const plain = portableConfig(parseConfig({ data: { train: '/build/entrel/a.json', dev: '/build/entrel/b.json' } }), repo);
  assert.deepEqual(plain.data.train, ['a.json']);
  assert.deepEqual(['test', 'types', 'init', 'embeddings'].filter((k) => Object.hasOwn(plain.data, k) || Object.hasOwn(plain, k)), []);
});
