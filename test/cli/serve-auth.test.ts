/**
 * `entrel serve --api-key-file FILE` / `ENTREL_API_KEYS` and `--rate-limit N`: bad keys are one-line errors
 * naming the file and line (never the key), given before the model loads; the served service (the built
 * bin/entrel.js, so `npm run build` first) requires the keys, limits, says both on its startup line and
 * prints no key anywhere.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { apiKeysFrom } from '../../src/cli/commands/serve.js';
import { trainTinyModelDir } from '../extract/tiny-model.js';
import { entrel } from './in-process.js';
import { startServe } from './processes.js';
import { tempDir } from '../temp-dir.js';

const work = tempDir('entrel-serve-auth-');
const KEY_A = 'cli-key-a-0123456789abcdef';
const KEY_B = 'cli-key-b-0123456789abcdef';
const keyFile = join(work, 'keys.txt');
writeFileSync(keyFile, `# keys for the test\n\n${KEY_A}\n  ${KEY_B}  \n`);

/** A file in the work directory with this content. */
function file(name: string, content: string): string {
  const path = join(work, name);
  writeFileSync(path, content);
  return path;
}

/** `ENTREL_API_KEYS` set to `value` (or unset) while `f` runs. */
async function withEnv<T>(value: string | undefined, f: () => Promise<T>): Promise<T> {
  const saved = process.env.ENTREL_API_KEYS;
  if (value === undefined) delete process.env.ENTREL_API_KEYS;
  else process.env.ENTREL_API_KEYS = value;
  try {
    return await f();
  } finally {
    if (saved === undefined) delete process.env.ENTREL_API_KEYS;
    else process.env.ENTREL_API_KEYS = saved;
  }
}

