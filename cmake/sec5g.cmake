# Shared build settings and helpers for sec5g modules, tests, benchmarks and fuzz targets.

set(SEC5G_SOURCE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
# Test data: the project's own copy of the vectors, and the shared captures beside the checkout.
set(SEC5G_VECTORS_DIR "${CMAKE_CURRENT_SOURCE_DIR}/tests/data/vectors")
get_filename_component(SEC5G_SHARED_DIR "${CMAKE_CURRENT_SOURCE_DIR}/../shared" ABSOLUTE)
set(SEC5G_SHARED_DIR "${SEC5G_SHARED_DIR}" CACHE PATH "The shared/ folder with captures and keys")
# Where the tests keep what tshark printed for the shared captures (regenerated when the script
# that ran tshark or the captures folder is newer). `make test` points its release and
# sanitizer builds at one folder, so that tshark reads the 57 captures once, not once per build.
set(SEC5G_TEST_CACHE_DIR "${CMAKE_BINARY_DIR}" CACHE PATH "The tests' cache of tshark output")

add_library(sec5g_warnings INTERFACE)
target_compile_options(sec5g_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Wno-missing-field-initializers
  # g++ 12 reports false -Wrestrict positives inside libstdc++'s std::string at -O2 (GCC PR 105651).
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>
  $<$<BOOL:${SEC5G_WERROR}>:-Werror>)

# Fixed-size clears and copies (a struct's value-initialisation, a record copied whole) as SSE
# loops up to 512 octets instead of `rep stos` / `rep movs`, whose start-up (~30-40 cycles on the
# build VM's AMD EPYC) was ~3% of an audit: 18% of the SCTP packet handler went to clearing its
# 136-octet user_message. Larger or unknown sizes still call memset / memcpy. See docs/DESIGN.md.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  add_compile_options(-mmemset-strategy=vector_loop:512:noalign,libcall:-1:noalign
                      -mmemcpy-strategy=vector_loop:512:noalign,libcall:-1:noalign)
endif()

# Link-time optimisation of the sec5g tool (Release builds with g++): the tracker calls into the
# NGAP, NAS, SCTP and crypto modules for every message, and inlining across the module
# libraries makes `audit` 2-3.5% faster (docs/performance/audit.md, twentieth stop). The module
# objects are "fat" (machine code besides the LTO bytecode), so that the tests and benchmarks,
# which link the same libraries, link as usual instead of each running an LTO link.
option(SEC5G_LTO "Link the sec5g tool with link-time optimisation (Release, g++)" ON)
set(SEC5G_LTO_ACTIVE OFF)
if(SEC5G_LTO AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND NOT SEC5G_SANITIZE)
  set(SEC5G_LTO_ACTIVE ON)
endif()
# sec5g_lto_objects(TARGET): TARGET's objects carry LTO bytecode (Release) besides machine code.
function(sec5g_lto_objects target)
  if(SEC5G_LTO_ACTIVE)
    target_compile_options(${target} PRIVATE $<$<CONFIG:Release>:-flto=auto -ffat-lto-objects>)
  endif()
endfunction()

include("${CMAKE_CURRENT_LIST_DIR}/pgo.cmake")

if(SEC5G_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# sec5g_unity_build(TARGET BATCH): with SEC5G_UNITY_BUILD, TARGET's sources are compiled BATCH
# files per translation unit. Meant for the CLI and the tests, whose files each spend most of
# their compile time on the same header-only libraries (CLI11, nlohmann-json, GoogleTest) at
# -O3: a full build takes ~30% less CPU. The libraries stay one object per file. Names at file
# scope (anonymous namespaces included) must therefore be unique within a target.
function(sec5g_unity_build target batch)
  if(SEC5G_UNITY_BUILD)
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE ${batch})
  endif()
endfunction()

