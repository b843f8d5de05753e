#!/usr/bin/env bash
# The C host's overflow and use after free of a pymalloc block (chost --overflow, --use-after-free), which
# AddressSanitizer (make asan) or valgrind's memcheck (make valgrind) must report at the byte, with
# libSwiftMalloc.so built with pymalloc's memory tracking switched on (ASAN_BUILD or VALGRIND_BUILD, from the
# Makefile; see Sources/PymallocBackend/_MemoryTracking.swift).
#   run-checked-examples.sh asan|valgrind
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
checker=${1:?usage: run-checked-examples.sh asan|valgrind}
out=$root/.build-$checker/examples
mkdir -p "$out"
include=(-I "$root/Sources/CSwiftMalloc/include")

case $checker in
  asan)
    : "${ASAN_BUILD:?run by make asan, which sets the build flags}"
    # shellcheck disable=SC2086 # a list of flags
    swift build $ASAN_BUILD --product SwiftMalloc
    # shellcheck disable=SC2086
    lib=$(swift build $ASAN_BUILD --show-bin-path)
    # The toolchain's clang: its ASan runtime is the one the Swift code was instrumented for.
    clang -g -fsanitize=address "${include[@]}" Examples/CHost/chost.c -o "$out/chost" -L "$lib" -lSwiftMalloc \
      "-Wl,-rpath,$lib"
    run=(env ASAN_OPTIONS=detect_leaks=0)
    read_report=("AddressSanitizer: use-after-poison" "READ of size 1")
    write_report=("AddressSanitizer: use-after-poison" "WRITE of size 1")
    ;;
  valgrind)
    : "${VALGRIND_BUILD:?run by make valgrind, which sets the build flags}"
    # shellcheck disable=SC2086
    swift build $VALGRIND_BUILD --product SwiftMalloc
    # shellcheck disable=SC2086
    strip --strip-debug -o "$out/libSwiftMalloc.so" "$(swift build $VALGRIND_BUILD --show-bin-path)/libSwiftMalloc.so"
    cc -g -O1 "${include[@]}" Examples/CHost/chost.c -o "$out/chost" -L "$out" -lSwiftMalloc "-Wl,-rpath,$out"
    run=(valgrind --error-exitcode=99)
    read_report=("Invalid read of size 1" "is 8 bytes inside a block of size 32 free'd")
    write_report=("Invalid write of size 1")  # past the block: memcheck names no pool block there
    ;;
  *) echo "run-checked-examples.sh: unknown checker '$checker' (asan or valgrind)" >&2; exit 2 ;;
esac

expect_report() {  # expect_report OPTION MESSAGE…: chost OPTION under pymalloc must fail with each MESSAGE in its output
  local option=$1 status message
  shift
  set +e
  SWIFTMALLOC=pymalloc "${run[@]}" "$out/chost" "$option" > "$out/report.txt" 2>&1
  status=$?
  set -e
  [ "$status" -ne 0 ] || { echo "chost $option under $checker: nothing reported" >&2; cat "$out/report.txt" >&2; exit 1; }
  for message in "$@"; do
    grep -q "$message" "$out/report.txt" || { echo "missing '$message' in:" >&2; cat "$out/report.txt" >&2; exit 1; }
  done
  echo "$checker: chost $option under pymalloc: $*"
}
expect_report --use-after-free "${read_report[@]}"
expect_report --overflow "${write_report[@]}"
echo "checked examples: all reported"
