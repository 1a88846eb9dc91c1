# Fuzz target of the ngap module (see docs/formats/ngap.md, "Fuzzing").
sec5g_add_fuzz(ngap SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/ngap_fuzz.cpp"
  DEPS sec5g::ngap CORPUS "${CMAKE_CURRENT_SOURCE_DIR}/corpus/ngap")
if(NOT (CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND SEC5G_LIBFUZZER))
  # g++ random-mutation driver for long runs (fuzz/mutate_main.cpp); not part of ctest.
  add_executable(fuzzmut_ngap "${CMAKE_CURRENT_SOURCE_DIR}/ngap_fuzz.cpp"
    "${CMAKE_CURRENT_SOURCE_DIR}/mutate_main.cpp")
  target_link_libraries(fuzzmut_ngap PRIVATE sec5g::ngap sec5g_warnings)
  set_target_properties(fuzzmut_ngap PROPERTIES EXCLUDE_FROM_ALL ON)
endif()
if(SEC5G_MUTATE_COVERAGE)
  # Edge feedback for fuzzmut_ngap (see fuzz/mutate_main.cpp and fuzz/capture.cmake).
  target_compile_options(sec5g_ngap PRIVATE -fsanitize-coverage=trace-pc)
endif()
