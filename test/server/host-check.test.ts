/**
 * DNS rebinding (review 12b L2): a page whose name is pointed at 127.0.0.1 after it loaded is same-origin
 * with a server on this machine, but its requests still carry its own name in Host. A server bound to a
 * loopback address answers only Host values naming loopback, and the names `allowedHosts` adds; one bound
 * to another address checks Host only when given `allowedHosts`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startServer } from '../../src/server/index.js';
import { hostName } from '../../src/server/host-check.js';
import { FakeExtractor } from './fake-extractor.js';
import { fakeServer, rawRequest, type RawResponse } from './helpers.js';

/** The status of GET /v1/model with this Host, over a real connection to 127.0.0.1. */
async function withHost(port: number, host: string): Promise<RawResponse> {
  return rawRequest(port, `GET /v1/model HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
}

function assertMisdirected(res: RawResponse, host: string) {
  assert.equal(res.status, 421, `${host}: ${res.body}`);
  assert.match(res.headers['content-type'] ?? '', /^application\/json/);
  const { error } = res.json();
  assert.equal(error.code, 'misdirected_request');
  assert.match(error.message, /is not a name this server answers to .*DNS rebinding.*--allowed-host/);
}

describe('Host check', () => {
  it('bound to loopback: answers localhost, 127.x and [::1] with any port, 421 for other names (was 200)', async () => {
    const { app, url } = await startServer(new FakeExtractor(), { port: 0 });
    try {
      const port = Number(new URL(url).port);
      for (const host of ['localhost', `localhost:${port}`, 'LOCALHOST.', `127.0.0.1:${port}`, '127.0.0.1', '127.1.2.3:9', '[::1]', `[::1]:${port}`, 'app.localhost:1234'])
        assert.equal((await withHost(port, host)).status, 200, host);
      for (const host of ['attacker.example', 'attacker.example:8080', `attacker.example:${port}`, '10.0.0.1', 'localhost.attacker.example', '[::2]:80', 'local host', '127.0.0.1.nip.io'])
        assertMisdirected(await withHost(port, host), host);
      // Before anything else the route would answer: also for /health, and for a POST whose body is bad.
      assert.equal((await rawRequest(port, 'GET /health HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n')).status, 421);
      const post = 'POST /v1/extract HTTP/1.1\r\nHost: evil.example\r\nContent-Type: application/json\r\nContent-Length: 1\r\nConnection: close\r\n\r\n{';
      assert.equal((await rawRequest(port, post)).status, 421);
      // HTTP/1.0 without Host is not a browser's: answered.
      assert.equal((await rawRequest(port, 'GET /health HTTP/1.0\r\n\r\n')).status, 200);
    } finally {
      await app.close();
    }
  });

  it('bound to loopback with allowedHosts: those names too, in any case and with any port', async () => {
    const { app, url } = await startServer(new FakeExtractor(), { port: 0, allowedHosts: ['Entrel.LAN', '::2', '[::3]', '192.168.1.9'] });
    try {
      const port = Number(new URL(url).port);
      for (const host of ['entrel.lan', `ENTREL.lan:${port}`, 'localhost', '[::2]:80', '[::3]', '192.168.1.9:8080']) assert.equal((await withHost(port, host)).status, 200, host);
      for (const host of ['other.lan', 'sub.entrel.lan', '[::4]']) assertMisdirected(await withHost(port, host), host);
      assert.match((await withHost(port, 'other.lan')).json().error.message, /\(localhost, 127\.0\.0\.1, \[::1\], entrel\.lan, ::2, ::3, 192\.168\.1\.9\)/);
    } finally {
      await app.close();
    }
  });

  it('bound to every interface: no check, unless allowedHosts are given', async () => {
    const open = await startServer(new FakeExtractor(), { port: 0, host: '0.0.0.0' });
    try {
      assert.equal((await withHost(Number(new URL(open.url).port), 'any.example:80')).status, 200);
    } finally {
      await open.app.close();
    }
    const listed = await startServer(new FakeExtractor(), { port: 0, host: '0.0.0.0', allowedHosts: ['api.example'] });
    try {
      const port = Number(new URL(listed.url).port);
      assert.equal((await withHost(port, 'api.example')).status, 200);
      assert.equal((await withHost(port, `localhost:${port}`)).status, 200);
      assertMisdirected(await withHost(port, 'any.example:80'), 'any.example:80');
    } finally {
      await listed.app.close();
    }
  });

  it('checks allowedHosts also before the server listens (inject), and reads Host values strictly', async () => {
    const { app } = fakeServer({ allowedHosts: ['api.example'] });
    try {
      const get = (host: string) => app.inject({ method: 'GET', url: '/health', headers: { host } });
      assert.equal((await get('api.example:443')).statusCode, 200);
      assert.equal((await get('evil.example')).statusCode, 421);
    } finally {
      await app.close();
    }
    assert.equal(hostName('[::1]:8080'), '::1');
    assert.equal(hostName('Example.COM.:80'), 'example.com');
    for (const bad of ['', ':80', 'a:b', '[::1', 'a:123456', 'a/b:1x', '[x]']) assert.equal(hostName(bad), undefined, bad);
  });
});
