# NAS-5GS decoder / JSON renderer / encoder round trip. Seed corpus: NAS PDUs of the shared
# captures (ngap.NAS_PDU extracted with tshark, one file per distinct message shape).
if(TARGET sec5g_nas_json)
  sec5g_add_fuzz(nas SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/nas_fuzz.cpp"
    DEPS sec5g::nas sec5g::nas_json nlohmann_json::nlohmann_json
    CORPUS "${CMAKE_CURRENT_SOURCE_DIR}/corpus/nas")
endif()
if(TARGET sec5g_nas_json AND NOT (CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND SEC5G_LIBFUZZER))
  # g++ mutation driver for long runs (fuzz/mutate_main.cpp); not part of ctest. With
  # -DSEC5G_MUTATE_COVERAGE=ON the NAS codec gets trace-pc edge feedback.
  add_executable(fuzzmut_nas "${CMAKE_CURRENT_SOURCE_DIR}/nas_fuzz.cpp"
    "${CMAKE_CURRENT_SOURCE_DIR}/mutate_main.cpp")
  target_link_libraries(fuzzmut_nas PRIVATE sec5g::nas sec5g::nas_json
    nlohmann_json::nlohmann_json sec5g_warnings)
  set_target_properties(fuzzmut_nas PROPERTIES EXCLUDE_FROM_ALL ON)
  if(SEC5G_MUTATE_COVERAGE)
    target_compile_options(sec5g_nas PRIVATE -fsanitize-coverage=trace-pc)
    target_compile_options(sec5g_nas_json PRIVATE -fsanitize-coverage=trace-pc)
  endif()
endif()
