#!/usr/bin/env node
// The `entrel` command. The TypeScript sources are compiled to dist/ by `npm run build` (scripts/setup.sh).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write('entrel: not built yet — run `bash scripts/setup.sh` (or `npm run build`) in the entrel directory\n');
  process.exit(2);
}
const { run } = await import(main);
process.exitCode = await run(process.argv);
