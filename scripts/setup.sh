#!/usr/bin/env bash
# Installs everything entrel needs on Debian 12 (run as root): the system libraries through apt-get when
# missing, the npm dependencies from the lockfile, the native libtorch binding and the TypeScript build.
set -euo pipefail
cd "$(dirname "$0")/.."

# libtorch + OpenBLAS (tensor engine), a C++ toolchain for the addon, chromium for the browser tests.
packages=(libtorch-dev libopenblas0-pthread g++ make python3 chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "entrel setup: installing ${missing[*]} with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci also builds the native addon (binding.gyp) through node-gyp.
npm ci --no-audit --no-fund --loglevel=error
[ -f build/Release/entrel_native.node ] || npm run --silent build:native >/dev/null
npm run --silent build
# The binary GloVe cache (src/model/glove.ts), converted once here so the first extraction does not spend
# ~15 s parsing the 307 MB JSON.
node -e "import('./dist/model/glove.js').then((g) => g.loadGlove())"