describe('entrel serve: API key and rate limit flags (in process)', () => {
  // Each error comes before the model would load (a --model that does not exist would say so otherwise).
  const serve = (...args: string[]) => entrel('serve', '--model', join(work, 'no-such-model'), '--port', '0', ...args);

  it('refuses a missing key file, a directory or an empty name, in one line', async () => {
    const missing = join(work, 'missing.txt');
    assert.deepEqual(await serve('--api-key-file', missing), { code: 1, err: `entrel: ${missing}: cannot read this API key file: no such file or directory (ENOENT)\n` });
    mkdirSync(join(work, 'a-dir'), { recursive: true });
    assert.deepEqual(await serve('--api-key-file', join(work, 'a-dir')), { code: 1, err: `entrel: ${join(work, 'a-dir')}: cannot read this API key file: it is a directory (EISDIR)\n` });
    assert.deepEqual(await serve('--api-key-file', ''), { code: 1, err: 'entrel: --api-key-file is empty (an unset shell variable?)\n' });
  });

  it('refuses a key file that is a FIFO, a device or over 1 MiB, without waiting or filling memory', async () => {
    const fifo = join(work, 'keys.fifo');
    execFileSync('mkfifo', [fifo]);
    assert.deepEqual(await serve('--api-key-file', fifo), { code: 1, err: `entrel: ${fifo}: cannot read this API key file: it is a FIFO (named pipe), not a regular file\n` });
    assert.deepEqual(await serve('--api-key-file', '/dev/zero'), { code: 1, err: 'entrel: /dev/zero: cannot read this API key file: it is a device, not a regular file\n' });
    const big = file('big.txt', `${KEY_A}\n`.repeat(43_000));
    assert.deepEqual(await serve('--api-key-file', big), { code: 1, err: `entrel: ${big}: cannot read this API key file: it is 1.1 MiB, more than the 1 MiB an API key file may have\n` });
  });

  it('refuses a short key, naming the file and line but not the key', async () => {
    const f = file('short.txt', `# comment\n${KEY_A}\n\nsecret\n`);
    const r = await serve('--api-key-file', f);
    assert.deepEqual(r, { code: 1, err: `entrel: ${f}:4: an API key must have at least 16 characters; this one has 6\n` });
    const spaced = file('spaced.txt', `${KEY_A} ${KEY_B}\n`);
    const s = await serve('--api-key-file', spaced);
    assert.equal(s.code, 1);
    assert.match(s.err, new RegExp(`^entrel: ${spaced.replace(/[.]/g, '\\.')}:1: an API key may only have the characters A-Z a-z 0-9 - \\. _ ~ \\+ / \\(and = at the end\\), as a Bearer token\\n$`));
    assert.ok(!s.err.includes(KEY_A), '!s.err.includes(KEY_A)');
  });

  it('refuses a file with no key (empty, or only comments and blank lines)', async () => {
    for (const content of ['', '# none yet\n\n   \n']) {
      const f = file('empty.txt', content);
      assert.deepEqual(await serve('--api-key-file', f), {
        code: 1,
        err: `entrel: ${f}: no API key in the file (one a line; blank lines and # comments are skipped)\n`,
      });
    }
  });

  it('refuses a bad ENTREL_API_KEYS the same way, unless --api-key-file is given', async () => {
    assert.deepEqual(await withEnv('', () => serve()), {
      code: 1,
      err: 'entrel: ENTREL_API_KEYS is empty (an unset shell variable?); unset it to serve without API keys\n',
    });
    assert.deepEqual(await withEnv(`${KEY_A},short-one`, () => serve()), {
      code: 1,
      err: 'entrel: ENTREL_API_KEYS: key 2: an API key must have at least 16 characters; this one has 9\n',
    });
    assert.deepEqual(await withEnv(' , ', () => serve()), { code: 1, err: 'entrel: ENTREL_API_KEYS has no API key (comma-separated keys expected)\n' });
    // With a good file, the variable is not read: the error is now the missing model's.
    const r = await withEnv('short', () => serve('--api-key-file', keyFile));
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.err, /ENTREL_API_KEYS/);
    assert.match(r.err, /no-such-model/);
  });

  it('refuses a --rate-limit that is not a whole number ≥ 0', async () => {
    for (const v of ['-1', '1.5', 'ten', '']) {
      const r = await serve('--rate-limit', v);
      assert.equal(r.code, 1, v);
      assert.equal(r.err, `entrel: option '--rate-limit <n>' argument '${v}' is invalid. expected a non-negative integer (see entrel serve --help)\n`);
    }
  });

  it('refuses a --trust-proxy that names no address or range, before the model loads', async () => {
    for (const [v, message] of [
      ['10.0.0.0/40', '--trust-proxy: "10.0.0.0/40": the prefix length of an IPv4 range must be a whole number from 1 to 32'],
      ['loopback,nginx', '--trust-proxy: "nginx" is not an IP address, an address/prefix range or one of loopback, linklocal, uniquelocal'],
    ]) {
      assert.deepEqual(await serve('--trust-proxy', v), { code: 1, err: `entrel: ${message}\n` });
    }
    const empty = await serve('--trust-proxy', ' , ');
    assert.equal(empty.code, 1);
    assert.match(empty.err, /^entrel: option '--trust-proxy <addresses>' argument ' , ' is invalid\. expected proxy addresses or ranges/);
  });

  it('takes the keys from --api-key-file, else ENTREL_API_KEYS, else none', async () => {
    assert.deepEqual(await apiKeysFrom(keyFile, { ENTREL_API_KEYS: 'ignored-key-0123456789' }), { keys: [KEY_A, KEY_B], source: keyFile });
    assert.deepEqual(await apiKeysFrom(undefined, { ENTREL_API_KEYS: ` ${KEY_B}, ${KEY_A} ` }), { keys: [KEY_B, KEY_A], source: 'ENTREL_API_KEYS' });
    assert.deepEqual(await apiKeysFrom(undefined, {}), { keys: [] });
  });
});

