import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { callSignal } from '../../src/extract/call-signal.js';

describe('callSignal', () => {
  it('aborts every call sharing an outside signal, with its reason, through one listener', () => {
    const outside = new AbortController();
    const calls = Array.from({ length: 20 }, () => callSignal([outside.signal]));
    assert.equal(getEventListeners(outside.signal, 'abort').length, 1);
    outside.abort(new Error('stop'));
    for (const c of calls) {
      assert.equal(c.signal.aborted, true);
      assert.equal((c.signal.reason as Error).message, 'stop');
    }
  });

  it('a call that is over no longer aborts, and the last one out removes the listener', () => {
    const outside = new AbortController();
    const a = callSignal([outside.signal]);
    const b = callSignal([outside.signal]);
    a.unlink();
    assert.equal(getEventListeners(outside.signal, 'abort').length, 1);
    b.unlink();
    assert.equal(getEventListeners(outside.signal, 'abort').length, 0);
    const c = callSignal([outside.signal]);
    outside.abort();
    assert.deepEqual([a.signal.aborted, b.signal.aborted, c.signal.aborted], [false, false, true]);
  });

  it('follows whichever of its signals aborts first, and starts aborted on an aborted one', () => {
    const caller = new AbortController();
    const lifetime = new AbortController();
    const call = callSignal([caller.signal, undefined, lifetime.signal]);
    lifetime.abort('closed');
    caller.abort('late');
    assert.equal(call.signal.reason, 'closed');
    const next = callSignal([caller.signal]);
    assert.equal(next.signal.reason, 'late');
    call.unlink();
    next.unlink();
  });
});
