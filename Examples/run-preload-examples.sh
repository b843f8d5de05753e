#!/usr/bin/env bash
# The process allocator (libswiftmalloc-preload.so) preloaded into C and C++ programs and a few real ones, on each
# of its backends: glibc's semantics compared line by line with a glibc run, a first allocation in an ELF
# constructor, cross-thread frees, fork while other threads allocate, an unknown SWIFTMALLOC, the exit report.
# `make test-preload` runs it (and `make test` after the suite). Fails loudly on any error.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/.build/preload-examples
mkdir -p "$out"

echo "== libswiftmalloc-preload.so (release)"
swift build -c release --product swiftmalloc-preload
library=$root/.build/release/libswiftmalloc-preload.so

cc -O2 -Wall -Werror Examples/Preload/constructor.c -o "$out/constructor"
cc -O2 -Wall -Werror -pthread Examples/Preload/threads.c -o "$out/threads"
cc -O2 -Wall -Werror -pthread Examples/Preload/fork.c -o "$out/fork"
# semantics.c uses a block after a realloc that failed, which keeps it.
cc -O0 -Wall -Werror -Wno-use-after-free Examples/Preload/semantics.c -o "$out/semantics"
c++ -O0 -Wall -Werror -std=c++17 Examples/Preload/operators.cpp -o "$out/operators"
c++ -O0 -Wall -Werror -std=c++17 Examples/CxxFamilies/families.cpp -o "$out/families"

fail() { echo "preload: $*" >&2; exit 1; }

"$out/semantics" > "$out/semantics-glibc.txt"
"$out/operators" > "$out/operators-glibc.txt"
grep -q " no$" "$out/semantics-glibc.txt" "$out/operators-glibc.txt" && fail "a fact fails under glibc itself"

for backend in pymalloc_mt pymalloc malloc pymalloc_mt_debug pymalloc_debug malloc_debug; do
  run() { SWIFTMALLOC=$backend LD_PRELOAD=$library "$@"; }
  echo "== SWIFTMALLOC=$backend: glibc's semantics, C++ operators, constructor, threads, fork"
  run "$out/semantics" > "$out/semantics-$backend.txt"
  diff -u "$out/semantics-glibc.txt" "$out/semantics-$backend.txt" || fail "semantics differ under $backend"
  run "$out/operators" > "$out/operators-$backend.txt"
  diff -u "$out/operators-glibc.txt" "$out/operators-$backend.txt" || fail "operators differ under $backend"
  # A 20-byte request takes a 32-byte pymalloc block; glibc's chunk leaves 24 usable; a debug block has 20.
  expected=32; [ "$backend" = malloc ] && expected=24; [ "${backend%_debug}" != "$backend" ] && expected=20
  [ "$(run "$out/constructor")" = "constructor: usable $expected" ] || fail "constructor block not served by $backend"
  [ "$(run "$out/threads")" = "threads: ok" ] || fail "threads under $backend"
  [ "$(run "$out/fork")" = "fork: ok" ] || fail "fork under $backend"

  echo "== SWIFTMALLOC=$backend: ls, python3, git"
  [ "$(run ls -la /usr/lib)" = "$(ls -la /usr/lib)" ] || fail "ls output differs under $backend"
  script='import json, threading
def work(): json.loads(json.dumps([{"k": str(i), "v": [i] * 3} for i in range(20000)]))
threads = [threading.Thread(target=work) for _ in range(4)]
[t.start() for t in threads]; [t.join() for t in threads]
print(sum(len(str(i)) for i in range(100000)))'
  [ "$(run python3 -c "$script")" = "$(python3 -c "$script")" ] || fail "python3 output differs under $backend"
  [ "$(PYTHONMALLOC=malloc run python3 -c "$script")" = "$(python3 -c "$script")" ] ||
    fail "python3 with PYTHONMALLOC=malloc differs under $backend"
  [ "$(run git --version)" = "$(git --version)" ] || fail "git --version differs under $backend"
done

echo "== Examples/CxxFamilies: every family used right, then each fault: CPython's dump, then abort"
faults="new-free malloc-delete array-delete new-delete-array overflow underflow double-free write-after-free foreign"
for backend in pymalloc_mt_debug pymalloc_debug malloc_debug; do
  [ "$(SWIFTMALLOC=$backend LD_PRELOAD=$library "$out/families")" = "families: ok" ] ||
    fail "families: correct use failed under $backend"
  for fault in $faults; do
    set +e
    SWIFT_BACKTRACE=enable=no SWIFTMALLOC=$backend LD_PRELOAD=$library "$out/families" "$fault" > "$out/fault.txt" 2>&1
    status=$?
    set -e
    [ "$status" -eq 134 ] || fail "families $fault under $backend: status $status, not SIGABRT: $(cat "$out/fault.txt")"
    # Addresses differ from run to run; the dump ends where the current stack begins.
    sed -n '/^Current thread/q;p' "$out/fault.txt" | sed -E 's/0x[0-9a-f]{6,}/0x…/g' > "$out/fault-$fault.txt"
    diff -u "Examples/CxxFamilies/expected/$fault.txt" "$out/fault-$fault.txt" ||
      fail "families $fault under $backend: the dump differs"
  done
