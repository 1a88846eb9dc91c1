# Fuzz target of the subscriber key file (CSV) parser.
if(TARGET sec5g_analysis)
  sec5g_add_fuzz(subscriber_keys
    SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/keys_fuzz.cpp"
    DEPS sec5g::analysis
    CORPUS "${CMAKE_CURRENT_SOURCE_DIR}/corpus/keys")
  # g++ mutation driver for long runs (fuzz/mutate_main.cpp, docs/FUZZING.md); not in ctest.
  if(NOT (CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND SEC5G_LIBFUZZER))
    add_executable(fuzzmut_subscriber_keys "${CMAKE_CURRENT_SOURCE_DIR}/keys_fuzz.cpp"
      "${CMAKE_CURRENT_SOURCE_DIR}/mutate_main.cpp")
    target_link_libraries(fuzzmut_subscriber_keys PRIVATE sec5g::analysis sec5g_warnings)
    set_target_properties(fuzzmut_subscriber_keys PROPERTIES EXCLUDE_FROM_ALL ON)
  endif()
endif()