describe('entrel serve with API keys and a rate limit (built bin)', () => {
  let model: string;
  before(() => {
    model = trainTinyModelDir();
  });

  /** `entrel serve` of the tiny model on this thread, with ENTREL_API_KEYS only as `env` sets it. */
  async function start(args: string[], env: NodeJS.ProcessEnv = {}) {
    const childEnv = { ...process.env, ...env };
    if (env.ENTREL_API_KEYS === undefined) delete childEnv.ENTREL_API_KEYS;
    return startServe(['--model', model, '--port', '0', '--workers', '0', ...args], { cwd: work, env: childEnv });
  }

  const post = (url: string, key?: string) =>
    fetch(`${url}/v1/extract`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key && { authorization: `Bearer ${key}` }) },
      body: JSON.stringify({ text: 'Dan works for Acme Corp .' }),
    });

  it('--api-key-file and --rate-limit: 401 without a key, 200 with either, 429 beyond the limit; no key printed', async () => {
    const { url, out, stop } = await start(['--api-key-file', keyFile, '--rate-limit', '2', '--log']);
    try {
      assert.match(
        out.err,
        /^entrel: serving tiny 9\.9\.9 on http:\/\/127\.0\.0\.1:\d+ \(model on the server thread; API key required \(2 keys from .*keys\.txt\); rate limit 2 requests a minute per API key; Ctrl-C to stop\)$/m,
      );
      assert.equal((await fetch(`${url}/health`)).status, 200);
      assert.equal((await fetch(`${url}/`)).status, 200);
      const denied = await post(url);
      assert.equal(denied.status, 401);
      assert.equal(denied.headers.get('www-authenticate'), 'Bearer');
      assert.equal(((await denied.json()) as { error: { code: string } }).error.code, 'unauthorized');
      assert.equal((await post(url, 'not-a-key-0123456789abcdef')).status, 401);
      const ok = await post(url, KEY_A);
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('x-ratelimit-limit'), '2');
      assert.equal((await post(url, KEY_A)).status, 200);
      const limited = await post(url, KEY_A);
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get('retry-after')) >= 1, 'Number(limited.headers.get(\'retry-after\')) >= 1');
      assert.equal(((await limited.json()) as { error: { code: string } }).error.code, 'rate_limited');
      assert.equal((await post(url, KEY_B)).status, 200, 'the other key has its own limit');
    } finally {
      assert.equal(await stop(), 0);
    }
    assert.ok(out.out.split('\n').filter((l) => l.includes('"/v1/extract"')).length >= 6, `the requests were logged: ${out.out.slice(0, 300)}`);
    for (const key of [KEY_A, KEY_B, 'not-a-key-0123456789abcdef']) {
      assert.ok(!out.out.includes(key) && !out.err.includes(key), 'no key in the log or on stderr');
    }
  });

  it('ENTREL_API_KEYS: keys from the environment, named as such on the startup line', async () => {
    const { url, out, stop } = await start([], { ENTREL_API_KEYS: `${KEY_B}` });
    try {
      assert.match(out.err, /\(model on the server thread; API key required \(1 key from ENTREL_API_KEYS\); Ctrl-C to stop\)$/m);
      assert.equal((await post(url)).status, 401);
      assert.equal((await post(url, KEY_A)).status, 401, 'only the key given');
      assert.equal((await post(url, KEY_B)).status, 200);
    } finally {
      assert.equal(await stop(), 0);
    }
    assert.ok(!out.err.includes(KEY_B), '!out.err.includes(KEY_B)');
  });

  it('every interface without keys: a warning after the startup line; with keys, none', async () => {
    for (const [args, warned] of [[['--host', '0.0.0.0'], true], [['--host', '0.0.0.0', '--api-key-file', keyFile], false], [[], false]] as const) {
      const { out, stop } = await start([...args]);
      try {
        // The warning follows the startup line at once; give it a moment to arrive.
        await new Promise((r) => setTimeout(r, 200));
        assert.equal(/warning: every interface and no API key: anyone who can reach this machine can use the service/.test(out.err), warned, out.err);
      } finally {
        assert.equal(await stop(), 0);
      }
    }
  });

  it('--rate-limit alone: per client address, said on the startup line', async () => {
    const { url, out, stop } = await start(['--rate-limit', '1']);
    try {
      assert.match(out.err, /\(model on the server thread; rate limit 1 request a minute per client address; Ctrl-C to stop\)$/m);
      assert.equal((await post(url)).status, 200);
      assert.equal((await post(url)).status, 429);
      assert.equal((await fetch(`${url}/health`)).status, 200);
    } finally {
      assert.equal(await stop(), 0);
    }
  });

  it('--trust-proxy: the clients a local proxy forwards are limited apart, and the startup line names the proxies', async () => {
    const { url, out, stop } = await start(['--rate-limit', '1', '--trust-proxy', 'loopback', '--trust-proxy', '10.0.0.0/8']);
    try {
      assert.match(out.err, /rate limit 1 request a minute per client address; client addresses forwarded by loopback, 10\.0\.0\.0\/8; Ctrl-C to stop\)$/m);
      const via = (client: string) =>
        fetch(`${url}/v1/extract`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': client }, body: JSON.stringify({ text: 'Dan works for Acme Corp .' }) });
      assert.equal((await via('203.0.113.7')).status, 200);
      assert.equal((await via('203.0.113.7')).status, 429);
      assert.equal((await via('203.0.113.8')).status, 200);
    } finally {
      assert.equal(await stop(), 0);
    }
  });
});
