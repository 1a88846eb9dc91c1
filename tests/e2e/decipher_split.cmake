# `sec5g decipher` on NGAP messages split into several DATA chunks and/or IP fragments
# (tests/e2e/decipher_split_test.cpp): rewritten in every piece, output frames as the input's.
if(TARGET sec5g)
  sec5g_add_test(sec5g_decipher_split_tests
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/decipher_split_test.cpp
    DEPS sec5g::sctp sec5g::capture nlohmann_json::nlohmann_json
    LABELS "e2e;analysis")
  add_dependencies(sec5g_decipher_split_tests sec5g)
endif()
