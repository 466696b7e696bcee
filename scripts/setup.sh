#!/usr/bin/env bash
# Installs everything entrel needs on Debian 12 (run as root): the system libraries through apt-get when
# missing, the npm dependencies from the lockfile, the native libtorch binding and the TypeScript build.
# Idempotent: a step whose result is already up to date is skipped, so a second run changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
  echo "entrel setup: $*" >&2
  exit 1
}

# Node.js is not installed here (Debian 12's own nodejs is 18): package.json's engines ask for 20 or later.
command -v node >/dev/null 2>&1 || fail 'Node.js 20 or later is needed and `node` is not on PATH (see https://nodejs.org or NodeSource)'
node_major=$(node -p 'process.versions.node.split(".")[0]')
((node_major >= 20)) || fail "Node.js 20 or later is needed, \`node\` is $(node --version) ($(command -v node))"
command -v npm >/dev/null 2>&1 || fail '`npm` is not on PATH (it comes with Node.js)'

# libtorch + OpenBLAS (tensor engine), a C++ toolchain for the addon, chromium for the browser tests.
packages=(libtorch-dev libopenblas0-pthread g++ make python3 chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  command -v apt-get >/dev/null 2>&1 ||
    fail "apt-get is not available (this script is for Debian 12); install these Debian packages or their equivalents: ${missing[*]}"
  (($(id -u) == 0)) || fail "run as root to install ${missing[*]} (or install them first: apt-get install -y ${missing[*]})"
  echo "entrel setup: installing ${missing[*]} with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The addon and dist/ are rebuilt when their sources' content changed, not their times: a copy of the tree
# gives every file a new time, and can leave a dist/ newer than the sources it was not built from.
# The native digest holds which libtorch it was built against; the dist digest, the TypeScript compiler's version.
native_digest() { { sha256sum src/native/*.cc binding.gyp scripts/libtorch-paths.cjs; echo "${ENTREL_LIBTORCH:-}"; } | sha256sum | cut -d' ' -f1; }
dist_digest() {
  { find src tsconfig.json tsconfig.build.json -type f ! -name '*.cc' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum; cat node_modules/typescript/package.json 2>/dev/null || true; } | sha256sum | cut -d' ' -f1
}
lock_digest() { sha256sum package.json package-lock.json | sha256sum | cut -d' ' -f1; }
# Unless file $1 holds digest $2: says $3 (what is being done), runs the command after it, and records $2
# in $1; a failure ends the setup with one line, after the command's own errors.
build_unless() {
  local stamp=$1 digest=$2 what=$3
  shift 3
  [ -e "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ] && return 0
  echo "entrel setup: $what" >&2
  "$@" || fail "$what failed (its errors are above); fix what they say and run scripts/setup.sh again"
  echo "$digest" >"$stamp"
}

# npm ci (which also builds the native addon through its install script) only when node_modules is not
# the lockfile's: npm ci deletes node_modules first, and with it the GloVe cache below.
if ! { [ -e node_modules/.package-lock.json ] && [ "$(cat node_modules/.entrel-lock.sha256 2>/dev/null)" = "$(lock_digest)" ]; }; then
  echo "entrel setup: installing the npm dependencies from the lockfile (npm ci)" >&2
  npm ci --no-audit --no-fund --no-update-notifier --loglevel=error || fail "npm ci failed (its errors are above)"
  lock_digest >node_modules/.entrel-lock.sha256
  [ -e build/Release/entrel_native.node ] && native_digest >build/inputs.sha256
fi
[ -e build/Release/entrel_native.node ] || rm -f build/inputs.sha256
# --loglevel=error, not --silent: node-gyp takes npm's log level, and a failed build must show its errors.
build_unless build/inputs.sha256 "$(native_digest)" 'building the native libtorch binding' npm run --loglevel=error build:native >/dev/null
# The stamp is inside dist/, which every `npm run build` (npm test's, npm pack's) deletes first: a dist/
# built by anything else (from sources since reverted, say) is never taken for the sources' build.
[ -e dist/index.js ] || rm -f dist/inputs.sha256
build_unless dist/inputs.sha256 "$(dist_digest)" 'compiling the TypeScript (dist/)' npm run --silent build
# The binary GloVe cache (src/model/glove.ts), converted once here so the first extraction does not spend
# ~15 s parsing the 307 MB JSON (an existing cache is only checked).
[ -e "${ENTREL_CACHE:-node_modules/.cache/entrel}/glove-6B-100d.bin" ] || echo 'entrel setup: converting the bundled GloVe vectors to a binary cache' >&2
node -e "import('./dist/model/glove.js').then((g) => g.loadGlove())" || fail 'preparing the bundled GloVe vectors failed (above)'