done

echo "== an unknown SWIFTMALLOC: one error line, and the program runs on the default"
SWIFTMALLOC=bogus LD_PRELOAD=$library "$out/constructor" > "$out/bogus.txt" 2> "$out/bogus-err.txt" ||
  fail "the program stopped under SWIFTMALLOC=bogus"
[ "$(wc -l < "$out/bogus-err.txt")" -eq 1 ] || fail "expected one error line, got: $(cat "$out/bogus-err.txt")"
grep -q "^swiftmalloc: error: SWIFTMALLOC=bogus: unknown backend 'bogus'; .*running on pymalloc_mt$" \
  "$out/bogus-err.txt" || fail "unexpected error line: $(cat "$out/bogus-err.txt")"
[ "$(cat "$out/bogus.txt")" = "constructor: usable 32" ] || fail "not on the default backend after bogus"
SWIFTMALLOC=jemalloc LD_PRELOAD=$library "$out/constructor" > /dev/null 2> "$out/jemalloc-err.txt"
grep -q "^swiftmalloc: error: SWIFTMALLOC=jemalloc: cannot be the process allocator" "$out/jemalloc-err.txt" ||
  fail "jemalloc not refused: $(cat "$out/jemalloc-err.txt")"

echo "== SWIFTMALLOCSTATS=1: the report at exit, to standard error or SWIFTMALLOCSTATS_FILE"
SWIFTMALLOCSTATS=1 LD_PRELOAD=$library python3 -c 'x = [str(i) for i in range(50000)]' 2> "$out/stats-err.txt"
grep -q "^Small block threshold = 512, in 32 size classes.$" "$out/stats-err.txt" || fail "no report on stderr"
rm -f "$out/stats.txt"
SWIFTMALLOCSTATS=1 SWIFTMALLOCSTATS_FILE=$out/stats.txt LD_PRELOAD=$library "$out/threads" > /dev/null 2> "$out/stats-err.txt"
grep -q "^# arenas allocated total" "$out/stats.txt" || fail "no report in SWIFTMALLOCSTATS_FILE"
[ ! -s "$out/stats-err.txt" ] || fail "the report went to stderr too: $(cat "$out/stats-err.txt")"

echo "== Examples/SwiftLinked: a Swift program linked with the library, its runtime's objects from pymalloc"
swiftc -O Examples/SwiftLinked/main.swift -o "$out/swift-linked" -L "$root/.build/release" -lswiftmalloc-preload \
  -Xlinker -rpath -Xlinker "$root/.build/release"
SWIFTMALLOCSTATS=1 "$out/swift-linked" > "$out/swift-linked.txt" 2> "$out/swift-linked-stats.txt"
grep -q "^SwiftLinked: 49995000 from 10000 nodes" "$out/swift-linked.txt" || fail "SwiftLinked: wrong output"
# The report's class 1 (32 bytes: a Node with its object header) holds the 10000 nodes alive at exit.
awk '$1 == 1 && $2 == 32 && $4 >= 10000 { found = 1 } END { exit !found }' "$out/swift-linked-stats.txt" ||
  fail "SwiftLinked: the Node objects are not in pymalloc's class 1: $(cat "$out/swift-linked-stats.txt")"

echo "== swiftmalloc exec: the library next to the binary, --backend, --stats, the exit status passed on"
swift build --product swiftmalloc
swift build --product swiftmalloc-preload
exec_tool=$root/.build/debug/swiftmalloc
[ "$("$exec_tool" exec -- "$out/constructor")" = "constructor: usable 32" ] || fail "exec: not on pymalloc_mt"
[ "$("$exec_tool" exec --backend malloc -- "$out/constructor")" = "constructor: usable 24" ] ||
  fail "exec --backend malloc: not on glibc"
set +e
"$exec_tool" exec -- python3 -c 'import sys; sys.exit(42)'
status=$?
"$exec_tool" exec --backend bogus -- "$out/constructor" 2> "$out/exec-err.txt"
bogus_status=$?
set -e
[ "$status" -eq 42 ] || fail "exec passed on status $status instead of 42"
[ "$bogus_status" -eq 2 ] && grep -q "unknown backend 'bogus' for exec" "$out/exec-err.txt" ||
  fail "exec --backend bogus: status $bogus_status, $(cat "$out/exec-err.txt")"
"$exec_tool" exec --stats -- "$out/constructor" 2> "$out/exec-stats.txt" > /dev/null
grep -q "^Small block threshold = 512" "$out/exec-stats.txt" || fail "exec --stats printed no report"
[ "$("$exec_tool" exec -- sh -c 'echo "$LD_PRELOAD"')" = "$(realpath "$root/.build/debug")/libswiftmalloc-preload.so" ] ||
  fail "exec: LD_PRELOAD is not the library next to the binary"

echo "preload examples: all passed"
