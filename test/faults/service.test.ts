/**
 * Two promises of the service, checked rather than assumed: it binds to 127.0.0.1 unless told otherwise,
 * and no endpoint opens, reads or writes a path taken from a request. The second is checked at run time:
 * every path-taking `fs` function is wrapped, every route gets path-like values in its body, query and
 * headers, and no file-system call may see them.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { after, test } from 'node:test';
import { startServer } from '../../src/server/index.js';
import { FakeExtractor } from '../server/fake-extractor.js';

test('the server binds to 127.0.0.1 by default', async () => {
  const { app, url } = await startServer(new FakeExtractor(), { port: 0 });
  try {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const addresses = app.addresses();
    assert.ok(addresses.length > 0, 'addresses.length > 0');
    for (const a of addresses) assert.equal(typeof a === 'string' ? a : a.address, '127.0.0.1');
  } finally {
    await app.close();
  }
});

/** A marker no real path contains, inside path shapes a traversal attempt would use. */
const MARK = 'entrel-no-such-file-7f3a';
const PATHS = [`/tmp/${MARK}`, `../../${MARK}`, `file:///etc/${MARK}`, `${MARK}/../../etc/passwd`];

/** fs functions whose first argument is a path (sync, callback and promise forms). */
const PATH_FNS = [
  'readFileSync', 'writeFileSync', 'appendFileSync', 'openSync', 'existsSync', 'statSync', 'lstatSync', 'readdirSync',
  'mkdirSync', 'rmSync', 'unlinkSync', 'renameSync', 'createReadStream', 'createWriteStream', 'readFile', 'writeFile',
  'open', 'stat', 'readdir', 'access', 'accessSync', 'copyFileSync', 'realpathSync',
] as const;
const PROMISE_FNS = ['readFile', 'writeFile', 'appendFile', 'open', 'stat', 'readdir', 'access', 'mkdir', 'rm', 'unlink', 'rename'] as const;

const seen: string[] = [];
const restore: (() => void)[] = [];
function spy(obj: Record<string, unknown>, name: string): void {
  const orig = obj[name] as ((...a: unknown[]) => unknown) | undefined;
  if (typeof orig !== 'function') return;
  obj[name] = function (this: unknown, ...args: unknown[]) {
    if (String(args[0]).includes(MARK)) seen.push(`${name}(${String(args[0])})`);
    return orig.apply(this, args);
  };
  restore.push(() => (obj[name] = orig));
}
after(() => {
  for (const r of restore) r();
  syncBuiltinESMExports();
});

test('no endpoint touches a path taken from the request', async () => {
  for (const f of PATH_FNS) spy(fs as unknown as Record<string, unknown>, f);
  for (const f of PROMISE_FNS) spy(fs.promises as unknown as Record<string, unknown>, f);
  syncBuiltinESMExports(); // so `import { readFileSync } from 'node:fs'` sees the wrappers too

  const { app } = await startServer(new FakeExtractor(), { port: 0 });
  try {
    const routes = app.printRoutes({ commonPrefix: false });
    const urls = ['/', '/health', '/v1/model', '/openapi.json', '/v1/extract', '/v1/render'];
    for (const u of urls) assert.ok(routes.includes(u.replace(/^\//, '') || '/'), `route ${u} exists`);
    let requests = 0;
    for (const p of PATHS)
      for (const url of urls) {
        const q = `?file=${encodeURIComponent(p)}&model=${encodeURIComponent(p)}&path=${encodeURIComponent(p)}`;
        const bodies = [{ text: p }, { texts: [p, p] }, { text: 'Ann works for Acme .', model: p, file: p }, { documents: [{ text: p }] }];
        for (const body of bodies) {
          for (const method of ['GET', 'POST'] as const) {
            await app.inject({
              method,
              url: url + q,
              headers: { 'content-type': 'application/json', 'x-model-path': p, referer: p },
              payload: method === 'POST' ? JSON.stringify(body) : undefined,
            });
            requests++;
          }
        }
        await app.inject({ method: 'GET', url: `${url}/${encodeURIComponent(p)}` });
        requests++;
      }
    assert.ok(requests > 200, 'requests > 200');
    assert.deepEqual(seen, [], 'file-system calls with a path from a request');
  } finally {
    await app.close();
  }
  // The spy works: a call with the marker is seen.
  fs.existsSync(`/tmp/${MARK}`);
  assert.equal(seen.length, 1);
});
