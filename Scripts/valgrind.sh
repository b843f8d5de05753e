#!/usr/bin/env bash
# valgrind memcheck over a replay of the sample git trace on every backend, each block pattern-verified, with
# pymalloc's arenas tracked (VALGRIND_BUILD, from the Makefile: the SWIFTMALLOC_VALGRIND switch, a scratch folder of
# its own). The binary is stripped of DWARF first: valgrind 3.19 cannot read the Swift toolchain's debug info.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${VALGRIND_BUILD:?run by make valgrind, which sets the build flags}"
traces=${TRACES:-$PWD/Tests/Fixtures/traces}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck disable=SC2086 # VALGRIND_BUILD is a list of flags
swift build $VALGRIND_BUILD --product swiftmalloc
# shellcheck disable=SC2086
strip --strip-debug -o "$work/swiftmalloc" "$(swift build $VALGRIND_BUILD --show-bin-path)/swiftmalloc"
gzip -dc "$traces/sample-git.mtrace.gz" > "$work/git.mtrace"
backends=$("$work/swiftmalloc" backends --format json | python3 -c '
import json, sys
print(" ".join(b["name"] for b in json.load(sys.stdin)["backends"]
               if b["compiledIn"] and b["families"] and b["name"] not in ("default", "debug")))')
for backend in $backends; do
  valgrind --quiet --error-exitcode=1 "$work/swiftmalloc" replay-child "$work/git.mtrace" --backend "$backend" --rounds 1 > /dev/null
  echo "valgrind: $backend clean"
done
