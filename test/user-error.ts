/**
 * The UserError a call throws, for a test to check its message and location: the test fails when the
 * call succeeds or throws anything else (a TypeError from deep inside is a bug, not a refusal).
 */
import assert from 'node:assert/strict';
import { isUserError, type UserError } from '../src/errors.js';

export function userError(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    assert.ok(isUserError(e), `not a UserError: ${(e as Error)?.stack ?? String(e)}`);
    return e;
  }
  return assert.fail('expected a UserError');
}

/** The same, for a call whose promise rejects (or that throws). */
export async function userErrorAsync(f: () => unknown): Promise<UserError> {
  try {
    await f();
  } catch (e) {
    assert.ok(isUserError(e), `not a UserError: ${(e as Error)?.stack ?? String(e)}`);
    return e;
  }
  return assert.fail('expected a UserError');
}
