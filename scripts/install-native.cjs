/**
 * Builds the libtorch binding with node-gyp: npm's install step (package.json "install"), and
 * `npm run build:native` (`--required`). Without libtorch or node-gyp, or when the build fails, it says
 * what to do; as npm's install step it then lets the install finish: the data commands and functions
 * (convert, evaluate, view, readCorpus…) need no libtorch, and loading a model then says the same
 * (src/native/loader.ts). A failed build would otherwise roll the whole `npm install` back with nothing
 * but the compiler's output. With `--required` (setup.sh, a developer's rebuild) it ends with status 1.
 * A skip leaves its reason in build/skipped.json (SKIP_RECORD), which the loader quotes when there is no
 * binding: npm hides an install script's output, so the user who later loads a model has not seen it.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const paths = require('./libtorch-paths.cjs');
const { nodeHeadersDir } = require('./node-headers.cjs');

const required = process.argv.includes('--required');
const root = join(__dirname, '..');
// A checkout of the repository (npm ci in it) rather than a project that installs entrel as a dependency:
// there `npm rebuild entrel` rebuilds nothing.
const checkout = process.env.INIT_CWD !== undefined && resolve(process.env.INIT_CWD) === root;
const BINDING = join(root, 'build', 'Release', 'entrel_native.node');

// `npx entrel` in a checkout installs it into npx's cache, which runs this script again: with the addon
// built, rebuilding (≈ 11 s, its output hidden) would only delete setup.sh's record of the build.
if (process.env.npm_command === 'exec' && existsSync(BINDING)) process.exit(0);

const THEN = `then run ${required || checkout ? '`npm run build:native`' : '`npm rebuild entrel`'}${required ? ' again' : ''}. Until then, reading, converting, evaluating and drawing annotated data work; extraction and training do not.`;
const INSTALL_LIBTORCH =
  'Install libtorch (`apt-get install -y libtorch-dev libopenblas0-pthread` on Debian/Ubuntu; elsewhere set ' +
  `ENTREL_LIBTORCH to a libtorch directory holding include/ and lib/), ${THEN}`;

/** Why the last run built nothing (src/native/loader.ts reads it); removed by a build that succeeds. */
const SKIP_RECORD = join(root, 'build', 'skipped.json');

/**
 * Records why there is no binding, `reason` as the loader quotes it later and `buildFailed` when node-gyp
 * ran and failed. Written whole or not at all (a temporary file renamed); a build/ that cannot be written
 * only loses the record, not the install. Nothing is recorded over a binding built before.
 */
function recordSkip(reason, buildFailed) {
  if (existsSync(BINDING)) return;
  const tmp = `${SKIP_RECORD}.${process.pid}.tmp`;
  try {
    mkdirSync(join(root, 'build'), { recursive: true });
    writeFileSync(tmp, `${JSON.stringify({ reason, buildFailed, time: new Date().toISOString() })}\n`);
    renameSync(tmp, SKIP_RECORD);
  } catch {
    rmSync(tmp, { force: true });
  }
}

/** Says why nothing was built (`why`) and what to do, records `recorded` (default `why`), and ends. */
function skip(why, what, { recorded = why, buildFailed = false } = {}) {
  process.stderr.write(`\nentrel: the libtorch binding was not built: ${why}.\n${what}\n\n`);
  recordSkip(recorded, buildFailed);
  process.exit(required ? 1 : 0);
}

if (paths.problem) skip(paths.problem, `Set ENTREL_LIBTORCH again, ${THEN}`);
if (!existsSync(paths.header)) skip(`libtorch's headers are not there (${paths.header})`, INSTALL_LIBTORCH, { recorded: `libtorch's headers were not there (${paths.header})` });
// npm gives its own node-gyp to install scripts, by path (npm_config_node_gyp) and on PATH.
const bundled = process.env.npm_config_node_gyp;
// This Node's own headers where installed beside it: else node-gyp downloads them from nodejs.org.
const nodedir = nodeHeadersDir();
const args = ['rebuild', ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
const r = bundled && existsSync(bundled) ? spawnSync(process.execPath, [bundled, ...args], { stdio: 'inherit' }) : spawnSync('node-gyp', args, { stdio: 'inherit' });
if (r.error) skip(`node-gyp could not be run (${r.error.message})`, `Install it (\`npm install -g node-gyp\`, or run the install through npm, which brings its own) and a C++ compiler (\`apt-get install -y g++ make\`), ${THEN}`);
if (r.status !== 0)
  skip(
    `the build failed (its output is above; libtorch's headers are in ${paths.include[0]})`,
    `It needs a C++17 compiler, make and python3 (\`apt-get install -y g++ make python3\`), libtorch 1.13 as Debian ships it (other versions are untried) and Node.js's headers: ${nodedir ? `those in ${join(nodedir, 'include', 'node')} were used` : `none are installed beside ${process.execPath}, so node-gyp downloads them from nodejs.org (a "network connectivity" error above says it could not: set npm_config_nodedir to a Node.js prefix holding include/node, e.g. that of Node's archive from nodejs.org)`}; ${THEN}`,
    { recorded: `node-gyp ended with ${r.status === null ? `signal ${r.signal}` : `status ${r.status}`}`, buildFailed: true },
  );
rmSync(SKIP_RECORD, { force: true });
