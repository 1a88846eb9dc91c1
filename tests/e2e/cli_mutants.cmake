# Damaged shared captures through `audit`, `decipher` and `decode` with their keys
# (tests/e2e/cli_mutants_test.cpp): an exit status, never a crash or a sanitizer report.
if(TARGET sec5g)
  sec5g_add_test(sec5g_cli_mutants_tests
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/cli_mutants_test.cpp
    LABELS "e2e;analysis")
  add_dependencies(sec5g_cli_mutants_tests sec5g)
endif()
