/** How many worker threads an Extractor may start (src/extract/workers.ts): the option, ENTREL_WORKERS, bounds. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_WORKERS, resolveWorkers } from '../../src/extract/workers.js';
import { userError } from '../user-error.js';

function withEnv<T>(value: string | undefined, f: () => T): T {
  const saved = process.env.ENTREL_WORKERS;
  if (value === undefined) delete process.env.ENTREL_WORKERS;
  else process.env.ENTREL_WORKERS = value;
  try {
    return f();
  } finally {
    if (saved === undefined) delete process.env.ENTREL_WORKERS;
    else process.env.ENTREL_WORKERS = saved;
  }
}

/** The message of the UserError `f` throws. */
const message = (f: () => unknown): string => userError(f).message;

test('the option wins over ENTREL_WORKERS; both are bounded, so a typo cannot start 10⁹ model copies', () => {
  withEnv('3', () => assert.equal(resolveWorkers(1), 1));
  withEnv('3', () => assert.equal(resolveWorkers(undefined), 3));
  withEnv(undefined, () => assert.ok(resolveWorkers(undefined) >= 1 && resolveWorkers(undefined) <= 2, 'resolveWorkers(undefined) >= 1 && resolveWorkers(undefined) <= 2'));
  assert.equal(resolveWorkers(MAX_WORKERS), MAX_WORKERS);
  assert.match(message(() => resolveWorkers(1_000_000_000)), /workers: must be an integer from 0 to 64, got 1000000000/);
  assert.match(message(() => resolveWorkers(-1)), /workers: must be an integer from 0 to 64/);
  for (const bad of ['1000000000', 'abc', '-1', '1e9', '1.5'])
    withEnv(bad, () => assert.match(message(() => resolveWorkers(undefined)), new RegExp(`ENTREL_WORKERS: must be an integer from 0 to 64, got "${bad.replace('.', '\\.')}"`)));
});
