#!/usr/bin/env bash
# Real programs on the preloaded allocator (make test-programs): each program of Examples/Programs/programs.sh runs
# once on glibc and once per backend with libswiftmalloc-preload.so preloaded, and its output must match the glibc
# run's line for line; a difference or a non-zero exit fails, naming the program and backend, with the diff.
#   PRELOAD   the library to preload (default .build/release/libswiftmalloc-preload.so)
#   BACKENDS  the SWIFTMALLOC values the programs run under (default: pymalloc pymalloc_mt)
#   DEBUG_BACKEND  the _debug backend CPython's regression tests and the C++ check run under too (default
#             pymalloc_debug: every block framed by CPython's debug hooks, a fault would abort the program)
#   COMPILER_BACKEND  the one the Swift compiler runs under while it builds Examples/SwiftHost (default pymalloc_mt)
# The programs' outputs carry nothing nondeterministic by construction (programs.sh prints checksums, fixed-date git
# hashes, redis-benchmark's test names but not its figures, regrtest's verdict lines but not its timings), so they
# are compared as they are. SwiftHost's pymalloc report is compared without the lines that depend on where mmap put
# the arenas (unused pools, bytes lost to arena alignment, arena map nodes): they differ between two glibc runs too.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
preload=${PRELOAD:-$root/.build/release/libswiftmalloc-preload.so}
backends=${BACKENDS:-pymalloc pymalloc_mt}
compiler_backend=${COMPILER_BACKEND:-pymalloc_mt}   # the SWIFTMALLOC the preloaded `swift build` runs on
programs=(operators lua sqlite3 sort git redis python-tests)
debug_backend=${DEBUG_BACKEND:-pymalloc_debug}
debug_programs=" operators python-tests "
work=$root/.build/real-programs
program_seconds=300   # a program that hangs fails after this, so make test never waits forever
[ -f "$preload" ] || { echo "real-programs: no preload library at $preload" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
started=$SECONDS
failures=0

Examples/Programs/programs.sh prepare "$work/inputs"

# Each backend must be one the library accepts (it runs an unknown name on its default, with one line on stderr),
# and the library must be the allocator: its SWIFTMALLOCSTATS report is pymalloc's.
for backend in $backends $debug_backend; do
  if ! LD_PRELOAD="$preload" SWIFTMALLOC="$backend" SWIFTMALLOCSTATS=1 timeout 20 /bin/true \
    2> "$work/preflight.$backend.err"; then
    echo "FAIL /bin/true under SWIFTMALLOC=$backend SWIFTMALLOCSTATS=1 failed or hung (20 s)" >&2
    failures=$((failures + 1))
  elif grep -q "unknown backend" "$work/preflight.$backend.err"; then
    echo "FAIL the preload library refuses SWIFTMALLOC=$backend:" >&2; cat "$work/preflight.$backend.err" >&2
    failures=$((failures + 1))
  elif ! grep -q "Small block threshold" "$work/preflight.$backend.err"; then
    echo "FAIL no SWIFTMALLOCSTATS report from $preload under SWIFTMALLOC=$backend" >&2
    failures=$((failures + 1))
  fi
done

# run_one LABEL NAME [ENV…]: runs program NAME with ENV into $work/NAME.LABEL.out; a failure is reported, not fatal.
run_one() {
  local label=$1 name=$2; shift 2
  local out=$work/$name.$label.out
  local begin=$SECONDS
  if ! timeout --kill-after=10 "$program_seconds" env "$@" Examples/Programs/programs.sh run "$name" "$work/inputs" \
    > "$out" 2> "$work/$name.$label.err"; then
    echo "FAIL $name under $label: non-zero exit status (or over $program_seconds s); stderr:" >&2
    tail -20 "$work/$name.$label.err" >&2
    failures=$((failures + 1))
    return 1
  fi
  echo "  $name under $label: $((SECONDS - begin)) s"
}

for name in "${programs[@]}"; do
  echo "== $name"
  run_one glibc "$name" || continue
  program_backends=$backends
  [[ $debug_programs == *" $name "* ]] && program_backends+=" $debug_backend"
  for backend in $program_backends; do
    run_one "$backend" "$name" LD_PRELOAD="$preload" SWIFTMALLOC="$backend" || continue
    if ! diff -u "$work/$name.glibc.out" "$work/$name.$backend.out" > "$work/$name.$backend.diff"; then
      echo "FAIL $name under $backend: output differs from glibc's:" >&2
      head -40 "$work/$name.$backend.diff" >&2
      failures=$((failures + 1))
    fi
  done
done

# The Swift compiler itself on our allocator: Examples/SwiftHost built by a preloaded `swift build` (a scratch path
# of its own) must print what the same package built on glibc prints (.build-swifthost, which run-examples.sh reuses).
echo "== swift build of Examples/SwiftHost"
swift_host() {  # swift_host SCRATCH [ENV…]: builds SwiftHost in SCRATCH and runs it on pymalloc
  local scratch=$1 log=$work/${1##*/}.log; shift
  (cd Examples/SwiftHost && timeout --kill-after=10 "$program_seconds" env "$@" swift build --scratch-path "$scratch") \
    > "$log" 2>&1 || { echo "FAIL swift build of SwiftHost ($*):" >&2; tail -20 "$log" >&2; return 1; }
  "$scratch/debug/SwiftHost" --backend pymalloc | grep -v -E 'unused pools|arena alignment|arena map (mid|bot) nodes'
}
begin=$SECONDS
if swift_host "$root/.build-swifthost" > "$work/swifthost.glibc.out" \
  && swift_host "$root/.build-programs-swifthost" LD_PRELOAD="$preload" SWIFTMALLOC="$compiler_backend" \
    > "$work/swifthost.preloaded.out"; then
  if diff -u "$work/swifthost.glibc.out" "$work/swifthost.preloaded.out" >&2; then
    echo "  built by a preloaded compiler: same output ($((SECONDS - begin)) s)"
  else
    echo "FAIL SwiftHost built by a preloaded compiler prints otherwise" >&2; failures=$((failures + 1))
  fi
else
  failures=$((failures + 1))
fi

echo "real programs: $((SECONDS - started)) s, backends: $backends (and $debug_backend:$debug_programs)"
if [ "$failures" -ne 0 ]; then echo "real programs: $failures failed" >&2; exit 1; fi
echo "real programs: ok"
