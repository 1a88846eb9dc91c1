# Profile-guided optimisation (PGO) of the module libraries and the sec5g tool: Release builds
# with g++, not the sanitizer builds. See docs/DESIGN.md "Profile-guided optimisation".
#
# A build with SEC5G_PGO (the default) first builds an instrumented sec5g in <build>/pgo/gen (a
# nested build of this source tree, SEC5G_PGO_PHASE=generate, no tests), runs
# scripts/pgo-train.sh with it (synthesized traffic, audited, deciphered and decoded), and
# compiles the module libraries and the tool with that profile (-fprofile-use). The profile
# files are named after the object files' paths relative to their build directory
# (-fprofile-prefix-path), so the nested build's profile fits the outer build's objects.
# The nested build and the training run again whenever a source file changes (before any
# module object is compiled); objects whose source did not change keep their code.
#
# Measured on the 20 000-UE steady-state capture, one thread: ~9% less time (x0.907,
# docs/performance/audit.md). The cost: the libraries and the tool compile twice on a fresh
# build (~2.5 minutes on 2 cores), and a few seconds of training after each change.

option(SEC5G_PGO "Optimise the sec5g tool with a profile of a training run (Release, g++)" ON)
set(SEC5G_PGO_PHASE "use" CACHE STRING
    "internal: 'generate' in the nested instrumented build of a PGO build")
set_property(CACHE SEC5G_PGO_PHASE PROPERTY STRINGS use generate)
mark_as_advanced(SEC5G_PGO_PHASE)

set(SEC5G_PGO_ACTIVE OFF)
if(SEC5G_PGO AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND NOT SEC5G_SANITIZE
   AND CMAKE_BUILD_TYPE STREQUAL "Release")
  set(SEC5G_PGO_ACTIVE ON)
endif()
# Where the profile files are (written by the instrumented tool, read by the optimised build).
set(SEC5G_PGO_DATA "${CMAKE_BINARY_DIR}/pgo/profile" CACHE PATH
    "internal: the PGO profile directory")
mark_as_advanced(SEC5G_PGO_DATA)

if(SEC5G_PGO_ACTIVE AND SEC5G_PGO_PHASE STREQUAL "use")
  set(gen "${CMAKE_BINARY_DIR}/pgo/gen")
  set(stamp "${CMAKE_BINARY_DIR}/pgo/trained.stamp")
  file(GLOB_RECURSE sec5g_pgo_inputs CONFIGURE_DEPENDS
    "${SEC5G_SOURCE_DIR}/src/*" "${SEC5G_SOURCE_DIR}/include/*" "${SEC5G_SOURCE_DIR}/tools/*"
    "${SEC5G_SOURCE_DIR}/cmake/*")
  cmake_host_system_information(RESULT cores QUERY NUMBER_OF_LOGICAL_CORES)
  # The nested build gets its own -j (a make recipe that is not $(MAKE) has no jobserver);
  # the outer build waits for it (every module depends on the profile), so they do not compete.
  add_custom_command(OUTPUT "${stamp}"
    COMMAND "${CMAKE_COMMAND}" -S "${SEC5G_SOURCE_DIR}" -B "${gen}"
      -G "${CMAKE_GENERATOR}"
      "-DCMAKE_BUILD_TYPE=Release"
      "-DCMAKE_C_COMPILER=${CMAKE_C_COMPILER}"
      "-DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}"
      "-DCMAKE_CXX_FLAGS=${CMAKE_CXX_FLAGS}"
      "-DSEC5G_PGO_PHASE=generate"
      "-DSEC5G_PGO_DATA=${SEC5G_PGO_DATA}"
      "-DSEC5G_LTO=${SEC5G_LTO}"
      "-DSEC5G_WERROR=${SEC5G_WERROR}"
      "-DSEC5G_UNITY_BUILD=${SEC5G_UNITY_BUILD}"
      -DSEC5G_BUILD_TESTS=OFF -DSEC5G_BUILD_BENCH=OFF -DSEC5G_BUILD_FUZZ=OFF
      --log-level=WARNING
    COMMAND "${CMAKE_COMMAND}" -E env --unset=MAKEFLAGS --unset=MFLAGS --unset=MAKELEVEL
      "${CMAKE_COMMAND}" --build "${gen}" --target sec5g -j ${cores}
    COMMAND "${SEC5G_SOURCE_DIR}/scripts/pgo-train.sh" "${gen}/tools/sec5g/sec5g"
      "${SEC5G_PGO_DATA}" "${CMAKE_BINARY_DIR}/pgo/work"
    COMMAND "${CMAKE_COMMAND}" -E touch "${stamp}"
    DEPENDS ${sec5g_pgo_inputs} "${SEC5G_SOURCE_DIR}/scripts/pgo-train.sh"
            "${SEC5G_SOURCE_DIR}/CMakeLists.txt"
    COMMENT "PGO: building the instrumented sec5g (pgo/gen) and running the training"
    VERBATIM)
  add_custom_target(sec5g_pgo_profile DEPENDS "${stamp}")
endif()

# sec5g_pgo(TARGET): TARGET's objects are instrumented (nested build) or optimised with the
# profile (outer build), after the training.
function(sec5g_pgo target)
  if(NOT SEC5G_PGO_ACTIVE)
    return()
  endif()
  set(common "-fprofile-prefix-path=${CMAKE_BINARY_DIR}")
  get_target_property(type ${target} TYPE)
  if(SEC5G_PGO_PHASE STREQUAL "generate")
    # prefer-atomic: the two-thread training runs count exactly.
    target_compile_options(${target} PRIVATE "-fprofile-generate=${SEC5G_PGO_DATA}" ${common}
                           -fprofile-update=prefer-atomic)
    if(type STREQUAL "EXECUTABLE")
      target_link_options(${target} PRIVATE -fprofile-generate)
    endif()
  else()
    # partial-training: what the training never runs is still optimised for speed, not size;
    # no warning for objects the training never reached (the CLI's other subcommands).
    target_compile_options(${target} PRIVATE "-fprofile-use=${SEC5G_PGO_DATA}" ${common}
                           -fprofile-partial-training -Wno-missing-profile)
    add_dependencies(${target} sec5g_pgo_profile)
    if(type STREQUAL "EXECUTABLE" AND SEC5G_LTO_ACTIVE)
      # The profile makes the LTO link inline far more (e.g. the synthesizer's encoders into
      # its loops), and g++ 12 then reports false -Wstringop-overflow in std::vector's range
      # insert (libstdc++'s memmove after a fresh allocation; GCC bug 106199 and relatives),
      # at other calls each time one is worked around. Off for this link only: every object
      # is still compiled with it (and -Werror), in this build and the sanitizer build.
      target_link_options(${target} PRIVATE $<$<CONFIG:Release>:-Wno-stringop-overflow>)
    endif()
    # A source generated into the build directory has another path in the nested build, and
    # GCC then distrusts its profile ("source locations have changed"): compiled without it.
    get_target_property(sources ${target} SOURCES)
    foreach(source IN LISTS sources)
      if(IS_ABSOLUTE "${source}" AND source MATCHES "^${CMAKE_BINARY_DIR}/")
        set_property(SOURCE "${source}" APPEND PROPERTY COMPILE_OPTIONS -Wno-coverage-mismatch)
      endif()
    endforeach()
  endif()
endfunction()
