/**
 * API keys change while the server runs: `replaceApiKeys` in a program, and `entrel serve --api-key-file`
 * reading its file again on SIGHUP. A revoked key gets 401 from the next request on, a new one works, a
 * bad file changes nothing. And the startup warning of a server any network client can use.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { apiKeysFrom, exposureWarning, reloadKeysOnHangup } from '../../src/cli/commands/serve.js';
import { buildServer, replaceApiKeys } from '../../src/server/index.js';
import { tempDir } from '../temp-dir.js';
import { FakeExtractor } from './fake-extractor.js';

const [ALICE, BOB, CAROL, DAVE] = ['alice', 'bob', 'carol', 'dave'].map((name) => `${name}-key-0123456789abcdef`);

const extract = async (app: FastifyInstance, key: string) =>
  (await app.inject({ method: 'POST', url: '/v1/extract', payload: { text: 'Ann met Bob.' }, headers: { authorization: `Bearer ${key}` } })).statusCode;
const predict = async (app: FastifyInstance, key: string) =>
  (await app.inject({ method: 'POST', url: '/labelstudio/predict', payload: { tasks: [{ data: { text: 'Ann met Bob.' } }] }, headers: { authorization: `Basic ${Buffer.from(`user:${key}`).toString('base64')}` } }))
    .statusCode;

const refused = (message: RegExp) => (e: Error) => e.name === 'UserError' && message.test(e.message);

describe('replaceApiKeys', () => {
  it('revokes a key and admits a new one from the next request on, Bearer and Basic alike', async () => {
    const app = buildServer(new FakeExtractor(), { apiKeys: [ALICE, BOB] });
    try {
      assert.deepEqual([await extract(app, ALICE), await extract(app, DAVE)], [200, 401]);
      replaceApiKeys(app, [BOB, DAVE]);
      assert.deepEqual([await extract(app, ALICE), await extract(app, BOB), await extract(app, DAVE)], [401, 200, 200]);
      assert.deepEqual([await predict(app, ALICE), await predict(app, DAVE)], [401, 200]);
    } finally {
      await app.close();
    }
  });

  it('keeps the rate limit count of a key that stays', async () => {
    const app = buildServer(new FakeExtractor(), { apiKeys: [ALICE, BOB], rateLimit: 2 });
    try {
      assert.deepEqual([await extract(app, BOB), await extract(app, BOB)], [200, 200]);
      replaceApiKeys(app, [CAROL, BOB]);
      assert.equal(await extract(app, BOB), 429);
      assert.equal(await extract(app, CAROL), 200, 'a new key has a count of its own');
    } finally {
      await app.close();
    }
  });

  it('refuses bad keys, no keys, or keys for a server started without them, and keeps the keys in use', async () => {
    const keyed = buildServer(new FakeExtractor(), { apiKeys: [ALICE] });
    const open = buildServer(new FakeExtractor());
    try {
      assert.throws(() => replaceApiKeys(keyed, [DAVE, 'short']), refused(/^apiKeys\[1\]: an API key must have at least 16 characters; this one has 5$/));
      assert.throws(() => replaceApiKeys(keyed, []), refused(/^apiKeys: no key given; a server that requires keys cannot drop them while it runs \(restart it without apiKeys\)$/));
      assert.deepEqual([await extract(keyed, ALICE), await extract(keyed, DAVE)], [200, 401]);
      assert.throws(() => replaceApiKeys(open, [DAVE]), refused(/^apiKeys: this server was started without API keys; /));
    } finally {
      await keyed.close();
      await open.close();
    }
  });
});

describe('entrel serve: SIGHUP reads the key file again', () => {
  it('puts the file\'s keys in force, and keeps the keys in use when the file is bad', async () => {
    const file = join(tempDir('entrel-keys-'), 'keys.txt');
    writeFileSync(file, `${ALICE}\n${BOB}\n${CAROL}\n`);
    const app = buildServer(new FakeExtractor(), { apiKeys: (await apiKeysFrom(file)).keys });
    const said: string[] = [];
    const hangUp = async () => {
      const before = said.length;
      process.emit('SIGHUP', 'SIGHUP');
      while (said.length === before) await new Promise((r) => setTimeout(r, 5));
      return said[said.length - 1];
    };
    const stop = reloadKeysOnHangup(app, file, (line) => void said.push(line));
    try {
      // The review's case: alice's line deleted, dave's added.
      writeFileSync(file, `# alice left\n${BOB}\n${CAROL}\n${DAVE}\n`);
      assert.equal(await hangUp(), `entrel: SIGHUP: 3 API keys from ${file} now in force\n`);
      assert.deepEqual([await extract(app, ALICE), await extract(app, DAVE)], [401, 200]);

      writeFileSync(file, `${BOB}\ntoo-short\n`);
      assert.equal(await hangUp(), `entrel: SIGHUP: ${file}:2: an API key must have at least 16 characters; this one has 9; the API keys in use are kept\n`);
      assert.deepEqual([await extract(app, DAVE), await extract(app, CAROL)], [200, 200]);
    } finally {
      stop();
      await app.close();
    }
    assert.equal(process.listenerCount('SIGHUP'), 0);
  });
});

describe('the warning of a server without API keys', () => {
  it('warns for every address beyond loopback, and never with keys', () => {
    const everywhere = 'entrel: warning: every interface and no API key: anyone who can reach this machine can use the service (--api-key-file, or ENTREL_API_KEYS)\n';
    assert.equal(exposureWarning('0.0.0.0', false), everywhere);
    assert.equal(exposureWarning('::', false), everywhere);
    for (const host of ['192.168.1.10', '10.0.0.5', 'fd00::1', 'myhost.example']) {
      assert.equal(exposureWarning(host, false), `entrel: warning: ${host} is not a loopback address, and no API key: anyone who can reach this machine can use the service (--api-key-file, or ENTREL_API_KEYS)\n`);
      assert.equal(exposureWarning(host, true), undefined);
    }
    for (const host of ['127.0.0.1', '127.0.1.1', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST']) assert.equal(exposureWarning(host, false), undefined, host);
  });
});
