# Damaged shared captures through `audit`, `decipher` and `decode` with their keys
# (tests/e2e/cli_mutants_test.cpp): an exit status, never a crash or a sanitizer report.
# Not labelled e2e, so that `make test` runs it in the ASan+UBSan build too (~22 s there).
if(TARGET sec5g)
  sec5g_add_test(sec5g_cli_mutants_tests
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/cli_mutants_test.cpp
    LABELS "robustness;analysis")
  add_dependencies(sec5g_cli_mutants_tests sec5g)
endif()
