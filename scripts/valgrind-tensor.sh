#!/usr/bin/env bash
# Runs the addon's tensor tests (and the model-directory loader's, which parse corrupt weight files) under
# valgrind memcheck, one file at a time, each directly with node (node:test runs the tests in-process when
# a test file is the entry point, so memcheck sees the addon's work). JIT off: V8's generated code only
# adds noise. Exits non-zero if any file reports a memcheck error; logs in ${VG_LOGS:-/tmp/entrel-valgrind}.
set -u
cd "$(dirname "$0")/.."
logs=${VG_LOGS:-/tmp/entrel-valgrind}
mkdir -p "$logs"
files=${*:-test/tensor/errors.test.ts test/tensor/forward.test.ts test/tensor/grad.test.ts test/tensor/safetensors.test.ts test/tensor/scope.test.ts test/tensor/loader.test.ts test/model/io.test.ts}
status=0
for f in $files; do
  name=$(basename "$f" .test.ts)
  # The 20,000-step memory soak would take hours under memcheck; its subject (leaks) is measured by RSS.
  filter=()
  [ "$name" = scope ] && filter=(--test-name-pattern='^(tidy|GC finalizer)')
  valgrind --tool=memcheck --error-exitcode=99 --leak-check=no --num-callers=30 \
    --suppressions=scripts/valgrind.supp --log-file="$logs/$name.vg.log" \
    node --jitless "${filter[@]}" --import tsx "$f" > "$logs/$name.out" 2>&1
  code=$?
  summary=$(grep -h "ERROR SUMMARY" "$logs/$name.vg.log" | tail -1 | sed 's/^==[0-9]*== //')
  tests=$(grep -E "^# (pass|fail) " "$logs/$name.out" | tr '\n' ' ')
  echo "$f: exit $code; $tests; $summary"
  [ "$code" -eq 0 ] || status=1
done
exit $status
