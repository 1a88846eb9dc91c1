# NAS-5GS decoder / JSON renderer / encoder round trip. Seed corpus: NAS PDUs of the shared
# captures (ngap.NAS_PDU extracted with tshark, one file per distinct message shape).
if(TARGET sec5g_nas_json)
  sec5g_add_fuzz(nas SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/nas_fuzz.cpp"
    DEPS sec5g::nas sec5g::nas_json nlohmann_json::nlohmann_json
    CORPUS "${CMAKE_CURRENT_SOURCE_DIR}/corpus/nas" MUTATOR)
  # With -DSEC5G_MUTATE_COVERAGE=ON the NAS codec gets trace-pc edge feedback for fuzzmut_nas.
  if(SEC5G_MUTATE_COVERAGE)
    target_compile_options(sec5g_nas PRIVATE -fsanitize-coverage=trace-pc)
    target_compile_options(sec5g_nas_json PRIVATE -fsanitize-coverage=trace-pc)
  endif()
endif()
