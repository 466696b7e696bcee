/**
 * `entrel serve --max-connections N`: the server holds at most N connections, closes one more at once and
 * says so on stderr without --log; a limit the process's open-file limit would defeat is warned of.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectionLimitWarning } from '../../src/cli/commands/serve.js';
import { trainTinyModelDir } from '../extract/tiny-model.js';
import { tempDir } from '../temp-dir.js';
import { entrel } from './in-process.js';
import { startServe } from './processes.js';

describe('entrel serve --max-connections', () => {
  it('refuses a value that is not a whole number ≥ 0, before the model loads', async () => {
    const model = join(tempDir('entrel-serve-conn-'), 'no-such-model');
    for (const bad of ['-1', '1.5', 'many']) {
      const { code, err } = await entrel('serve', '--model', model, '--port', '0', '--max-connections', bad);
      assert.equal(code, 1, err);
      assert.match(err, /^entrel: option '--max-connections <n>' argument '.*' is invalid\. expected a non-negative integer \(see entrel serve --help\)\n$/);
    }
  });

  it('warns of a limit the open-file limit defeats, or of none, and of nothing else', () => {
    // 56 descriptors and 4 a worker reserved: 64 with 2 workers, 88 with 8.
    assert.equal(connectionLimitWarning(512, 1024, 2), undefined);
    assert.equal(connectionLimitWarning(960, 1024, 2), undefined);
    assert.equal(connectionLimitWarning(5000, undefined, 2), undefined, 'the open-file limit unknown (not Linux)');
    assert.equal(
      connectionLimitWarning(5000, 1024, 2),
      'entrel: warning: --max-connections 5000 and a limit of 1024 open files (ulimit -n): past about 960 connections, accepting fails for every client; use --max-connections 960 or less, or raise the limit (ulimit -n, systemd LimitNOFILE=)\n',
    );
    assert.match(connectionLimitWarning(960, 1024, 8) ?? '', /past about 936 connections, .*use --max-connections 936 or less/, 'more workers, more descriptors');
    assert.match(connectionLimitWarning(0, 1024, 2) ?? '', /^entrel: warning: no connection limit \(--max-connections 0\) and a limit of 1024 open files/);
    assert.match(connectionLimitWarning(512, 256, 2) ?? '', /^entrel: warning: --max-connections 512 and a limit of 256 open files .*use --max-connections 192 or less/);
    // --max-connections 0 would mean no limit at all: only a higher open-file limit helps.
    assert.equal(
      connectionLimitWarning(512, 64, 2),
      'entrel: warning: --max-connections 512 and a limit of 64 open files (ulimit -n): past about 0 connections, accepting fails for every client; raise the limit (ulimit -n, systemd LimitNOFILE=)\n',
    );
  });

  describe('a running server', () => {
    let model: string;
    before(() => {
      model = trainTinyModelDir();
    });

    it('closes the connection over the limit and says so on stderr (without --log) when it stops', { timeout: 120_000 }, async () => {
      const { url, out, stop } = await startServe(['--model', model, '--workers', '0', '--port', '0', '--max-connections', '1'], {
        env: { ...process.env, ENTREL_API_KEYS: undefined },
      });
      const port = Number(new URL(url).port);
      const sockets: net.Socket[] = [];
      let code: number | null = null;
      try {
        // The first connection is held (its answer read, kept alive); the second is closed without one.
        const first = net.connect(port, '127.0.0.1');
        sockets.push(first);
        let answer = '';
        first.on('data', (d) => (answer += d));
        first.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
        for (const t0 = Date.now(); !answer.includes('{"status":"ok"}'); await sleep(10)) if (Date.now() - t0 > 10_000) assert.fail(`no answer: ${answer}`);
        const second = net.connect(port, '127.0.0.1');
        sockets.push(second);
        let received = '';
        second.on('data', (d) => (received += d));
        second.on('error', () => {});
        const closed = await Promise.race([new Promise((resolve) => second.on('close', () => resolve(true))), sleep(10_000).then(() => false)]);
        assert.equal(closed, true, 'the second connection is closed by the server');
        assert.equal(received, '');
      } finally {
        for (const s of sockets) s.destroy();
        code = await stop();
      }
      const err = out.err;
      assert.equal(code, 0, err);
      assert.equal(out.out, '', 'nothing on stdout without --log');
      const refused = err.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
      assert.deepEqual(
        refused.map((l) => [l.level, l.refusedConnections, l.maxConnections]),
        [[40, 1, 1]],
        `one warn line on stderr for the refused connection: ${err}`,
      );
      assert.match(refused[0].msg, /^refused 1 connection in \d+ s: the server had 1 open, the most it holds \(--max-connections\); those clients were disconnected without an answer$/);
    });
  });
});
