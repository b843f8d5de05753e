# swift-malloc: two commands.
#   make run    install what is missing, build release, run the side-by-side job of every backend
#   make test   install what is missing, run the whole test suite (debug), then the heavy tests (release)
#
# On a fresh Debian 12 machine with the Swift toolchain the dependency step installs the -dev packages with
# apt-get when run as root; otherwise it prints the exact command and stops.

SWIFT        ?= swift
TRACES       ?= $(CURDIR)/Tests/Fixtures/traces
RUN_TRAITS   ?= default,CPythonReference
RELEASE_BIN  := .build/release/swiftmalloc

# The real programs of make test-programs and make bench-programs (Examples/Programs/programs.sh).
PROGRAM_PACKAGES := libpython3.11-testsuite python3 redis-server redis-tools lua5.4 sqlite3 git g++ time
TEST_PACKAGES := libjemalloc-dev pkg-config libmimalloc-dev libtcmalloc-minimal4 $(PROGRAM_PACKAGES)
PRELOAD_LIB  := .build/release/libswiftmalloc-preload.so
RUN_PACKAGES  := libjemalloc-dev pkg-config libpython3.11-dev libmimalloc-dev libtcmalloc-minimal4
VALGRIND_PACKAGES := $(TEST_PACKAGES) valgrind

# pymalloc's memory tracking (Sources/PymallocBackend/_MemoryTracking.swift): ASan poisoning, or memcheck's
# memory-pool requests, inside the arenas. Compile-time only, each define for the Swift code and its C helpers; the
# scripts that make asan and make valgrind run build with the same flags.
ASAN_SWITCH           := -Xswiftc -DSWIFTMALLOC_ASAN -Xcc -DSWIFTMALLOC_ASAN
export ASAN_BUILD     := --sanitize=address --traits Pymalloc --scratch-path .build-asan $(ASAN_SWITCH)
export VALGRIND_BUILD := -c release --scratch-path .build-valgrind -Xswiftc -DSWIFTMALLOC_VALGRIND \
                         -Xcc -DSWIFTMALLOC_VALGRIND

.PHONY: run test test-preload test-internal-checks test-programs bench-programs bench bench-only sanitize asan tsan \
        valgrind fuzz deps-test deps-run \
        deps-valgrind

run: deps-run
	$(SWIFT) build -c release --traits $(RUN_TRAITS)
	$(RELEASE_BIN) backends
	@$(MAKE) --no-print-directory bench-only

bench: deps-run
	$(SWIFT) build -c release --traits $(RUN_TRAITS)
	@$(MAKE) --no-print-directory bench-only

