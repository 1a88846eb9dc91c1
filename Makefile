# Thin wrapper over CMake/CTest. `make demo` and `make test` do all set-up on a fresh Debian 12.
JOBS     ?= $(shell nproc)
RELEASE  := build/release
ASAN     := build/asan
CMAKE_FLAGS ?=
# What tshark printed for the shared captures, shared by the release and the sanitizer builds.
TEST_CACHE := $(CURDIR)/build/test-cache

.PHONY: all deps build build-asan test test-release test-asan demo bench clean

all: build

deps:
	@scripts/install-deps.sh

$(RELEASE)/CMakeCache.txt:
	cmake -S . -B $(RELEASE) -DCMAKE_BUILD_TYPE=Release -DSEC5G_WERROR=ON \
	  -DSEC5G_TEST_CACHE_DIR=$(TEST_CACHE) $(CMAKE_FLAGS)

build: deps $(RELEASE)/CMakeCache.txt
	cmake --build $(RELEASE) -j $(JOBS)

# -g1: line tables only, enough for the sanitizers' symbolized stack traces (file:line), and
# ~30% faster to compile than -g (2.4x smaller objects); for gdb with locals, pass
# CMAKE_FLAGS='-DCMAKE_CXX_FLAGS_DEBUG="-O1 -g"' to a fresh build directory.
$(ASAN)/CMakeCache.txt:
	cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
	  -DSEC5G_SANITIZE=ON -DSEC5G_WERROR=ON -DSEC5G_BUILD_BENCH=OFF -DSEC5G_BUILD_E2E=OFF \
	  -DSEC5G_TEST_CACHE_DIR=$(TEST_CACHE) $(CMAKE_FLAGS)

build-asan: deps $(ASAN)/CMakeCache.txt
	cmake --build $(ASAN) -j $(JOBS)

# Every test: the release build (unit, e2e, tshark differential, fuzz replay, benchmark smoke),
# then the unit tests and fuzz replays again under AddressSanitizer + UndefinedBehaviorSanitizer
# (the CLI end-to-end tests and the differential tests against tshark run once, in the release
# build: under the sanitizers they would only re-run tshark; the ASan build does not compile
# the test executables whose tests carry the label e2e, SEC5G_BUILD_E2E=OFF).
test: test-release test-asan

test-release: build
	cd $(RELEASE) && ctest --output-on-failure -j $(JOBS)

test-asan: build-asan
	cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS) -LE 'e2e|bench' -E '[Tt]shark'

demo: build
	@scripts/demo.sh $(RELEASE)/tools/sec5g/sec5g

bench: build
	@scripts/bench.sh $(RELEASE)

clean:
	rm -rf build
