#!/usr/bin/env node
// The `entrel` command. The TypeScript sources are compiled to dist/ by `npm run build` (scripts/setup.sh).
import { existsSync } from 'node:fs';
import { isatty } from 'node:tty';
import { fileURLToPath } from 'node:url';

// `serve` reads its key file again on SIGHUP. One that comes while Node loads the command would end the
// process (the default action) before serve's own handler exists: it is heard here and handed over
// (src/cli/commands/serve.ts, Hangup), with whether a terminal hung up: the standard streams that were a
// terminal are taken now, since once it has gone they are one no longer.
if (process.argv[2] === 'serve') {
  const terminal = [0, 1, 2].filter((fd) => isatty(fd));
  const early = {
    heard: false,
    hungUp: false,
    terminal,
    listener: () => {
      early.heard = true;
      early.hungUp ||= terminal.some((fd) => !isatty(fd));
    },
  };
  process.on('SIGHUP', early.listener);
  globalThis[Symbol.for('entrel.earlySighup')] = early;
}

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write('entrel: not built yet — run `bash scripts/setup.sh` (or `npm run build`) in the entrel directory\n');
  process.exit(2);
}
const { run } = await import(main).catch((e) => {
  // Node's module loader opens the command's files many at once: under a small `ulimit -n` it runs out.
  if (e?.code !== 'EMFILE' && e?.code !== 'ENFILE') throw e;
  process.stderr.write(`entrel: too many open files while loading entrel (${e.code}): raise the open-file limit (ulimit -n; it is usually 1024)\n`);
  process.exit(2);
});
process.exitCode = await run(process.argv);