bench-only:
	$(RELEASE_BIN) bench --chart docs/bench.svg --format table --json-output docs/bench.json
	@if ls $(TRACES)/*.mtrace.gz >/dev/null 2>&1; then \
	  for trace in $(TRACES)/*.mtrace.gz; do $(RELEASE_BIN) replay $$trace || exit 1; done; \
	else echo "make: no sample traces at $(TRACES); skipping replay"; fi
	$(SWIFT) build -c release --traits $(RUN_TRAITS) --product SwiftMalloc
	cc -O2 -Wall Examples/CBench/cbench.c -o .build/cbench $$(pkg-config --cflags --libs python3-embed) \
	  -I Sources/CSwiftMalloc/include -L .build/release -lSwiftMalloc -Wl,-rpath,$(CURDIR)/.build/release
	.build/cbench

test: deps-test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	SWIFTMALLOC_HARDEN=1 $(SWIFT) test --skip-build --filter 'ConformanceTests|FuzzTests'
	@$(MAKE) --no-print-directory test-internal-checks
	@$(MAKE) --no-print-directory tsan
	SWIFTMALLOC_HEAVY_TESTS=1 $(SWIFT) test -c release --filter Heavy
	@$(MAKE) --no-print-directory test-programs
	@if [ -f Examples/run-examples.sh ]; then bash Examples/run-examples.sh; fi
	@$(MAKE) --no-print-directory test-preload

# The process allocator (libswiftmalloc-preload.so, release) preloaded into C, C++ and real programs on each backend:
# glibc's semantics compared with a glibc run, an ELF-constructor allocation, cross-thread frees, fork, the report.
test-preload:
	bash Examples/run-preload-examples.sh

# Real programs (python3's regression tests, git, sort, sqlite3, lua5.4, redis, a C++ operator check, the Swift
# compiler building Examples/SwiftHost) on glibc and preloaded on libswiftmalloc-preload.so, outputs compared.
test-programs: deps-test
	$(SWIFT) build -c release --product swiftmalloc-preload
	PRELOAD=$(CURDIR)/$(PRELOAD_LIB) bash Scripts/real-programs.sh

# The same programs (less the test suite and the C++ check) plus Python workloads, timed as whole processes on glibc,
# jemalloc, mimalloc, tcmalloc and ours preloaded, and python3 on its own pymalloc: docs/programs.svg and .json.
bench-programs: deps-test
	$(SWIFT) build -c release --product swiftmalloc-preload
	$(SWIFT) build -c release --product swiftmalloc
	$(RELEASE_BIN) bench --programs --processes 3 --preload $(PRELOAD_LIB) --chart docs/programs.svg \
	  --json-output docs/programs.json --format table

# pymalloc's white-box suite and the conformance suite with the heap's invariant checks after every operation
# (-DPYMALLOC_INTERNAL_CHECKS, see Package.swift), in a build folder of its own. The attack tests are skipped here:
# they corrupt a heap on purpose, which the invariant checks rightly trap on.
test-internal-checks:
	$(SWIFT) build --build-tests -Xswiftc -DPYMALLOC_INTERNAL_CHECKS --scratch-path .build-checks
	$(SWIFT) test --skip-build --scratch-path .build-checks --filter 'PymallocBackendTests|ConformanceTests' \
	  --skip HardenedAttackTests

# The suite under AddressSanitizer, then the threaded suites under ThreadSanitizer (pymalloc + glibc: a sanitizer and
# jemalloc both replace malloc, so the Jemalloc trait stays off). Leak detection is off: the leaks LSan reports at
# exit are the XCTest harness's and the Swift runtime's, not the allocators'.
sanitize: asan tsan

# ThreadSanitizer over every test that runs threads: the concurrent pymalloc (cross-thread frees, remote and delayed
# lists, 1 000 ending threads), the threaded workloads on every backend, the locked heap. The tests that fork are
# skipped: TSan does not support a multithreaded process that forks and goes on allocating in the child. A report
# fails the run (halt_on_error).
TSAN_TESTS := ConcurrentHeapTests|ThreadedWorkloadTests|LockedAllocator
tsan: deps-test
	$(SWIFT) build --build-tests --sanitize=thread --traits Pymalloc --scratch-path .build-tsan
	TSAN_OPTIONS=halt_on_error=1 $(SWIFT) test --skip-build --sanitize=thread --traits Pymalloc \
	  --scratch-path .build-tsan --filter '$(TSAN_TESTS)' --skip 'forkWhileThreadsWork|Heavy'

# The AddressSanitizer half alone (CI runs it after make test), with pymalloc's arenas poisoned, then the C host's
# overflow and use after free of a pymalloc block, which ASan must report.
asan: deps-test
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test $(ASAN_BUILD)
	bash Examples/run-checked-examples.sh asan

# valgrind memcheck over a trace replay on every backend, then the C host's overflow and use after free of a
# pymalloc block, which memcheck must report; pymalloc's arenas are tracked (Debian's valgrind package).
valgrind: deps-valgrind
	bash Scripts/valgrind.sh
	bash Examples/run-checked-examples.sh valgrind

deps-test:
	@bash Scripts/install-deps.sh $(TEST_PACKAGES)

deps-run:
	@bash Scripts/install-deps.sh $(RUN_PACKAGES)

deps-valgrind:
	@bash Scripts/install-deps.sh $(VALGRIND_PACKAGES)

# libFuzzer, FUZZ_SECONDS per pass. The differential oracle (Sources/AllocatorFuzzing): pymalloc and glibc with
# their _debug forms under AddressSanitizer (pymalloc's arenas poisoned); every backend with jemalloc (which cannot
# share a process with ASan) under libFuzzer alone, pymalloc with its purge, kept-pool and headroom options on, then
# hardened. Then the freed-memory pass (SWIFTMALLOC_FUZZ_PASS=freed-memory): writes into freed blocks of hardened
# single-owner and concurrent heaps, each caught or harmless. Seeds come from the sample traces; new inputs collect
# in .build-fuzz/corpus (.build-fuzz/freed-corpus) and a failing input is saved as .build-fuzz/crash-* (freed-crash-*).
# swiftc keeps only its last -sanitize= flag, and SwiftPM passes --sanitize=fuzzer --sanitize=address as two, so the
# ASan pass adds the combined flag after SwiftPM's (--sanitize=fuzzer still tells SwiftPM that libFuzzer provides
# main). mimalloc is dlopen'ed, not linked, so it shares a process with ASan and runs in both passes.
FUZZ_SECONDS ?= 60
FUZZ_DIR     := .build-fuzz
FUZZ_FLAGS    = -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/ \
                $(FUZZ_DIR)/corpus $(FUZZ_DIR)/seeds
FREED_FLAGS   = -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/freed- \
                $(FUZZ_DIR)/freed-corpus

fuzz: deps-test
	$(SWIFT) build --product swiftmalloc-fuzz
	.build/debug/swiftmalloc-fuzz seed-corpus $(FUZZ_DIR)/seeds $(TRACES)/*.mtrace.gz
	mkdir -p $(FUZZ_DIR)/corpus
	$(SWIFT) build -c release --product swiftmalloc-fuzz --traits Pymalloc,Mimalloc,Fuzzing --sanitize=fuzzer \
	  -Xswiftc -sanitize=fuzzer,address --scratch-path $(FUZZ_DIR)/asan $(ASAN_SWITCH)
	SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 $(FUZZ_DIR)/asan/release/swiftmalloc-fuzz $(FUZZ_FLAGS)
	$(SWIFT) build -c release --product swiftmalloc-fuzz --traits Pymalloc,Jemalloc,Mimalloc,Fuzzing --sanitize=fuzzer \
	  --scratch-path $(FUZZ_DIR)/jemalloc
	SWIFT_BACKTRACE=enable=no SWIFTMALLOC_PURGE=3 SWIFTMALLOC_KEEP_EMPTY_POOL=1 SWIFTMALLOC_REALLOC_HEADROOM=1 \
	  $(FUZZ_DIR)/jemalloc/release/swiftmalloc-fuzz $(FUZZ_FLAGS)
	SWIFT_BACKTRACE=enable=no SWIFTMALLOC_HARDEN=1 $(FUZZ_DIR)/jemalloc/release/swiftmalloc-fuzz $(FUZZ_FLAGS)
	mkdir -p $(FUZZ_DIR)/freed-corpus
	SWIFT_BACKTRACE=enable=no SWIFTMALLOC_FUZZ_PASS=freed-memory $(FUZZ_DIR)/jemalloc/release/swiftmalloc-fuzz \
	  $(FREED_FLAGS)
