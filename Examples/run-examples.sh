#!/usr/bin/env bash
# Builds and runs the host examples: the C host on every backend (and a deliberate overflow under pymalloc_debug),
# the C thread pool on the locked process-wide heap, an sm_heap handed between threads with sm_heap_claim (and
# used unclaimed under pymalloc_debug), libSwiftMalloc.so dlopen'ed by python3 through ctypes on every backend, and
# the Swift host package. Fails loudly on any error.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=$root/.build/debug
out=$root/.build/examples
mkdir -p "$out"

echo "== libSwiftMalloc.so"
swift build --product SwiftMalloc
# -ljemalloc: libSwiftMalloc.so does not link jemalloc (so that it can be dlopen'ed); a host that wants the jemalloc
# backend links it (--no-as-needed: the host calls none of its symbols itself), which makes it the host's malloc too.
cc_flags=(-O2 -Wall -Werror -I "$root/Sources/CSwiftMalloc/include" -L "$build" -lSwiftMalloc "-Wl,-rpath,$build" -lpthread
  -Wl,--no-as-needed -ljemalloc -Wl,--as-needed)
cc Examples/CHost/chost.c -o "$out/chost" "${cc_flags[@]}"
cc Examples/CHost/threads.c -o "$out/threads" "${cc_flags[@]}"
cc Examples/CHost/heapclaim.c -o "$out/heapclaim" "${cc_flags[@]}"

backends=$(.build/debug/swiftmalloc backends --format json | python3 -c '
import json, sys
names = [b["name"] for b in json.load(sys.stdin)["backends"] if b["compiledIn"] and b["families"]]
print(" ".join(n for n in names if n not in ("default", "debug")))')

for backend in $backends; do
  echo "== chost under SWIFTMALLOC=$backend"
  SWIFTMALLOC=$backend "$out/chost" > "$out/chost-$backend.txt"
  grep -q "^backend $backend:" "$out/chost-$backend.txt"
  grep -q "^chost: ok$" "$out/chost-$backend.txt"
done

echo "== sm_select refuses a bogus name"
if "$out/chost" --select bogus > "$out/select.txt"; then echo "sm_select(bogus) succeeded" >&2; exit 1; fi
grep -q "sm_select(\"bogus\") = -1: sm_select: unknown backend 'bogus'; this build accepts:" "$out/select.txt"
"$out/chost" --select malloc_debug | grep -q '= 0:'

expect_abort() {  # expect_abort MESSAGE COMMAND...: the command must die by SIGABRT with MESSAGE on stderr
  local message=$1; shift
  set +e
  "$@" 2> "$out/abort.txt"
  local status=$?
  set -e
  [ "$status" -eq 134 ] || { echo "expected SIGABRT (134), got $status from: $*" >&2; cat "$out/abort.txt" >&2; exit 1; }
  grep -q "$message" "$out/abort.txt" || { echo "missing '$message' in:" >&2; cat "$out/abort.txt" >&2; exit 1; }
}
echo "== overflow under SWIFTMALLOC=pymalloc_debug aborts with the dump"
expect_abort "bad trailing pad byte" env SWIFTMALLOC=pymalloc_debug "$out/chost" --overflow
grep -q "at tail+0: 0x78 \*\*\* OUCH" "$out/abort.txt"
echo "== PyObject_Free of a PyMem_Malloc block: bad ID"
expect_abort "bad ID: Allocated using API 'm', verified using API 'o'" env SWIFTMALLOC=pymalloc_debug "$out/chost" --mismatch

for backend in pymalloc malloc pymalloc_debug mimalloc; do
  echo "== thread pool under SWIFTMALLOC=$backend"
  SWIFTMALLOC=$backend "$out/threads"
done

for backend in $backends; do
  echo "== sm_heap handed to a worker thread with sm_heap_claim under SWIFTMALLOC=$backend"
  SWIFTMALLOC=$backend "$out/heapclaim"
done
echo "== sm_heap used by a thread that did not claim it, under SWIFTMALLOC=pymalloc_debug"
expect_abort "memory allocator called without holding the heap's lock" env SWIFTMALLOC=pymalloc_debug \
  "$out/heapclaim" --unclaimed

for backend in $backends; do
  echo "== libSwiftMalloc.so dlopen'ed by /usr/bin/python3 (ctypes), every family and sm_heap, backend $backend"
  case $backend in
    jemalloc*)  # jemalloc's initial-exec TLS does not fit a dlopen unless glibc's static TLS surplus is raised
      set +e
      /usr/bin/python3 Examples/PythonHost/pyhost.py "$build/libSwiftMalloc.so" "$backend" > "$out/pyhost.txt"
      status=$?
      set -e
      [ "$status" -eq 3 ] && grep -q "jemalloc is unavailable in this process: .*static TLS" "$out/pyhost.txt" ||
        { echo "expected a clean refusal of $backend, got $status:" >&2; cat "$out/pyhost.txt" >&2; exit 1; }
      GLIBC_TUNABLES=glibc.rtld.optional_static_tls=4096 \
        /usr/bin/python3 Examples/PythonHost/pyhost.py "$build/libSwiftMalloc.so" "$backend" | grep -q "^pyhost: ok$" ;;
    *) /usr/bin/python3 Examples/PythonHost/pyhost.py "$build/libSwiftMalloc.so" "$backend" | grep -q "^pyhost: ok$" ;;
  esac
done

echo "== Swift host package (depends on this one by path, with traits)"
(cd Examples/SwiftHost && swift build --scratch-path "$root/.build-swifthost" && \
  "$root/.build-swifthost/debug/SwiftHost" --backend pymalloc | tail -3 && \
  SWIFTMALLOC=malloc "$root/.build-swifthost/debug/SwiftHost" | tail -3)

echo "examples: all passed"