# sec5g_add_module(NAME SOURCES ... DEPS ... [PRIVATE_DEPS ...])
# One STATIC library per module: sec5g_<name>, alias sec5g::<name>.
function(sec5g_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(sec5g_${name} STATIC ${ARG_SOURCES})
  add_library(sec5g::${name} ALIAS sec5g_${name})
  sec5g_lto_objects(sec5g_${name})
  sec5g_pgo(sec5g_${name})
  target_include_directories(sec5g_${name}
    PUBLIC "${SEC5G_SOURCE_DIR}/include"
    PRIVATE "${SEC5G_SOURCE_DIR}/src")
  target_link_libraries(sec5g_${name} PUBLIC ${ARG_DEPS} PRIVATE sec5g_warnings ${ARG_PRIVATE_DEPS})
endfunction()

# sec5g_add_script_cache(FIXTURE SCRIPT CACHE_FILE COST): a ctest fixture whose setup test writes
# the output of `sh SCRIPT SEC5G_SHARED_DIR/captures` (a tshark run over the shared captures) to
# SEC5G_TEST_CACHE_DIR/CACHE_FILE through tests/support/cached_output.sh, when tshark is
# installed and the cache is missing or older than SCRIPT or the captures folder. The tests that
# read the cache (sec5g_add_test ... FIXTURE FIXTURE) start after it, instead of waiting on its
# lock in a ctest slot; call this before any sec5g_add_test so that ctest starts it first.
# COST: the seconds the run takes, so that a fresh build's ctest (no cost data yet) starts the
# longest first. The test binaries that require the fixture get the script and the cache file
# as SEC5G_CACHE_SCRIPT and SEC5G_CACHE_FILE (one place names them).
function(sec5g_add_script_cache fixture script cache_file cost)
  set_property(GLOBAL PROPERTY SEC5G_SCRIPT_CACHE_${fixture} "${script};${cache_file}")
  add_test(NAME cache_${fixture}
    COMMAND sh "${SEC5G_SOURCE_DIR}/tests/support/cached_output.sh"
      "${SEC5G_SOURCE_DIR}/${script}" "${SEC5G_SHARED_DIR}/captures"
      "${SEC5G_TEST_CACHE_DIR}/${cache_file}" "command -v tshark")
  set_tests_properties(cache_${fixture} PROPERTIES FIXTURES_SETUP ${fixture} LABELS cache
    COST ${cost})
endfunction()

# sec5g_add_test(NAME SOURCES ... DEPS ... [LABELS ...] [FIXTURE NAME] [COST SECONDS])
# One GoogleTest binary per module; every test is registered with ctest and labelled. FIXTURE:
# a ctest fixture (sec5g_add_script_cache) that every test of the binary requires. COST: given
# to every test of the binary, so that a fresh build's ctest starts them early (for a binary
# with a long test that would otherwise make the tail of the run).
function(sec5g_add_test name)
  cmake_parse_arguments(ARG "" "FIXTURE;COST" "SOURCES;DEPS;LABELS" ${ARGN})
  # gtest_discover_tests below gives the tests only the first of LABELS (the list is split
  # into PROPERTIES arguments), so `ctest -LE e2e` skips exactly the executables whose first
  # label is e2e; the others (e.g. "analysis;e2e") do run in the ASan+UBSan build.
  set(first_label "")
  if(ARG_LABELS)
    list(GET ARG_LABELS 0 first_label)
  endif()
  if(NOT SEC5G_BUILD_E2E AND first_label STREQUAL "e2e")
    # Not compiled: the ASan+UBSan build of `make test` never runs them. A target of the same
    # name with nothing to build keeps the callers' add_dependencies() valid.
    add_custom_target(${name})
    return()
  endif()
  add_executable(${name} ${ARG_SOURCES})
  sec5g_unity_build(${name} 4)
  # The test code itself at -O1 in the optimized builds: the modules under test keep -O3, and
  # the test files compile ~35% faster (GoogleTest's macros expand to much code). Under the
  # sanitizers (the Debug build of `make test`, modules at -O1) the test code at -O0: it
  # compiles ~40% faster there, where instrumenting GoogleTest's expansions is slow.
  target_compile_options(${name} PRIVATE $<$<CONFIG:Release,RelWithDebInfo,MinSizeRel>:-O1>)
  if(SEC5G_SANITIZE)
    target_compile_options(${name} PRIVATE $<$<CONFIG:Debug>:-O0>)
  endif()
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main sec5g_warnings)
  target_include_directories(${name} PRIVATE "${SEC5G_SOURCE_DIR}/src" "${SEC5G_SOURCE_DIR}/tests")
  target_compile_definitions(${name} PRIVATE
    SEC5G_VECTORS_DIR="${SEC5G_VECTORS_DIR}"
    SEC5G_SHARED_DIR="${SEC5G_SHARED_DIR}"
    SEC5G_SOURCE_DIR="${SEC5G_SOURCE_DIR}"
    SEC5G_BINARY_DIR="${CMAKE_BINARY_DIR}"
    SEC5G_TEST_CACHE_DIR="${SEC5G_TEST_CACHE_DIR}")
  include(GoogleTest)
  set(properties "")
  if(ARG_FIXTURE)
    # Before LABELS: a list value of LABELS ends the property list (see above).
    set(properties FIXTURES_REQUIRED ${ARG_FIXTURE})
    get_property(cache GLOBAL PROPERTY SEC5G_SCRIPT_CACHE_${ARG_FIXTURE})
    if(NOT cache)
      message(FATAL_ERROR "${name}: no sec5g_add_script_cache(${ARG_FIXTURE} ...) before it")
    endif()
    list(GET cache 0 script)
    list(GET cache 1 cache_file)
    target_compile_definitions(${name} PRIVATE
      SEC5G_CACHE_SCRIPT="${SEC5G_SOURCE_DIR}/${script}"
      SEC5G_CACHE_FILE="${SEC5G_TEST_CACHE_DIR}/${cache_file}")
  endif()
  if(ARG_COST)
    list(APPEND properties COST ${ARG_COST})
  endif()
  gtest_discover_tests(${name} PROPERTIES ${properties} LABELS "${ARG_LABELS}" DISCOVERY_TIMEOUT 60)
endfunction()
