/** GET /v1/model tells deployments apart by the model's checksum and shows no path of the training machine. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { ModelInfo } from '../../src/extract/types.js';
import { buildServer } from '../../src/server/index.js';
import { FakeExtractor } from './fake-extractor.js';

/** As the bundled model's meta records its metrics; `checksum` as Extractor.info() gives it. */
class TrainedFake extends FakeExtractor {
  constructor(private readonly checksum?: string) {
    super();
  }
  override info(): ModelInfo {
    return {
      ...super.info(),
      ...(this.checksum !== undefined && { checksum: this.checksum }),
      metrics: {
        test: { file: '../shared/data/conll04/unified/test.CoNLL04.json', entityF1: 86.3, relationStrictF1: 63.8 },
        dev: { files: ['/home/alice/data/dev.json', 'C:\\Users\\bob\\dev2.json'], note: 'best of 3 runs / seed 1' },
      },
    };
  }
}

const checksumFile = (weights: string) =>
  `d961b83cb841af38c45c7da83b9a1eb5f0ad3f5c2f70e5870b41b5720e43c12c  config.json\n${weights}  weights.safetensors\n`;

async function modelInfo(checksum?: string) {
  const app = buildServer(new TrainedFake(checksum));
  try {
    const res = await app.inject({ url: '/v1/model' });
    assert.equal(res.statusCode, 200);
    return res.json();
  } finally {
    await app.close();
  }
}

describe('GET /v1/model', () => {
  it("answers the model's checksum, as the Extractor gives it, and none for a model without one", async () => {
    const a = createHash('sha256').update(checksumFile('58c2a3ce655c7c5d65584323ce05222951150f050f246c437b329cda94cc22ff')).digest('hex');
    assert.equal((await modelInfo(a)).checksum, a);
    assert.equal('checksum' in (await modelInfo()), false, 'none for a model without a checksum file (fromModel)');
  });

  it('reduces file paths in the metrics to their base name, and keeps the rest', async () => {
    const info = await modelInfo();
    assert.deepEqual(info.metrics, {
      test: { file: 'test.CoNLL04.json', entityF1: 86.3, relationStrictF1: 63.8 },
      dev: { files: ['dev.json', 'dev2.json'], note: 'best of 3 runs / seed 1' },
    });
    assert.doesNotMatch(JSON.stringify(info), /shared|alice|Users/);
    assert.equal(info.name, 'fake');
    assert.equal(info.trainedOn, 'nothing');
  });

  it("lists an ensemble's models, with their checksums", async () => {
    const sum = (x: string) => createHash('sha256').update(x).digest('hex');
    class EnsembleFake extends FakeExtractor {
      override info(): ModelInfo {
        return { ...super.info(), name: 'ensemble of 2', checksum: sum('ab'), members: [{ name: 'a', version: '1', checksum: sum('a') }, { name: 'b', version: '2' }] };
      }
    }
    const app = buildServer(new EnsembleFake());
    try {
      const info = (await app.inject({ url: '/v1/model' })).json();
      assert.deepEqual(info.members, [{ name: 'a', version: '1', checksum: sum('a') }, { name: 'b', version: '2' }]);
      const spec = (await app.inject({ url: '/openapi.json' })).json();
      assert.match(spec.paths['/v1/model'].get.responses['200'].content['application/json'].schema.properties.members.description, /ensemble/);
    } finally {
      await app.close();
    }
  });

  it('is described with its checksum in the OpenAPI document', async () => {
    const app = buildServer(new FakeExtractor());
    try {
      const spec = (await app.inject({ url: '/openapi.json' })).json();
      const schema = spec.paths['/v1/model'].get.responses['200'].content['application/json'].schema;
      assert.equal(schema.properties.checksum.type, 'string');
      assert.equal(schema.properties.checksum.pattern, '^[0-9a-f]{64}$');
      assert.match(schema.properties.metrics.description, /base name/);
    } finally {
      await app.close();
    }
  });
});
