/**
 * Where libtorch's headers and libraries are, for binding.gyp and the install step: `ENTREL_LIBTORCH`, a
 * libtorch prefix holding include/ and lib/ (PyTorch's libtorch archive, a conda env), else Debian's
 * libtorch-dev. `node scripts/libtorch-paths.cjs include|lib|header` prints one of them. A relative
 * prefix is taken from where the user ran npm (INIT_CWD): install scripts run in the package's own
 * directory. gyp splits the include list at spaces, so a prefix with white space is refused.
 */
'use strict';
const { join, resolve } = require('node:path');

const given = process.env.ENTREL_LIBTORCH;
const prefix = given ? resolve(process.env.INIT_CWD ?? process.cwd(), given) : undefined;
const multiarch = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' }[process.arch] ?? `${process.arch}-linux-gnu`;
const include = prefix ? join(prefix, 'include') : '/usr/include';
const paths = {
  include: [include, join(include, 'torch', 'csrc', 'api', 'include')],
  lib: prefix ? join(prefix, 'lib') : join('/usr/lib', multiarch),
  /** One header the build needs: without it there is no libtorch to build against. */
  header: join(include, 'ATen', 'ATen.h'),
  /** Why the paths cannot be used, if they cannot. */
  problem: prefix !== undefined && /\s/.test(prefix) ? `ENTREL_LIBTORCH (${prefix}) holds white space, which node-gyp cannot pass on: use a path without it (a symbolic link will do)` : undefined,
};
module.exports = paths;

if (require.main === module) {
  const which = process.argv[2];
  if (!['include', 'lib', 'header'].includes(which)) {
    process.stderr.write('usage: node scripts/libtorch-paths.cjs include|lib|header\n');
    process.exit(1);
  }
  if (paths.problem) {
    process.stderr.write(`entrel: ${paths.problem}\n`);
    process.exit(1);
  }
  const value = paths[which];
  process.stdout.write(`${Array.isArray(value) ? value.join(' ') : value}\n`);
}
