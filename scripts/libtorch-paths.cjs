/**
 * Where libtorch's headers and libraries are, for binding.gyp and the install step: `ENTREL_LIBTORCH`, a
 * libtorch prefix holding include/ and lib/ (PyTorch's libtorch archive, a conda env), else Debian's
 * libtorch-dev. `node scripts/libtorch-paths.cjs include|lib|header` prints one of them.
 */
'use strict';
const { join } = require('node:path');

const prefix = process.env.ENTREL_LIBTORCH;
const multiarch = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' }[process.arch] ?? `${process.arch}-linux-gnu`;
const include = prefix ? join(prefix, 'include') : '/usr/include';
const paths = {
  include: [include, join(include, 'torch', 'csrc', 'api', 'include')],
  lib: prefix ? join(prefix, 'lib') : join('/usr/lib', multiarch),
  /** One header the build needs: without it there is no libtorch to build against. */
  header: join(include, 'ATen', 'ATen.h'),
};
module.exports = paths;

if (require.main === module) {
  const which = process.argv[2];
  if (!(which in paths)) {
    process.stderr.write(`usage: node scripts/libtorch-paths.cjs ${Object.keys(paths).join('|')}\n`);
    process.exit(1);
  }
  const value = paths[which];
  process.stdout.write(`${Array.isArray(value) ? value.join(' ') : value}\n`);
}
