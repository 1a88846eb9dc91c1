# Fuzz target of the ngap module (see docs/formats/ngap.md, "Fuzzing").
sec5g_add_fuzz(ngap SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/ngap_fuzz.cpp"
  DEPS sec5g::ngap CORPUS "${CMAKE_CURRENT_SOURCE_DIR}/corpus/ngap" MUTATOR)
if(SEC5G_MUTATE_COVERAGE)
  # Edge feedback for fuzzmut_ngap (see fuzz/mutate_main.cpp and fuzz/capture.cmake).
  target_compile_options(sec5g_ngap PRIVATE -fsanitize-coverage=trace-pc)
endif()
