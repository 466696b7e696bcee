/**
 * Loads model directories in a process of its own, so that a native crash on a corrupt file shows up in
 * the test that spawned it (a signal, an exit code) instead of killing the test runner. Prints one JSON
 * line per directory, in order: {"dir", "outcome": "loaded" | "user-error" | "other-error", "message"}.
 */
import { isUserError } from '../../src/errors.js';
import { loadModelDir } from '../../src/model/io.js';

for (const dir of process.argv.slice(2)) {
  let outcome = 'loaded';
  let message = '';
  try {
    loadModelDir(dir);
  } catch (e) {
    outcome = isUserError(e) ? 'user-error' : 'other-error';
    message = isUserError(e) ? e.message : ((e as Error)?.stack ?? String(e));
  }
  process.stdout.write(JSON.stringify({ dir, outcome, message }) + '\n');
}
