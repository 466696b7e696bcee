/**
 * Where this Node.js's own headers are (`<prefix>/include/node/node_api.h`), for node-gyp's --nodedir:
 * without it node-gyp downloads them from nodejs.org on a version's first build, which fails on a machine
 * that reaches only its package mirrors. NodeSource's package and nodejs.org's archives both install
 * them beside the binary; npm's own setting (`npm_config_nodedir`, e.g. `nodedir=` in .npmrc) wins.
 */
'use strict';
const { existsSync, realpathSync } = require('node:fs');
const { dirname, join } = require('node:path');

/** The prefix holding include/node with this Node's headers, or undefined where there is none. */
function nodeHeadersDir() {
  const candidates = [process.env.npm_config_nodedir, dirname(dirname(realpathSync(process.execPath)))];
  return candidates.find((dir) => dir && existsSync(join(dir, 'include', 'node', 'node_api.h')));
}

module.exports = { nodeHeadersDir };
