/**
 * npm's install step (package.json "install"): builds the libtorch binding with node-gyp. Without
 * libtorch, or when the build fails, it says what to do and lets the install finish: the data commands
 * and functions (convert, evaluate, view, readCorpus…) need no libtorch, and loading a model then says
 * the same (src/native/loader.ts). A failed build would otherwise roll the whole `npm install` back
 * with nothing but the compiler's output.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const paths = require('./libtorch-paths.cjs');

const how =
  'Install libtorch (`apt-get install -y libtorch-dev libopenblas0-pthread` on Debian/Ubuntu; elsewhere set ' +
  'ENTREL_LIBTORCH to a libtorch directory holding include/ and lib/), then run `npm rebuild entrel`. ' +
  'Until then, reading, converting, evaluating and drawing annotated data work; extraction and training do not.';

function skip(why) {
  process.stderr.write(`\nentrel: the libtorch binding was not built: ${why}.\n${how}\n\n`);
  process.exit(0);
}

if (!existsSync(paths.header)) skip(`libtorch's headers are not there (${paths.header})`);
// npm gives its own node-gyp to install scripts, by path and on PATH.
const gyp = process.env.npm_config_node_gyp;
const r = gyp ? spawnSync(process.execPath, [gyp, 'rebuild'], { stdio: 'inherit' }) : spawnSync('node-gyp', ['rebuild'], { stdio: 'inherit' });
if (r.error) skip(`node-gyp could not run (${r.error.message})`);
if (r.status !== 0) skip('the build failed (its output is above)');
