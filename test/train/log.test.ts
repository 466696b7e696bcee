import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrainLog } from '../../src/train/log.js';

test('train.log.jsonl escapes C1 and bidi controls of its strings: the same JSON, shown as it is by `tail -f`', () => {
  const dir = mkdtempSync(join(tmpdir(), 'entrel-log-'));
  try {
    const path = join(dir, 'train.log.jsonl');
    const log = TrainLog.open(path);
    const record = { type: 'start', config: { data: { train: 'a\u009b2Jb.json' }, types: ['Org\u202eevil'] } };
    log.write(record);
    const text = readFileSync(path, 'utf8');
    assert.doesNotMatch(text, /[\u0080-\u009f\u202a-\u202e]/);
    assert.match(text, /a\\u009b2Jb\.json/);
    assert.deepEqual(JSON.parse(text), record);
    assert.equal(log.offset, Buffer.byteLength(text), 'the offset a checkpoint records is the bytes written');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
