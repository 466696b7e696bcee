/** The CLI run in the test's own process (src, not dist/): exit code and stderr. */
import { run } from '../../src/cli/main.js';

/** Exit code and stderr of `entrel ...args` (stdout is the test runner's: only commands that print nothing there). */
export async function entrel(...args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const write = process.stderr.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    return { code: await run(['node', 'entrel', ...args]), err };
  } finally {
    process.stderr.write = write;
  }
}
