/**
 * The `entrel` command run from the TypeScript sources (bin/entrel.js runs the built dist/, which may lag
 * behind the sources while developing). The fault tests spawn this to get a real CLI process to kill.
 */
import { run } from '../../src/cli/main.js';

process.exitCode = await run(process.argv);
